#!/usr/bin/env bash
# Runs every test of shipshape: formatting, lints, the Rust test suite
# (unit, fixture, tidy, CLI and LSP end-to-end, property tests) and the
# editor end-to-end suites where their scripts exist.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --locked

if [ -x editors/neovim/test/run.sh ] || [ -x editors/vscode/test/run.sh ]; then
  echo "== editor end-to-end tests"
  cargo build --locked -p shipshape
  export SHIPSHAPE_BIN="$PWD/target/debug/shipshape"
  for suite in editors/neovim/test/run.sh editors/vscode/test/run.sh; do
    if [ -x "$suite" ]; then
      echo "-- $suite"
      "$suite"
    fi
  done
fi
