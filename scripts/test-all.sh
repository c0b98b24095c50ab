#!/usr/bin/env bash
# Runs every test of shipshape: formatting, lints, the Rust test suite
# (unit, fixture, tidy, CLI and LSP end-to-end, property tests), the Neovim
# end-to-end suite on the debug binary, and the packaging checks
# (scripts/test-packaging.sh: the release artefacts built, the wheel installed
# and run, the VS Code end-to-end suite on the platform VSIX, pre-commit,
# actionlint, cargo package).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --locked

echo "== Neovim end-to-end tests"
cargo build --locked -p shipshape
SHIPSHAPE_BIN="$PWD/target/debug/shipshape" editors/neovim/test/run.sh

# The VS Code suite runs here, against the platform VSIX with the release binary inside (run it on
# a debug binary with SHIPSHAPE_BIN=target/debug/shipshape editors/vscode/test/run.sh).
echo "== packaging (release build, wheel, VSIX + VS Code end-to-end tests, pre-commit, actionlint, cargo package)"
scripts/test-packaging.sh
