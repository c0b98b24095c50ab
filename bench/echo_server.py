"""A stand-in language server for the keystroke bench: for every version of
the document it publishes at once the diagnostics it was given (those
shipshape published for the opened module), and checks nothing.

What the client takes to receive and decode a publication of that size is
in every shipshape sample; this server's latency is that part alone, the
floor under any server that publishes these findings to this client.

  python3 bench/echo_server.py DIAGNOSTICS.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lsp_client import read_message


def main() -> None:
    diagnostics = json.dumps(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))).encode()
    source, sink = sys.stdin.buffer, sys.stdout.buffer

    def send(body: bytes) -> None:
        sink.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        sink.flush()

    def answer(message: dict, result: object) -> None:
        send(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}).encode())

    while (message := read_message(source)) is not None:
        method = message.get("method")
        if method == "initialize":
            answer(message, {"capabilities": {"textDocumentSync": 2}})
        elif method == "exit":
            return
        elif method in ("textDocument/didOpen", "textDocument/didChange"):
            document = message["params"]["textDocument"]
            head = {"uri": document["uri"], "version": document["version"]}
            send(
                b'{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":'
                + json.dumps(head).encode()[:-1]
                + b',"diagnostics":'
                + diagnostics
                + b"}}"
            )
        elif "id" in message and method is not None:
            answer(message, None)


if __name__ == "__main__":
    main()
