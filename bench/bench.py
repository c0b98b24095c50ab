"""shipshape's side-by-side benchmarks (see bench/README.md).

  python3 bench/bench.py [--only SECTIONS] [--quick] [--reps N] [--shapes A,B] [--modules A,B]

Sections (--only, comma-separated; default: keys,cli,trees,storm):
  keys    keystroke -> diagnostics over stdio, shipshape server vs `ruff server`,
          same client, on every generated shape (10,000 lines) and the largest
          real modules of the PyPI sdists (bench/corpus.py); and the floor, a
          stand-in that publishes shipshape's diagnostics at once (the client's
          share of a sample: receiving and decoding them)
  cli     `check --format json` of one file per shape at 2.5k..40k lines vs
          `ruff check --select ALL --output-format json --no-cache`
  trees   pip's and Django's whole sdist trees, cold and warm, vs ruff
  storm   a 2,000-file branch switch while typing: latency, RSS, convergence
  memory  RSS in a 2,000-file workspace with 50 open files
  docker  Dockerfiles vs hadolint (bench/dockerfiles)
Every measurement is repeated, servers and tools interleaved so that the
machine's load weighs on both alike; the load is printed at start and end.
Peers come from the venv named by $BENCH_VENV (bench/setup.sh makes one) or
PATH; shipshape from $SHIPSHAPE_BIN or target/release/shipshape."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from generate import SHAPES, SIZES, module, workspace  # noqa: E402
from keystrokes import Session, plan  # noqa: E402
from lsp_client import LspClient  # noqa: E402


def tool(name: str) -> str | None:
    venv = os.environ.get("BENCH_VENV")
    if venv and (Path(venv) / "bin" / name).exists():
        return str((Path(venv) / "bin" / name).resolve())
    return shutil.which(name)


def shipshape_binary() -> str:
    binary = str(Path(os.environ.get("SHIPSHAPE_BIN") or REPO / "target/release/shipshape").resolve())
    if not Path(binary).exists():
        raise SystemExit(f"{binary} not found: run `cargo build --release -p shipshape` first")
    return binary


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# (b), (c) whole-tree runs -------------------------------------------------------


def timed(command: list[str], cwd: Path | None = None) -> dict:
    """Runs a command in a fresh wrapper process and returns wall, CPU and
    peak RSS of it and its descendants."""
    wrapper = (
        "import json,resource,subprocess,sys,time;"
        "t=time.perf_counter();"
        "p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
        "w=time.perf_counter()-t;"
        "r=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps({'wall':w,'cpu':r.ru_utime+r.ru_stime,'rss_kib':r.ru_maxrss,'code':p.returncode,"
        "'cutoff':b'rules stopped after' in p.stderr}))"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *command], cwd=cwd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def python_lines(tree: Path) -> int:
    return sum(len(path.read_bytes().splitlines()) for path in tree.rglob("*.py"))


def run_side_by_side(commands: dict[str, list[str]], reps: int, cwd: Path) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {name: [] for name in commands}
    for _ in range(reps):
        for name, command in commands.items():
            results[name].append(timed(command, cwd))
    return results


def summarise(results: dict[str, list[dict]], lines: int | None, baseline: str) -> list[list[str]]:
    base = statistics.median(run["wall"] for run in results[baseline])
    rows = []
    for name, runs in results.items():
        wall = statistics.median(run["wall"] for run in runs)
        cpu = statistics.median(run["cpu"] for run in runs)
        rss = statistics.median(run["rss_kib"] for run in runs) / 1024
        row = [name, f"{wall:.3f}", f"{cpu:.3f}", f"{rss:.0f}"]
        if lines:
            row.append(f"{lines / wall:,.0f}")
        row.append(f"{wall / base:.2f}x")
        rows.append(row)
    return rows


def bench_dockerfiles(reps: int, directory: Path) -> str:
    files = sorted(p for p in directory.rglob("*") if p.is_file() and ("dockerfile" in p.name.lower() or p.name.lower().startswith("containerfile")))
    if not files:
        return (
            f"### (c) Dockerfiles\n\nno Dockerfiles under {directory}: "
            "run bench/dockerfiles/fetch.sh (the corpus listed in bench/dockerfiles/SOURCES)\n"
        )
    commands = {"shipshape check": [shipshape_binary(), "check", "--format", "json", "--fail-on", "never", *map(str, files)]}
    if hadolint := tool("hadolint"):
        commands["hadolint (one process)"] = [hadolint, "--no-fail", "-f", "json", *map(str, files)]
    results = run_side_by_side(commands, reps, directory)
    rows = summarise(results, None, "shipshape check")
    return table(f"(c) {len(files)} Dockerfiles under {directory}, {reps} runs each, medians", ["tool", "wall s", "CPU s", "peak RSS MiB", "wall vs shipshape"], rows)


# (d) memory ---------------------------------------------------------------------


def bench_memory(files: int = 2000) -> str:
    work = Path(tempfile.mkdtemp(prefix="shipshape-bench-d-"))
    workspace(work, files)
    client = LspClient([shipshape_binary(), "server"], cwd=work)
    try:
        client.initialize(work)
        paths = sorted(work.rglob("module*.py"))[:50]
        for path in paths:
            client.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "python", "version": 1, "text": path.read_text()}})
        for version, path in enumerate(paths * 4, start=2):
            change = {"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}}, "text": "# edit\n"}
            client.notify("textDocument/didChange", {"textDocument": {"uri": path.as_uri(), "version": version}, "contentChanges": [change]})
        time.sleep(3)
        rss, peak = client.rss_kib()
    finally:
        client.close()
        shutil.rmtree(work)
    return table(
        f"(d) server memory, {files}-file workspace, 50 files opened, 200 edits",
        ["RSS MiB", "peak RSS MiB", "target"],
        [[f"{rss / 1024:.0f}", f"{peak / 1024:.0f}", "<= 150 MiB"]],
    )


# keys: keystroke -> diagnostics ------------------------------------------------


def servers() -> dict[str, list[str]]:
    found = {"shipshape": [shipshape_binary(), "server"]}
    if ruff := tool("ruff"):
        found["ruff"] = [ruff, "server"]
    else:
        print("ruff not found: the keystroke tables have no ruff column (run bench/setup.sh)", file=sys.stderr)
    return found


def stats(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{percentile(values, 0.5):.1f} / {percentile(values, 0.95):.1f} / {max(values):.1f}"


def keys_one(path: Path, label: str, reps: int, quick: bool, gap: float, by_kind: dict) -> list[str]:
    """Plays the plan on `path` with every server, interleaved, `reps` times."""
    work = Path(tempfile.mkdtemp(prefix="shipshape-bench-keys-"))
    target = work / path.name
    shutil.copyfile(path, target)
    (work / "requirements.txt").write_text("fastapi\nrequests\nhttpx\ndjango\n")
    text = target.read_text()
    edits = plan(text, positions=8 if quick else 24, bursts=1 if quick else 3, pastes=1 if quick else 2)
    commands = servers()
    # The floor: a stand-in that publishes what shipshape published for
    # the opened module, at once, for every version (bench/echo_server.py).
    published = work / "published.json"
    echo = [sys.executable, str(Path(__file__).with_name("echo_server.py")), str(published)]
    commands = {"shipshape": commands["shipshape"], "floor": echo} | commands
    samples: dict[str, list[float]] = {name: [] for name in commands}
    opened: dict[str, list[float]] = {name: [] for name in commands}
    timeouts = {name: 0 for name in commands}
    try:
        for _ in range(reps):
            for name, command in commands.items():
                if name == "floor" and not published.exists():
                    continue
                session = Session(command, target, gap)
                try:
                    if name == "shipshape" and not published.exists():
                        with session.client.lock:
                            diagnostics = session.client.latest[session.uri]["diagnostics"]
                        published.write_text(json.dumps(diagnostics))
                    opened[name].append(session.open_ms)
                    for kind, where, ms in session.play(edits):
                        samples[name].append(ms)
                        by_kind.setdefault((name, kind), []).append(ms)
                        if kind == "key":
                            by_kind.setdefault((name, f"key at: {where}"), []).append(ms)
                except Exception as error:  # noqa: BLE001 - a failed session is counted in the table
                    timeouts[name] += 1
                    print(f"{label}: {name}: {type(error).__name__}: {error}", file=sys.stderr)
                finally:
                    session.close()
    finally:
        shutil.rmtree(work)
    ship, ruff, floor = samples["shipshape"], samples.get("ruff", []), samples["floor"]
    row = [label, f"{text.count(chr(10)) + 1:,}", f"{len(ship)}", stats(ship), stats(ruff)]
    if ship and ruff:
        row += [
            f"{percentile(ship, 0.5) / percentile(ruff, 0.5):.2f}x",
            f"{percentile(ship, 0.95) / percentile(ruff, 0.95):.2f}x",
        ]
    else:
        row += ["-", "-"]
    row.append(stats(floor))
    row.append(f"{percentile(floor, 0.5) / percentile(ruff, 0.5):.2f}x" if floor and ruff else "-")
    row.append(" / ".join(f"{statistics.median(opened[name]):.0f}" if opened[name] else "-" for name in ("shipshape", "ruff") if name in commands))
    if any(timeouts.values()):
        row[0] += " (failed sessions: " + ", ".join(f"{n} {c}" for n, c in timeouts.items() if c) + ")"
    print(f"  {' | '.join(row)}", file=sys.stderr)
    return row


def bench_keys(args) -> str:
    reps = args.reps if args.reps else (1 if args.quick else 2)
    lines = args.lines or 10_000
    modules: list[tuple[str, Path]] = []
    for name in args.shapes:
        modules.append((f"{name} (generated)", corpus.shapes([lines])[(name, lines)]))
    if args.modules:
        roots = corpus.fetch(pip_command())
        for path in corpus.largest_modules({n: r for n, r in roots.items() if n in args.modules}):
            if corpus.lines_of(path) >= args.min_real_lines:
                modules.append((str(path.relative_to(corpus.TREES)), path))
    by_kind: dict[tuple[str, str], list[float]] = {}
    rows = [keys_one(path, label, reps, args.quick, args.gap, by_kind) for label, path in modules]
    out = table(
        f"keystroke -> diagnostics, ms (p50 / p95 / max), {reps} session(s) per server per module, servers interleaved; floor: bench/echo_server.py, which publishes at once what shipshape published for the opened module",
        ["module", "lines", "samples per server", "shipshape p50 / p95 / max", "ruff server p50 / p95 / max", "p50 ratio", "p95 ratio", "floor p50 / p95 / max", "floor p50 ratio", "open ms (shipshape / ruff)"],
        rows,
    )
    kinds = sorted({kind for _, kind in by_kind})
    kind_rows = [[kind, stats(by_kind.get(("shipshape", kind), [])), stats(by_kind.get(("ruff", kind), []))] for kind in kinds]
    out += "\n" + table(
        "keystroke -> diagnostics by edit kind (and single keys by where they are typed), all modules above, ms (p50 / p95 / max)",
        ["edit", "shipshape", "ruff server"],
        kind_rows,
    )
    return out


# cli: one file per shape and size ------------------------------------------------


def shipshape_has_no_cache() -> bool:
    out = subprocess.run([shipshape_binary(), "check", "--help"], capture_output=True, text=True)
    return "--no-cache" in out.stdout


def shipshape_check(paths: list[Path], cache: bool) -> list[str]:
    command = [shipshape_binary(), "check", "--format", "json", "--fail-on", "never"]
    if not cache and shipshape_has_no_cache():
        command.append("--no-cache")
    return command + [str(path) for path in paths]


def ruff_check(paths: list[Path], cache_dir: Path | None) -> list[str] | None:
    ruff = tool("ruff")
    if not ruff:
        return None
    command = [ruff, "check", "--select", "ALL", "--output-format", "json", "--exit-zero", "--isolated"]
    command += ["--cache-dir", str(cache_dir)] if cache_dir else ["--no-cache"]
    return command + [str(path) for path in paths]


def median_wall(command: list[str], reps: int, cwd: Path) -> float:
    return statistics.median(timed(command, cwd)["wall"] for _ in range(reps))


def bench_cli(args) -> str:
    reps = args.reps if args.reps else (1 if args.quick else 5)
    sizes = [args.lines] if args.lines else list(SIZES)
    rows = []
    for name in args.shapes:
        files = corpus.shapes(sizes)
        ship, ruff, cut = {}, {}, {}
        for lines in sizes:
            path = files[(name, lines)]
            results = {"shipshape": [], "ruff": []}
            for _ in range(reps):  # interleaved
                run = timed(shipshape_check([path], cache=False), path.parent)
                results["shipshape"].append(run["wall"])
                cut[lines] = cut.get(lines, False) or run["cutoff"]
                if command := ruff_check([path], None):
                    results["ruff"].append(timed(command, path.parent)["wall"])
            ship[lines] = statistics.median(results["shipshape"])
            ruff[lines] = statistics.median(results["ruff"]) if results["ruff"] else None
        # `*`: shipshape stopped the rules at its time budget ("rules stopped
        # after 2000 ms"): the time is capped and findings are missing.
        cells = [f"{ship[n]:.3f}{'*' if cut[n] else ''} / " + (f"{ruff[n]:.3f}" if ruff[n] else "-") for n in sizes]
        scale = "-"
        if 10_000 in ship and 40_000 in ship:
            scale = f"{ship[40_000] / ship[10_000]:.2f}x"
            if ruff[10_000]:
                scale += f" / {ruff[40_000] / ruff[10_000]:.2f}x"
        rows.append([name, *cells, scale])
        print(f"  {' | '.join(rows[-1])}", file=sys.stderr)
    return table(
        f"`check --format json` of one file, cold, wall s (shipshape / ruff --select ALL --output-format json --no-cache), median of {reps}; "
        "* = shipshape stopped its rules at the time budget (time capped, findings missing)",
        ["shape", *[f"{n:,} lines" for n in sizes], "40k/10k (shipshape / ruff; target <= 4.5x)"],
        rows,
    )


# trees: pip's and Django's sdists, cold and warm ------------------------------------


def bench_trees(args) -> str:
    reps = args.reps if args.reps else (1 if args.quick else 3)
    roots = corpus.fetch(pip_command())
    has_cache = shipshape_has_no_cache()
    rows, split_rows = [], []
    for name in args.trees:
        root = roots[name]
        lines = python_lines(root)
        cache_dir = Path(tempfile.mkdtemp(prefix="shipshape-bench-ruff-cache-"))
        cold = {"shipshape": shipshape_check([root], cache=False), "ruff": ruff_check([root], None)}
        warm = {"shipshape": shipshape_check([root], cache=True), "ruff": ruff_check([root], cache_dir)}
        results: dict[str, list[float]] = {key: [] for key in ("shipshape cold", "ruff cold", "shipshape warm", "ruff warm")}
        for tool_name in ("shipshape", "ruff"):
            if warm[tool_name]:
                timed(warm[tool_name], root)  # fills the cache
        for _ in range(reps):
            for tool_name in ("shipshape", "ruff"):
                if cold[tool_name]:
                    run = timed(cold[tool_name], root)
                    results[f"{tool_name} cold"].append(run["wall"])
                    if run.get("cutoff"):
                        print(f"{name}: shipshape stopped the rules of some file at its time budget", file=sys.stderr)
                if warm[tool_name]:
                    results[f"{tool_name} warm"].append(timed(warm[tool_name], root)["wall"])
        shutil.rmtree(cache_dir, ignore_errors=True)
        med = {key: statistics.median(values) if values else None for key, values in results.items()}

        def ratio(a: str, b: str, med=med) -> str:
            return f"{med[a] / med[b]:.2f}x" if med[a] and med[b] else "-"

        def cell(key: str, med=med) -> str:
            return f"{med[key]:.3f}" if med[key] else "-"

        files = sum(1 for _ in root.rglob("*.py"))
        warm_note = "" if has_cache else " (no cache in this binary)"
        rows.append([
            f"{name} sdist ({files:,} .py, {lines:,} lines)",
            cell("shipshape cold"), cell("ruff cold"), ratio("shipshape cold", "ruff cold"),
            cell("shipshape warm") + warm_note, cell("ruff warm"), ratio("shipshape warm", "ruff warm"),
        ])
        print(f"  {' | '.join(rows[-1])}", file=sys.stderr)
        # The whole tree against its top-level folders checked one by one.
        folders = [path for path in sorted(root.iterdir()) if path.is_dir() and any(path.rglob("*.py"))]
        whole = med["shipshape cold"]
        parts = sum(median_wall(shipshape_check([folder], cache=False), reps, root) for folder in folders)
        split_rows.append([name, f"{len(folders)}", f"{whole:.3f}", f"{parts:.3f}", f"{whole / parts:.2f}x"])
    out = table(
        f"whole sdist trees, `check --format json` vs `ruff check --select ALL --output-format json`, wall s, median of {reps}",
        ["tree", "shipshape cold", "ruff cold (--no-cache)", "cold ratio (target <= 1.25x)", "shipshape warm", "ruff warm (its cache)", "warm ratio (target <= 1x)"],
        rows,
    )
    out += "\n" + table(
        "shipshape: the whole tree against its top-level folders checked one by one (cold), wall s",
        ["tree", "folders", "whole tree", "sum of folders", "whole / sum (target <= 1x)"],
        split_rows,
    )
    return out


def pip_command() -> list[str]:
    venv = os.environ.get("BENCH_VENV")
    if venv and (Path(venv) / "bin" / "pip").exists():
        return [str(Path(venv) / "bin" / "pip")]
    return [sys.executable, "-m", "pip"]


# storm: a branch switch while typing ----------------------------------------------

STORM_SERVICE = REPO / "tests/workspaces/service"
HEALTH_ROUTE = '''

@app.get("/health")
def health() -> dict:
    return {"status": "ok"}
'''


def storm_workspace(root: Path, files: int) -> Path:
    """The service of tests/workspaces/service, its app module grown to
    1,500 lines of routes and models, and `files` generated modules. Its
    Dockerfile probes /healthz, which nothing serves. Returns the app module."""
    shutil.copytree(STORM_SERVICE, root, dirs_exist_ok=True)
    main = root / "app/main.py"
    main.write_text(module(1_500, seed=5) + HEALTH_ROUTE)
    workspace(root, files, branch=0)
    return main


def switch_branch(root: Path, files: int) -> list[Path]:
    """The other branch, on disk: every generated module differs and the
    Dockerfile probes /health (served). Returns the changed files in the
    order git writes them (sorted), `files` in all."""
    dockerfile = root / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace("/healthz", "/health"))
    changed = [dockerfile] + workspace(root, files - 1, branch=1)
    return sorted(changed, key=lambda path: str(path.relative_to(root)))


def diagnostics_by_file(client: LspClient, root: Path) -> dict[str, set[tuple]]:
    found: dict[str, set[tuple]] = {}
    with client.lock:
        latest = dict(client.latest)
    for uri, params in latest.items():
        name = uri.removeprefix(root.as_uri() + "/")
        items = set()
        for item in params.get("diagnostics", []):
            start, end = item["range"]["start"], item["range"]["end"]
            items.add((start["line"], start["character"], end["line"], end["character"], str(item.get("code")), item.get("message", "")))
        if items:
            found[name] = items
    return found


QUIET = 8.0  # seconds without any diagnostics: the server is done


def ready(session: Session, root: Path) -> None:
    """The workspace is read: the (unopened) Dockerfile's diagnostics came,
    and then nothing for QUIET seconds."""
    session.client.wait_published((root / "Dockerfile").as_uri(), timeout=300)
    session.client.wait_quiet(QUIET, limit=300)


def type_keys(session: Session, edits, samples: list[float]) -> None:
    for _, _, ms in session.play(edits):
        samples.append(ms)


def bench_storm(args) -> str:
    files, batch = args.storm_files, 200
    work = Path(tempfile.mkdtemp(prefix="shipshape-bench-storm-"))
    try:
        main = storm_workspace(work, files)
        text = main.read_text()
        key_edits = [edit for edit in plan(text, positions=40, bursts=0, pastes=0) if edit.kind == "key"]
        batches = -(-files // batch)
        per_batch = max(1, len(key_edits) // batches)
        command = [shipshape_binary(), "server"]

        # Quiet: the same keys, nothing changes on disk.
        quiet: list[float] = []
        session = Session(command, main, args.gap, work)
        ready(session, work)
        for index in range(batches):
            type_keys(session, key_edits[index * per_batch : (index + 1) * per_batch], quiet)
        quiet_rss = session.client.rss_kib()
        session.close()

        # Storm: a batch of changed files on disk and announced, then keys.
        storm: list[float] = []
        session = Session(command, main, args.gap, work)
        ready(session, work)
        before = diagnostics_by_file(session.client, work)
        changed = switch_branch(work, files)
        for index in range(batches):
            chunk = changed[index * batch : (index + 1) * batch]
            session.client.notify(
                "workspace/didChangeWatchedFiles",
                {"changes": [{"uri": path.as_uri(), "type": 2} for path in chunk]},
            )
            type_keys(session, key_edits[index * per_batch : (index + 1) * per_batch], storm)
        settle = session.client.wait_quiet(QUIET, limit=300)
        rss, peak = session.client.rss_kib()
        after = diagnostics_by_file(session.client, work)
        session.close()

        # A fresh server on the same files and the same open text.
        session = Session(command, main, args.gap, work)
        ready(session, work)
        fresh = diagnostics_by_file(session.client, work)
        session.close()
    finally:
        shutil.rmtree(work)

    rows = [
        ["quiet workspace", f"{len(quiet)}", stats(quiet), "", f"{quiet_rss[0] / 1024:.0f} / {quiet_rss[1] / 1024:.0f}"],
        [
            f"{files} files changed, announced in batches of {batch}",
            f"{len(storm)}",
            stats(storm),
            f"{percentile(storm, 0.95) / percentile(quiet, 0.95):.2f}x (target <= 2x)",
            f"{rss / 1024:.0f} / {peak / 1024:.0f} (target < 150)",
        ],
    ]
    out = table(
        f"storm: typing into app/main.py ({text.count(chr(10)):,} lines) of a {files}-file workspace, shipshape server",
        ["workspace", "keys", "p50 / p95 / max ms", "p95 vs quiet", "RSS / peak MiB"],
        rows,
    )
    differences = []
    for name in sorted(set(after) | set(fresh)):
        lost = sorted(fresh.get(name, set()) - after.get(name, set()))
        extra = sorted(after.get(name, set()) - fresh.get(name, set()))
        for item in lost:
            differences.append(f"  {name}:{item[0] + 1}:{item[1] + 1} [{item[4]}] missing after the storm (a fresh server reports it): {item[5]}")
        for item in extra:
            differences.append(f"  {name}:{item[0] + 1}:{item[1] + 1} [{item[4]}] still reported after the storm (a fresh server does not): {item[5]}")
    total = sum(len(items) for items in fresh.values())
    changed_files = sum(1 for name in set(before) | set(fresh) if before.get(name, set()) != fresh.get(name, set()))
    verdict = "CONVERGED" if not differences else f"DID NOT CONVERGE: {len(differences)} difference(s)"
    out += (
        f"\nconvergence after the storm (quiet for {QUIET:.0f} s {settle:.1f} s after the last batch): {verdict}; "
        f"a fresh server reports {total} diagnostics in {len(fresh)} files "
        f"({changed_files} files' diagnostics differ between the two branches)\n"
    )
    if differences:
        out += "\n".join(differences[:60]) + ("\n  ..." if len(differences) > 60 else "") + "\n"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="keys,cli,trees,storm", help="sections: keys,cli,trees,storm,memory,docker")
    parser.add_argument("--quick", action="store_true", help="one repetition, a shorter edit plan")
    parser.add_argument("--reps", type=int, default=0, help="repetitions (default per section; --quick: 1)")
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"generated shapes, of {','.join(SHAPES)}")
    parser.add_argument("--modules", default=",".join(corpus.PINS), help="sdists whose largest module keys types into ('' for none)")
    parser.add_argument("--min-real-lines", type=int, default=5_000, help="keys: real modules at least this long")
    parser.add_argument("--lines", type=int, default=0, help="keys: shape length (10,000); cli: only this size")
    parser.add_argument("--trees", default="pip,Django", help="sdists checked whole by the trees section")
    parser.add_argument("--gap", type=float, default=0.05, help="keys/storm: seconds between a diagnostics and the next key")
    parser.add_argument("--storm-files", type=int, default=2000)
    parser.add_argument("--dockerfiles", type=Path, default=REPO / "bench/dockerfiles/corpus")
    args = parser.parse_args()
    args.shapes = [name for name in args.shapes.split(",") if name]
    args.modules = [name for name in args.modules.split(",") if name]
    args.trees = [name for name in args.trees.split(",") if name]
    unknown = set(args.shapes) - set(SHAPES)
    if unknown:
        raise SystemExit(f"unknown shapes {sorted(unknown)}; known: {', '.join(SHAPES)}")

    def uptime() -> str:
        load = os.getloadavg()
        return f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"

    binary = shipshape_binary()
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    ruff = tool("ruff")
    ruff_version = subprocess.run([ruff, "--version"], capture_output=True, text=True).stdout.strip() if ruff else "no ruff"
    print(f"machine: {os.cpu_count()} cores, {uptime()}; {binary} ({version}); {ruff_version}\n", flush=True)
    sections = {
        "keys": bench_keys,
        "cli": bench_cli,
        "trees": bench_trees,
        "storm": bench_storm,
        "memory": lambda args: bench_memory(),
        "docker": lambda args: bench_dockerfiles(args.reps or 5, args.dockerfiles),
    }
    for name in args.only.split(","):
        if name not in sections:
            raise SystemExit(f"unknown section {name}; known: {', '.join(sections)}")
        started = time.perf_counter()
        print(sections[name](args), flush=True)
        print(f"({name}: {time.perf_counter() - started:.0f} s, {uptime()})\n", flush=True)
    print(f"machine at the end: {uptime()}")


if __name__ == "__main__":
    main()
