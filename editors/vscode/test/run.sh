#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code 1.100 (code-server 4.100.3),
# driven through Debian's Chromium by playwright-core.
#   SHIPSHAPE_BIN=/path/to/shipshape editors/vscode/test/run.sh
#   SHIPSHAPE_VSIX=dist/shipshape-linux-x64-<version>.vsix editors/vscode/test/run.sh
# With SHIPSHAPE_VSIX the suite runs against that platform VSIX as built (scripts/package.sh), with
# no `shipshape.path` setting and no `shipshape` on PATH: the server must be the bundled binary.
# Installs what it needs once (setup.sh), builds and packages the extension into a .vsix,
# installs it into a fresh code-server profile, runs test/e2e.mjs against a copy of
# test/fixture, and prints `N passed, M failed` last. Screenshots: target/e2e/vscode/shots/.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
EXT="$(dirname "$HERE")"
REPO="$(cd "$EXT/../.." && pwd)"
E2E="${SHIPSHAPE_E2E_DIR:-$REPO/target/e2e}"
OUT="$E2E/vscode"
BIN="${SHIPSHAPE_BIN:-$REPO/target/debug/shipshape}"
VSIX="${SHIPSHAPE_VSIX:-}"
fail() { echo "$*" >&2; echo "0 passed, 1 failed"; exit 1; }
if [ -n "$VSIX" ]; then
  [ -f "$VSIX" ] || fail "SHIPSHAPE_VSIX=$VSIX is not a file (build it: scripts/package.sh)"
  VSIX="$(cd "$(dirname "$VSIX")" && pwd)/$(basename "$VSIX")"
  if command -v shipshape >/dev/null; then fail "shipshape is on PATH ($(command -v shipshape)): the VSIX run must find only the bundled binary"; fi
else
  [ -x "$BIN" ] || fail "SHIPSHAPE_BIN=$BIN is not executable (build it: cargo build -p shipshape)"
  BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
fi
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f s", e - s }'; }
T0=$(now)

"$HERE/setup.sh" || fail "setup failed"
CS_BIN="$E2E/code-server-4.100.3/node_modules/.bin/code-server"

# 1. Build and package the extension (typecheck, settings-schema check, esbuild, vsce).
T=$(now)
mkdir -p "$OUT"
(
  cd "$EXT" && { npm test --silent >"$OUT/unit.log" 2>&1 || { cat "$OUT/unit.log"; false; }; } \
    && if [ -n "$VSIX" ]; then cp "$VSIX" "$OUT/shipshape.vsix"; else
      npx --no-install vsce package --no-dependencies -o "$OUT/shipshape.vsix" >/dev/null; fi
) || fail "building or packaging the extension failed"
echo "[time] test+build+package: $(since "$T")"
unit_pass=$(awk '/^# pass /{print $3}' "$OUT/unit.log"); unit_fail=$(awk '/^# fail /{print $3}' "$OUT/unit.log")
echo "unit tests (node --test): ${unit_pass:-0} passed, ${unit_fail:-0} failed"

