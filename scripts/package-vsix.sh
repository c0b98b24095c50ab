#!/usr/bin/env bash
# Packages the platform VSIX of the VS Code extension with the binary of a shipshape wheel inside
# (`bin/shipshape`, or `bin/shipshape.exe` for win32-*):
#
#   scripts/package-vsix.sh TARGET WHEEL      -> dist/shipshape-<TARGET>-<version>.vsix
#
# scripts/package.sh calls it with the wheel it just built; the release workflow with each
# platform's wheel. `vsce package` runs the extension's `vscode:prepublish` (typecheck, bundle).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
[ $# -eq 2 ] || { echo "usage: scripts/package-vsix.sh TARGET WHEEL" >&2; exit 2; }
TARGET="$1"; WHEEL="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
EXE=shipshape; case "$TARGET" in win32-*) EXE=shipshape.exe ;; esac
VERSION="$(python3 -c 'import json; print(json.load(open("editors/vscode/package.json"))["version"])')"
case "$(basename "$WHEEL")" in
  shipshape_cli-"$VERSION"-*.whl) ;;
  *) echo "package-vsix.sh: $WHEEL is not a shipshape-cli $VERSION wheel" >&2; exit 1 ;;
esac

EXT="$REPO/editors/vscode"
[ -d "$EXT/node_modules" ] || (cd "$EXT" && npm ci --no-audit --no-fund --silent)
rm -rf "$EXT/bin"; mkdir -p "$EXT/bin" "$REPO/dist"
trap 'rm -rf "$EXT/bin"' EXIT
python3 - "$WHEEL" "$EXT/bin/$EXE" <<'PY'
import os, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist()
             if n.split("/")[-2:-1] == ["scripts"] and os.path.basename(n) in ("shipshape", "shipshape.exe")]
    if len(names) != 1:
        sys.exit(f"package-vsix.sh: expected one shipshape binary in {wheel}, found {names}")
    with z.open(names[0]) as src, open(dest, "wb") as out:
        out.write(src.read())
os.chmod(dest, 0o755)
PY
OUT="$REPO/dist/shipshape-$TARGET-$VERSION.vsix"
(cd "$EXT" && npx --no-install vsce package --no-dependencies --target "$TARGET" --out "$OUT")
echo "$OUT"
