"""The benchmark corpus that is not ours: source distributions from PyPI at
pinned versions, fetched with pip and unpacked under bench/corpus/ (git-ignored,
never committed), plus the generated shapes of bench/generate.py.

  python3 bench/corpus.py            # fetch + unpack + generate, print a summary
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "corpus"
SDISTS = CORPUS / "sdists"
TREES = CORPUS / "trees"
SHAPES_DIR = CORPUS / "shapes"

# Pinned: a run compares with another only on the same files.
PINS = {
    "pip": "24.3.1",
    "Django": "5.1.4",
    "fastapi": "0.115.6",
    "SQLAlchemy": "2.0.36",
    "httpx": "0.28.1",
    "celery": "5.4.0",
    "pydantic": "2.10.3",
}


def _archive(name: str, version: str) -> Path | None:
    for path in SDISTS.glob("*.tar.gz"):
        stem = path.name[: -len(".tar.gz")]
        if stem.lower().replace("_", "-") == f"{name}-{version}".lower():
            return path
    return None


def fetch(pip: list[str] | None = None) -> dict[str, Path]:
    """Downloads the missing sdists (`pip download --no-deps --no-binary`,
    the sdist of each named package; their build backends may come as
    wheels, which pip needs to read the sdists' metadata) and unpacks them.
    Returns {name: unpacked root}."""
    SDISTS.mkdir(parents=True, exist_ok=True)
    missing = [f"{name}=={version}" for name, version in PINS.items() if _archive(name, version) is None]
    if missing:
        pip = pip or [sys.executable, "-m", "pip"]
        names = ",".join(name for name in PINS)
        print(f"fetching {', '.join(missing)} from PyPI (once; a few minutes)", file=sys.stderr)
        subprocess.run(
            [*pip, "download", "-q", "--no-deps", "--no-binary", names, "-d", str(SDISTS), *missing],
            check=True,
        )
    roots = {}
    for name, version in PINS.items():
        archive = _archive(name, version)
        if archive is None:
            raise SystemExit(f"no sdist of {name} {version} under {SDISTS}")
        root = TREES / archive.name[: -len(".tar.gz")]
        if not root.exists():
            TREES.mkdir(parents=True, exist_ok=True)
            with tarfile.open(archive) as tar:
                tar.extractall(TREES, filter="data")
        roots[name] = root
    return roots


def lines_of(path: Path) -> int:
    return len(path.read_bytes().splitlines())


def largest_modules(roots: dict[str, Path], per_sdist: int = 1) -> list[Path]:
    """The largest Python modules of each sdist (the real modules that the
    keystroke benchmark types into)."""
    chosen = []
    for root in roots.values():
        files = sorted(root.rglob("*.py"), key=lambda path: (-lines_of(path), str(path)))
        chosen += files[:per_sdist]
    return chosen


def shapes(sizes=None) -> dict[tuple[str, int], Path]:
    from generate import SHAPES, SIZES, shape_file

    return {(name, lines): shape_file(SHAPES_DIR, name, lines) for name in SHAPES for lines in (sizes or SIZES)}


if __name__ == "__main__":
    import os

    sys.path.insert(0, str(HERE))
    venv = os.environ.get("BENCH_VENV")
    roots = fetch([str(Path(venv) / "bin" / "pip")] if venv else None)
    for name, root in roots.items():
        files = list(root.rglob("*.py"))
        print(f"{name:12} {root.relative_to(REPO)}: {len(files)} .py files, {sum(map(lines_of, files)):,} lines")
    for path in largest_modules(roots):
        print(f"  largest: {path.relative_to(TREES)} ({lines_of(path):,} lines)")
    print(f"{len(shapes())} generated shape files under {SHAPES_DIR.relative_to(REPO)}")
