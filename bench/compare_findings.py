"""Findings identity: `check --format json` with two shipshape binaries over
the whole corpus must report the same findings.

  python3 bench/compare_findings.py OLD_BIN NEW_BIN [--roots DIR,...] [--quick]

The corpus: every PyPI sdist of bench/corpus.py (fetched on first use), the
generated shapes at every size, the repository's examples/*, tests/projects/*,
tests/workspaces/*, tests/fixtures and the rule folders (server/shipshape-core/rules). Each root is checked from inside it
(`check --format json --fail-on never .`), so paths are relative and the
same for both binaries; with its own shipshape.toml if it has one, else with
`--no-config` (the repository's shipshape.toml excludes the fixtures). Findings are compared as a multiset of whole JSON
objects (rule, path, range, severity, message, fix, ...): only their order,
and timing fields should any appear, are ignored. Exits 1 with a readable
diff when they differ, 2 when a binary fails. A file whose rules `check`
stopped at its time budget (stderr: "rules stopped after 2000 ms") has
findings that depend on the machine's speed: it is left out of the
comparison and listed as not compared (exit 3 with --strict)."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

# check's rules stop at a time budget and say so on stderr; such a file's
# findings depend on the machine's speed, so it cannot be compared.
CUT = re.compile(r"^(?:shipshape: )?(.+?): rules stopped after \d+ ms")
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
    found.append(REPO / "server/shipshape-core/rules")
    return [(root, own_config(root)) for root in found]


def strip(value):
    if isinstance(value, dict):
        return {key: strip(item) for key, item in value.items() if key not in IGNORED}
    if isinstance(value, list):
        return [strip(item) for item in value]
    return value


def findings(binary: str, root: Path, extra: list[str]) -> tuple[Counter, float, set[str]]:
    """The findings of one root, the wall time, and the files whose rules
    the time budget stopped ("PATH: rules stopped after 2000 ms")."""
    started = time.perf_counter()
    out = subprocess.run(
        [binary, "check", "--format", "json", "--fail-on", "never", *extra, "."],
        check=False,
        cwd=root,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    if out.returncode != 0:
        raise RuntimeError(f"{binary} on {root}: exit {out.returncode}\n{out.stderr[-2000:]}")
    cut = set()
    for line in out.stderr.splitlines():
        match = CUT.search(line)
        if match:
            cut.add(match.group(1).removeprefix("./"))
    items = json.loads(out.stdout or "[]")
    return Counter(json.dumps(strip(item), sort_keys=True) for item in items), wall, cut


def without(found: Counter, paths: set[str]) -> Counter:
    return Counter({text: n for text, n in found.items() if json.loads(text).get("path", "").removeprefix("./") not in paths})


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
    parser.add_argument("--strict", action="store_true", help="exit 3 when a file could not be compared (time budget)")
    parser.add_argument("--limit", type=int, default=40, help="difference lines shown per root")
    args = parser.parse_args()
    args.old, args.new = str(Path(args.old).resolve()), str(Path(args.new).resolve())
    if args.roots:
        selected = [(Path(path).resolve(), own_config(Path(path).resolve())) for path in args.roots.split(",")]
    else:
        selected = roots(args.quick)
    differing, total, times, uncompared = 0, 0, {"old": 0.0, "new": 0.0}, []
    for root, extra in selected:
        try:
            old, old_wall, old_cut = findings(args.old, root, extra)
            new, new_wall, new_cut = findings(args.new, root, extra)
        except RuntimeError as error:
            print(f"FAILED {error}")
            return 2
        times["old"] += old_wall
        times["new"] += new_wall
        total += sum(old.values())
        name = root.relative_to(REPO) if root.is_relative_to(REPO) else root
        cut = old_cut | new_cut
        note = ""
        if cut:
            old, new = without(old, cut), without(new, cut)
            uncompared += [f"{name}/{path}" for path in sorted(cut)]
            note = f"; NOT COMPARED (the rules' time budget stopped them, old: {len(old_cut)}, new: {len(new_cut)}): {', '.join(sorted(cut))}"
        if old == new:
            print(f"same      {name}: {sum(old.values())} findings ({old_wall:.2f} s -> {new_wall:.2f} s){note}")
        else:
            differing += 1
            print(f"DIFFERENT {name}: {sum(old.values())} -> {sum(new.values())} findings{note}")
            print("\n".join(describe(old, new, args.limit)))
        sys.stdout.flush()
    print(f"\n{len(selected)} roots, {total} findings (old); {differing} root(s) differ; wall {times['old']:.1f} s old, {times['new']:.1f} s new")
    if uncompared:
        print(f"INCOMPLETE: {len(uncompared)} file(s) not compared, their rules stopped at the time budget: {', '.join(uncompared)}")
        if args.strict and not differing:
            return 3
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
