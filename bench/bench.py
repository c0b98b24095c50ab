"""shipshape's side-by-side benchmarks (see README, "Benchmarks").

  python3 bench/bench.py [--reps N] [--only a,b,c,d] [--pip-tree DIR] [--dockerfiles DIR]

(a) keystroke -> diagnostics over stdio on a 10,000-line module, against
    `ruff server`, same client; (b) `shipshape check` on a large Python tree
    against ruff (default and --select ALL), bandit and semgrep; (c)
    Dockerfiles against hadolint, one process for all files (the corpus of
    bench/dockerfiles/SOURCES, fetched by bench/dockerfiles/fetch.sh); (d) the
    server's RSS after opening a 2,000-file workspace and editing in it.
Every measurement is repeated; tables show medians. Peers come from PATH or
the venv named by $BENCH_VENV (bench/setup.sh makes one)."""

from __future__ import annotations

import argparse
import json
import os
import resource
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

from generate import module, workspace  # noqa: E402
from lsp_client import LspClient  # noqa: E402


def tool(name: str) -> str | None:
    venv = os.environ.get("BENCH_VENV")
    if venv and (Path(venv) / "bin" / name).exists():
        return str(Path(venv) / "bin" / name)
    return shutil.which(name)


def shipshape_binary() -> str:
    binary = os.environ.get("SHIPSHAPE_BIN") or str(REPO / "target/release/shipshape")
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


# (a) keystroke -> diagnostics ------------------------------------------------


def keystroke_latencies(command: list[str], path: Path, keystrokes: int) -> list[float]:
    client = LspClient(command, cwd=path.parent)
    try:
        client.initialize(path.parent)
        uri = path.as_uri()
        text = path.read_text()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        client.wait_notification("textDocument/publishDiagnostics", lambda p: p["uri"] == uri, timeout=120)
        # Type a comment into the middle of the module, one character at a
        # time, waiting for each version's diagnostics.
        line = text.count("\n") // 2
        client.drain()
        latencies = []
        word = "# keep typing to measure "
        for index in range(keystrokes):
            version = index + 2
            char = word[index % len(word)]
            change = {"range": {"start": {"line": line, "character": index}, "end": {"line": line, "character": index}}, "text": char}
            sent = client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            received, _ = client.wait_notification(
                "textDocument/publishDiagnostics",
                lambda p: p["uri"] == uri and p.get("version", version) == version,
                timeout=60,
            )
            latencies.append((received - sent) * 1000)
        return latencies
    finally:
        client.close()


def bench_keystrokes(reps: int) -> str:
    work = Path(tempfile.mkdtemp(prefix="shipshape-bench-a-"))
    path = work / "orders.py"
    path.write_text(module(10_000))
    (work / "requirements.txt").write_text("fastapi\nrequests\nhttpx\n")
    servers = {"shipshape server": [shipshape_binary(), "server"]}
    ruff = tool("ruff")
    if ruff:
        servers["ruff server"] = [ruff, "server"]
    results: dict[str, list[float]] = {name: [] for name in servers}
    for _ in range(reps):
        for name, command in servers.items():  # interleaved: same noise for both
            results[name].extend(keystroke_latencies(command, path, 40))
    rows = []
    for name, values in results.items():
        rows.append([name, f"{len(values)}", f"{percentile(values, 0.5):.2f}", f"{percentile(values, 0.95):.2f}"])
    if "ruff server" in results:
        ratio = percentile(results["shipshape server"], 0.5) / percentile(results["ruff server"], 0.5)
        rows.append(["ratio shipshape/ruff (p50)", "", f"{ratio:.2f}x", "target <= 0.75x"])
    shutil.rmtree(work)
    return table(f"(a) keystroke -> diagnostics, {path.name} (10,000 lines), ms", ["server", "keystrokes", "p50", "p95"], rows)


# (b), (c) whole-tree runs -------------------------------------------------------


def timed(command: list[str], cwd: Path | None = None) -> dict:
    """Runs a command in a fresh wrapper process and returns wall, CPU and
    peak RSS of it and its descendants."""
    wrapper = (
        "import json,resource,subprocess,sys,time;"
        "t=time.perf_counter();"
        "p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
        "w=time.perf_counter()-t;"
        "r=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps({'wall':w,'cpu':r.ru_utime+r.ru_stime,'rss_kib':r.ru_maxrss,'code':p.returncode}))"
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


def fetch_pip_tree() -> Path:
    target = Path(tempfile.gettempdir()) / "shipshape-bench-pip"
    if (target / "src").exists():
        return target
    target.mkdir(exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "pip==24.3.1", "-d", str(target)],
        check=True,
        capture_output=True,
    )
    archive = next(target.glob("pip-*.tar.gz"))
    subprocess.run(["tar", "xzf", str(archive), "-C", str(target), "--strip-components=1"], check=True)
    return target


SEMGREP_RULES = """rules:
  - id: requests-without-timeout
    languages: [python]
    severity: WARNING
    message: requests call without timeout
    patterns:
      - pattern-either:
          - pattern: requests.$M(...)
      - pattern-not: requests.$M(..., timeout=$T, ...)
  - id: bare-except
    languages: [python]
    severity: WARNING
    message: bare except
    pattern: |
      try:
        ...
      except:
        ...
  - id: print-call
    languages: [python]
    severity: INFO
    message: print
    pattern: print(...)
  - id: debug-true
    languages: [python]
    severity: WARNING
    message: debug enabled
    pattern: $APP.run(..., debug=True, ...)
"""


def bench_check(reps: int, tree: Path | None) -> str:
    tree = tree or fetch_pip_tree()
    source = tree / "src" if (tree / "src").exists() else tree
    lines = python_lines(source)
    commands = {"shipshape check": [shipshape_binary(), "check", "--format", "json", "--fail-on", "never", str(source)]}
    if ruff := tool("ruff"):
        commands["ruff check (default)"] = [ruff, "check", "--no-cache", "--exit-zero", "-q", "--isolated", str(source)]
        commands["ruff check --select ALL"] = [ruff, "check", "--no-cache", "--exit-zero", "-q", "--isolated", "--select", "ALL", str(source)]
    if bandit := tool("bandit"):
        commands["bandit -r"] = [bandit, "-r", "-q", "-f", "json", str(source)]
    if semgrep := tool("semgrep"):
        rules = Path(tempfile.gettempdir()) / "shipshape-bench-semgrep.yml"
        rules.write_text(SEMGREP_RULES)
        commands["semgrep (4 local Python rules)"] = [
            semgrep, "scan", "--config", str(rules), "--metrics=off", "--disable-version-check", "--quiet", "--no-git-ignore", str(source),
        ]
    results = run_side_by_side(commands, reps, tree)
    rows = summarise(results, lines, "shipshape check")
    return table(
        f"(b) whole tree: {source} ({lines:,} lines of Python), {reps} runs each, medians",
        ["tool", "wall s", "CPU s", "peak RSS MiB", "lines/s", "wall vs shipshape"],
        rows,
    )


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--only", default="a,b,c,d")
    parser.add_argument("--pip-tree", type=Path)
    parser.add_argument("--dockerfiles", type=Path, default=REPO / "bench/dockerfiles/corpus")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n")
    only = set(args.only.split(","))
    if "a" in only:
        print(bench_keystrokes(args.reps))
    if "b" in only:
        print(bench_check(args.reps, args.pip_tree))
    if "c" in only:
        print(bench_dockerfiles(args.reps, args.dockerfiles))
    if "d" in only:
        print(bench_memory())
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
