#!/usr/bin/env bash
# Builds this platform's release artefacts into dist/:
#   dist/shipshape_cli-<version>-py3-none-<platform>.whl   the Python wheel (`pip install` it: the `shipshape` command)
#   dist/shipshape_cli-<version>.tar.gz                   the sdist (pip builds it with maturin and cargo)
#   dist/shipshape-<target>-<version>.vsix                the VS Code extension with that wheel's binary inside
#
#   scripts/package.sh [TARGET]
#
# TARGET is a VS Code platform target (default linux-x64): linux-x64, linux-arm64, alpine-x64,
# alpine-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64. The release binary is built
# once, by maturin for the wheel, and the same binary goes into the extension. When TARGET is not
# this machine's, its Rust target must be installed (`rustup target add ...`) with a linker for it;
# the release workflow (.github/workflows/release.yml) builds each target on its own runner.
# Needs: cargo, Python 3 (maturin is installed into target/package-tools from PyPI when it is not
# on PATH), Node 20+ (the extension's npm dependencies are installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
TARGET="${1:-linux-x64}"

case "$TARGET" in
  linux-x64) TRIPLE=x86_64-unknown-linux-gnu ;;
  linux-arm64) TRIPLE=aarch64-unknown-linux-gnu ;;
  alpine-x64) TRIPLE=x86_64-unknown-linux-musl ;;
  alpine-arm64) TRIPLE=aarch64-unknown-linux-musl ;;
  darwin-x64) TRIPLE=x86_64-apple-darwin ;;
  darwin-arm64) TRIPLE=aarch64-apple-darwin ;;
  win32-x64) TRIPLE=x86_64-pc-windows-msvc ;;
  win32-arm64) TRIPLE=aarch64-pc-windows-msvc ;;
  *) echo "package.sh: unknown target '$TARGET' (linux-x64, linux-arm64, alpine-x64, alpine-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64)" >&2; exit 2 ;;
esac
HOST="$(rustc -vV | sed -n 's/^host: //p')"
# Build for the host without --target, so the release build lands in target/release and is reused.
TARGET_ARGS=(); [ "$TRIPLE" = "$HOST" ] || TARGET_ARGS=(--target "$TRIPLE")

VERSION="$(cargo metadata --no-deps --format-version 1 --locked \
  | python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "shipshape"))')"
EXT_VERSION="$(python3 -c 'import json; print(json.load(open("editors/vscode/package.json"))["version"])')"
[ "$VERSION" = "$EXT_VERSION" ] || { echo "package.sh: Cargo.toml says $VERSION, editors/vscode/package.json says $EXT_VERSION" >&2; exit 1; }

MATURIN="$(command -v maturin || true)"
if [ -z "$MATURIN" ]; then
  TOOLS="$REPO/target/package-tools"
  [ -x "$TOOLS/bin/maturin" ] || { python3 -m venv "$TOOLS" && "$TOOLS/bin/pip" install --quiet --only-binary :all: 'maturin==1.16.0'; }
  MATURIN="$TOOLS/bin/maturin"
fi

mkdir -p dist
rm -f dist/shipshape_cli-"$VERSION"-*.whl dist/shipshape_cli-"$VERSION".tar.gz dist/shipshape-"$TARGET"-"$VERSION".vsix

echo "== wheel ($TRIPLE)"
"$MATURIN" build --release --locked "${TARGET_ARGS[@]}" --out dist
WHEEL="$(ls -t dist/shipshape_cli-"$VERSION"-*.whl | head -n 1)"
echo "== sdist"
"$MATURIN" sdist --out dist

scripts/package-vsix.sh "$TARGET" "$WHEEL"

echo "== dist/"
ls -l dist/shipshape_cli-"$VERSION"* dist/shipshape-"$TARGET"-"$VERSION".vsix
