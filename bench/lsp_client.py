"""A minimal LSP client over stdio for benchmarks: JSON-RPC framing, a
reader thread, and waiting for notifications."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path


def read_message(stream) -> dict | None:
    """The next JSON-RPC message of a framed stream, decoded; `None` at its
    end. Frames without a `Content-Length` are skipped."""
    while True:
        length = None
        while True:
            line = stream.readline()
            if not line:
                return None
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        if length is not None:
            return json.loads(stream.read(length))


class LspClient:
    def __init__(self, command: list[str], cwd: Path | None = None) -> None:
        # $BENCH_SERVER_LOG: append the servers' stderr to this file.
        log = os.environ.get("BENCH_SERVER_LOG")
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(log, "ab") if log else subprocess.DEVNULL,  # noqa: SIM115 - the child holds it
            cwd=cwd,
        )
        self.next_id = 0
        self.responses: dict[int, dict] = {}
        self.notifications: queue.Queue[tuple[float, dict]] = queue.Queue()
        # The last publishDiagnostics of every URI, and when one last came:
        # what the server shows once it is quiet.
        self.latest: dict[str, dict] = {}
        self.last_publish = time.perf_counter()
        self.lock = threading.Condition()
        self.send_lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while (message := read_message(stream)) is not None:
            received = time.perf_counter()
            if "id" in message and "method" in message:
                # A request from the server: answer it so it never waits.
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message:
                with self.lock:
                    self.responses[message["id"]] = message
                    self.lock.notify_all()
            else:
                if message.get("method") == "textDocument/publishDiagnostics":
                    with self.lock:
                        self.latest[message["params"]["uri"]] = message["params"]
                        self.last_publish = received
                self.notifications.put((received, message))

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        with self.send_lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def request(self, method: str, params: dict | None, timeout: float = 60) -> dict:
        self.next_id += 1
        request_id = self.next_id
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self.lock:
            while request_id not in self.responses:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(method)
                self.lock.wait(remaining)
            return self.responses.pop(request_id)

    def notify(self, method: str, params: dict) -> float:
        sent = time.perf_counter()
        self._send({"jsonrpc": "2.0", "method": method, "params": params})
        return sent

    def wait_notification(self, method: str, predicate=lambda params: True, timeout: float = 60) -> tuple[float, dict]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(method)
            received, message = self.notifications.get(timeout=remaining)
            if message.get("method") == method and predicate(message.get("params", {})):
                return received, message["params"]

    def wait_quiet(self, quiet: float = 3.0, at_least: float = 0.0, limit: float = 180.0) -> float:
        """Waits until no diagnostics came for `quiet` seconds (and at least
        `at_least` seconds passed); returns the seconds waited."""
        start = time.perf_counter()
        while True:
            now = time.perf_counter()
            with self.lock:
                last = self.last_publish
            if now - start >= at_least and now - max(last, start) >= quiet:
                return now - start
            if now - start > limit:
                raise TimeoutError(f"diagnostics still changing after {limit} s")
            time.sleep(0.1)

    def wait_published(self, uri: str, timeout: float = 180.0) -> None:
        """Waits until diagnostics of `uri` were published (any version)."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                if uri in self.latest:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"no diagnostics of {uri}")
            time.sleep(0.05)

    def drain(self) -> None:
        while not self.notifications.empty():
            self.notifications.get_nowait()

    def idle(self, seconds: float) -> None:
        """Waits `seconds`, handling the notifications that come meanwhile as
        an editor does (here: dropping them), instead of letting them pile up
        in the queue for the next wait to go through."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                self.notifications.get(timeout=remaining)
            except queue.Empty:
                return

    def initialize(self, root: Path) -> dict:
        result = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": {
                    "general": {"positionEncodings": ["utf-16"]},
                    "textDocument": {
                        "synchronization": {"didSave": True},
                        "publishDiagnostics": {"versionSupport": True},
                    },
                    "workspace": {"configuration": False, "workspaceFolders": True},
                },
            },
        )
        self.notify("initialized", {})
        return result

    def rss_kib(self) -> tuple[int, int]:
        """(current RSS, peak RSS) of the server process in KiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", {})
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()
