"""The edit plan of `keystrokes.py` as the `didChange`s the bench sends, for
an in-process replay (`cargo run -p shipshape-lsp --example replay`), so a
keystroke's cost can be counted (work counters, callgrind instructions)
instead of timed over stdio.

  python3 bench/replay_plan.py MODULE.py PLAN.json [--quick]

Writes one JSON object per change: `start`/`end` ({line, character}, UTF-16
as the bench sends them), `text`, and `sample` (`"kind/where"`) for the
changes the bench waits on and measures (`null` for the keys of a burst
before its last one)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import keystrokes


class Recorder:
    """Stands in for `keystrokes.Session`: records each change instead of
    sending it, and returns its index as the 'latency' of the sample."""

    def __init__(self, text: str) -> None:
        self.rows = text.split("\n")
        self.gap = 0
        self.changes: list[dict] = []

    _position = keystrokes.Session._position

    def idle(self, _seconds: float) -> None:
        pass  # nothing is timed here

    def change(self, start, end, text, rows, wait=True):
        self.changes.append(
            {
                "start": self._position(*start, rows),
                "end": self._position(*end, rows),
                "text": text,
                "sample": None,
            }
        )
        return len(self.changes) - 1 if wait else None


def main() -> None:
    module, out = Path(sys.argv[1]), Path(sys.argv[2])
    quick = "--quick" in sys.argv[3:]
    text = module.read_text()
    edits = keystrokes.plan(text, positions=8, bursts=1, pastes=1) if quick else keystrokes.plan(text)
    recorder = Recorder(text)
    keystrokes.time.sleep = lambda _seconds: None  # nothing is timed here
    for kind, where, index in keystrokes.Session.play(recorder, edits):
        recorder.changes[index]["sample"] = f"{kind}/{where}"
    out.write_text(json.dumps(recorder.changes))


if __name__ == "__main__":
    main()