# 2. A fresh, isolated code-server profile and workspace.
RUN="$OUT/run"; rm -rf "$RUN" "$OUT/shots"; mkdir -p "$RUN/ext" "$RUN/user/User" "$RUN/home" "$RUN/tmp"
cp -R "$HERE/fixture" "$RUN/ws"
# A multi-root workspace of two copies of the fixture, each folder turning a different project rule
# off in its own .vscode/settings.json (the last step opens it).
mkdir -p "$RUN/multi"
for folder in a b; do cp -R "$HERE/fixture" "$RUN/multi/$folder"; done
mkdir -p "$RUN/multi/a/.vscode" "$RUN/multi/b/.vscode"
echo '{ "shipshape.rules": { "ci-missing": "off" } }' > "$RUN/multi/a/.vscode/settings.json"
echo '{ "shipshape.rules": { "dockerignore-missing": "off" } }' > "$RUN/multi/b/.vscode/settings.json"
echo "{ \"folders\": [{ \"path\": \"$RUN/multi/a\" }, { \"path\": \"$RUN/multi/b\" }] }" > "$RUN/multi/multi.code-workspace"
PATH_SETTING="  \"shipshape.path\": \"$BIN\","; [ -n "$VSIX" ] && PATH_SETTING=""
cat > "$RUN/user/User/settings.json" <<JSON
{
$PATH_SETTING
  "shipshape.trace.server": "verbose",
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "window.restoreWindows": "none",
  "files.hotExit": "off",
  "editor.minimap.enabled": false,
  "editor.autoIndent": "none",
  "editor.autoClosingBrackets": "never",
  "editor.autoClosingQuotes": "never",
  "editor.quickSuggestions": { "other": "off", "comments": "off", "strings": "off" },
  "editor.suggestOnTriggerCharacters": false,
  "editor.wordBasedSuggestions": "off",
  "workbench.enableExperiments": false,
  "git.enabled": false,
  "git.openRepositoryInParentFolders": "never",
  "chat.commandCenter.enabled": false
}
JSON
export HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/home/.config" XDG_DATA_HOME="$RUN/home/.local/share" XDG_CACHE_HOME="$RUN/home/.cache"
CS=("$CS_BIN" --extensions-dir "$RUN/ext" --user-data-dir "$RUN/user")
T=$(now)
"${CS[@]}" --install-extension "$OUT/shipshape.vsix" >"$RUN/install.log" 2>&1 || { cat "$RUN/install.log"; fail "installing the .vsix failed"; }
echo "[time] install-extension: $(since "$T")"
if [ -n "$VSIX" ]; then
  # The rules the test expects are those of the binary inside the installed extension.
  BIN="$(ls "$RUN"/ext/*.shipshape-*/bin/shipshape 2>/dev/null | head -n 1)"
  [ -x "$BIN" ] || fail "the installed VSIX has no executable bin/shipshape"
  echo "bundled binary: $BIN"
fi

# 3. code-server on a free loopback port.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
T=$(now)
"${CS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$RUN/ws" >"$RUN/code-server.log" 2>&1 &
CSPID=$!
descendants() { local c; for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done; }
cleanup() {
  # The extension host, file watcher and shipshape server outlive code-server's main process for
  # a moment: collect the tree first, stop the main process, then make sure each child is gone.
  local kids alive=""; kids=$(descendants "$CSPID")
  kill "$CSPID" 2>/dev/null; wait "$CSPID" 2>/dev/null
  for _ in $(seq 50); do
    alive=""; for k in $kids; do kill -0 "$k" 2>/dev/null && alive="$alive $k"; done
    [ -z "$alive" ] && break; sleep 0.2
  done
  [ -n "$alive" ] && kill -9 $alive 2>/dev/null
  return 0
}
trap cleanup EXIT
for _ in $(seq 300); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2)" 2>/dev/null && break
  kill -0 "$CSPID" 2>/dev/null || { cat "$RUN/code-server.log"; fail "code-server exited"; }
  sleep 0.2
done
echo "[time] code-server up on 127.0.0.1:$PORT: $(since "$T")"

# 4. The browser test.
T=$(now)
E2E_RULES="$("$BIN" rules --format json 2>/dev/null || echo '[]')"
PORT=$PORT WS="$RUN/ws" MULTI="$RUN/multi" LOGS="$RUN/user/logs" SHOTS="$OUT/shots" SETTINGS="$RUN/user/User/settings.json" E2E_TMP="$RUN/tmp" \
  E2E_RULES="$E2E_RULES" node "$HERE/e2e.mjs" >"$RUN/e2e.out" 2>"$RUN/e2e.err"
rc=$?
cat "$RUN/e2e.out"
echo "[time] playwright test: $(since "$T")"
passed=$(grep -c '^PASS ' "$RUN/e2e.out"); failed=$(grep -c '^FAIL ' "$RUN/e2e.out")
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
  [ "$failed" -eq 0 ] && failed=1
  echo "--- e2e.mjs stderr"; cat "$RUN/e2e.err"
  echo "--- shipshape output channel (last 40 lines)"
  find "$RUN/user/logs" -name '*shipshape*' -exec tail -n 40 {} \; 2>/dev/null
fi
if [ -n "$VSIX" ] && [ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]; then
  # The server the extension started must have been the bundled one.
  if grep -rqs "found via bundled" "$RUN/user/logs"; then
    echo "PASS the extension started its bundled binary (found via bundled)"; passed=$((passed + 1))
  else
    echo "FAIL the shipshape output channel does not say 'found via bundled'"; failed=1
  fi
fi
echo "screenshots: $OUT/shots/"
echo "[time] vscode e2e total: $(since "$T0")"
echo "$((passed + ${unit_pass:-0})) passed, $failed failed"
[ "$failed" -eq 0 ]
