"""Findings identity: `check --format json` with two shipshape binaries over
the whole corpus must report the same findings.

  python3 bench/compare_findings.py OLD_BIN NEW_BIN [--roots DIR,...] [--quick]

The corpus: every PyPI sdist of bench/corpus.py (fetched on first use), the
generated shapes at every size, the repository's examples/*, tests/projects/*,
tests/workspaces/* and tests/fixtures. Each root is checked from inside it
(`check --format json --fail-on never .`), so paths are relative and the
same for both binaries; with its own shipshape.toml if it has one, else with
`--no-config` (the repository's shipshape.toml excludes the fixtures). Findings are compared as a multiset of whole JSON
objects (rule, path, range, severity, message, fix, ...): only their order,
and timing fields should any appear, are ignored. Exits 1 with a readable
diff when they differ, 2 when a binary fails."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

IGNORED = {"time", "timing", "elapsed", "duration", "duration_ms", "elapsed_ms"}


def own_config(root: Path) -> list[str]:
    """A root with its own shipshape.toml is checked with it; any other with
    `--no-config`, so that the repository's shipshape.toml above it (which
    excludes the fixture folders) does not apply."""
    return [] if (root / "shipshape.toml").exists() else ["--no-config"]


def roots(quick: bool) -> list[tuple[Path, list[str]]]:
    """(root, extra arguments) of the whole corpus."""
    found = []
    sdists = corpus.fetch()
    found += [root for name, root in sdists.items() if not (quick and name in ("Django", "SQLAlchemy"))]
    corpus.shapes((2_500, 10_000) if quick else None)
    found.append(corpus.SHAPES_DIR)
    for parent in ("examples", "tests/projects", "tests/workspaces"):
        found += sorted(path for path in (REPO / parent).iterdir() if path.is_dir())
    found.append(REPO / "tests/fixtures")
    return [(root, own_config(root)) for root in found]


def strip(value):
    if isinstance(value, dict):
        return {key: strip(item) for key, item in value.items() if key not in IGNORED}
    if isinstance(value, list):
        return [strip(item) for item in value]
    return value


def findings(binary: str, root: Path, extra: list[str]) -> tuple[Counter, float]:
    started = time.perf_counter()
    out = subprocess.run(
        [binary, "check", "--format", "json", "--fail-on", "never", *extra, "."],
        cwd=root,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    if out.returncode != 0:
        raise RuntimeError(f"{binary} on {root}: exit {out.returncode}\n{out.stderr[-2000:]}")
    if "rules stopped after" in out.stderr:
        # The rules' time budget cut a file short: its findings depend on the
        # machine's speed, so the comparison of this root cannot be trusted.
        print(f"  warning: {Path(binary).name} on {root}: " + "; ".join(line for line in out.stderr.splitlines() if "rules stopped" in line)[:600])
    items = json.loads(out.stdout or "[]")
    return Counter(json.dumps(strip(item), sort_keys=True) for item in items), wall


def where(item: dict) -> str:
    return f"{item.get('path')}:{item.get('line')}:{item.get('column')} [{item.get('rule')}]"


def describe(old: Counter, new: Counter, limit: int) -> list[str]:
    lost = [json.loads(text) for text in (old - new).elements()]
    gained = [json.loads(text) for text in (new - old).elements()]
    lines = []
    # A finding at the same place and rule on both sides changed: show which fields.
    by_place = {(item.get("path"), item.get("line"), item.get("column"), item.get("rule")): item for item in gained}
    for item in sorted(lost, key=where):
        key = (item.get("path"), item.get("line"), item.get("column"), item.get("rule"))
        if key in by_place:
            other = by_place.pop(key)
            gained.remove(other)
            fields = sorted(name for name in set(item) | set(other) if item.get(name) != other.get(name))
            lines.append(f"  changed {where(item)}: " + "; ".join(f"{name}: {json.dumps(item.get(name))[:200]} -> {json.dumps(other.get(name))[:200]}" for name in fields))
        else:
            lines.append(f"  - only OLD {where(item)} {item.get('message', '')[:160]}")
    for item in sorted(gained, key=where):
        lines.append(f"  + only NEW {where(item)} {item.get('message', '')[:160]}")
    if len(lines) > limit:
        lines = lines[:limit] + [f"  ... {len(lines) - limit} more"]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--roots", help="comma-separated folders instead of the whole corpus")
    parser.add_argument("--quick", action="store_true", help="without Django's and SQLAlchemy's sdists and the large shapes")
    parser.add_argument("--limit", type=int, default=40, help="difference lines shown per root")
    args = parser.parse_args()
    args.old, args.new = str(Path(args.old).resolve()), str(Path(args.new).resolve())
    if args.roots:
        selected = [(Path(path).resolve(), own_config(Path(path).resolve())) for path in args.roots.split(",")]
    else:
        selected = roots(args.quick)
    differing, total, times = 0, 0, {"old": 0.0, "new": 0.0}
    for root, extra in selected:
        try:
            old, old_wall = findings(args.old, root, extra)
            new, new_wall = findings(args.new, root, extra)
        except RuntimeError as error:
            print(f"FAILED {error}")
            return 2
        times["old"] += old_wall
        times["new"] += new_wall
        total += sum(old.values())
        name = root.relative_to(REPO) if root.is_relative_to(REPO) else root
        if old == new:
            print(f"same      {name}: {sum(old.values())} findings ({old_wall:.2f} s -> {new_wall:.2f} s)")
        else:
            differing += 1
            print(f"DIFFERENT {name}: {sum(old.values())} -> {sum(new.values())} findings")
            print("\n".join(describe(old, new, args.limit)))
        sys.stdout.flush()
    print(f"\n{len(selected)} roots, {total} findings (old); {differing} root(s) differ; wall {times['old']:.1f} s old, {times['new']:.1f} s new")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
