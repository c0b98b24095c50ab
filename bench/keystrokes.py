"""Keystroke -> diagnostics over stdio: an edit plan spread over the whole
module (imports, decorators, signatures, class bodies, strings, literals,
function bodies; single keys, typing bursts, pastes and deletions of whole
functions), played against one server with one client.

Every sample is the time from sending the `didChange` of a version to
receiving the `publishDiagnostics` of that version. Every edit is undone by
the next one (a key by its backspace, a paste by its deletion), so each edit
of the plan applies to the module's original text."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from lsp_client import LspClient

CATEGORIES = {
    "import": re.compile(r"^(from|import) \S"),
    "decorator": re.compile(r"^\s*@\w"),
    "signature": re.compile(r"^\s*(async\s+)?def \w"),
    "field/assign": re.compile(r"^\s+\w+\s*(:|=)\s*\S"),
    "literal": re.compile(r"^\s+[\[\({\"'\d-].*[\d\]}\)],?\s*$"),
    "string": re.compile(r"""^\s*[^#\s].*?["']"""),
    "body": re.compile(r"^\s{4,}\w"),
}
SEGMENTS = 12


@dataclass
class Edit:
    kind: str  # "key", "burst", "paste", "delete"
    where: str  # category of the position
    start: tuple[int, int]  # (line, column in code points) in the original text
    end: tuple[int, int]
    text: str


def _utf16(line: str, column: int) -> int:
    return len(line[:column].encode("utf-16-le")) // 2


def _key_column(category: str, line: str) -> tuple[int, str]:
    """Where a single key goes on a line of that category, and which key."""
    stripped = len(line) - len(line.lstrip())
    if category == "signature":
        at = line.index("def ") + len("def ") + 1
        return at, "x"  # renames the function
    if category == "field/assign":
        return stripped + 1, "x"  # renames the field
    if category == "string":
        match = re.search(r"""["']""", line)
        return match.end(), "x"  # inside the string
    if category == "literal":
        match = re.search(r"\d", line)
        if match:
            return match.end(), "1"  # a digit more
    return len(line.rstrip("\r")), " "


def _top_level_functions(rows: list[str]) -> list[tuple[int, int]]:
    """(first, end) line ranges of top-level functions, decorators included,
    up to the next top-level statement."""
    spans = []
    index = 0
    while index < len(rows):
        row = rows[index]
        if row.startswith(("def ", "async def ", "@")):
            first = index
            while index < len(rows) and rows[index].startswith("@"):
                index += 1
            if index < len(rows) and rows[index].startswith(("def ", "async def ")):
                index += 1
                while index < len(rows) and (not rows[index] or rows[index][0] in " \t#" or rows[index].startswith(")")):
                    index += 1
                spans.append((first, index))
                continue
        index += 1
    return spans


def plan(text: str, positions: int = 24, bursts: int = 3, pastes: int = 2) -> list[Edit]:
    rows = text.split("\n")
    edits: list[Edit] = []
    # A docstring opened mid-file (the `docstring` shape): type into it.
    opened = [i for i, row in enumerate(rows) if row.strip() == "'''"]
    for line in opened[:1]:
        for k in range(positions // 4):
            column = len(rows[line])
            edits.append(Edit("key", "open docstring", (line, column), (line, column), "abcdefgh"[k % 8]))
    # Single keys at positions of every category, spread over the whole file.
    found: list[tuple[str, int]] = []
    size = max(1, len(rows) // SEGMENTS)
    for segment in range(SEGMENTS):
        seen = set()
        for line in range(segment * size, min(len(rows), (segment + 1) * size)):
            row = rows[line]
            if row.lstrip().startswith("#") or len(row) > 300:
                continue
            for category, pattern in CATEGORIES.items():
                if category not in seen and pattern.search(row):
                    seen.add(category)
                    found.append((category, line))
                    break
    # Round-robin over categories so that a short plan still has each kind.
    by_category: dict[str, list[int]] = {}
    for category, line in found:
        by_category.setdefault(category, []).append(line)
    order: list[tuple[str, int]] = []
    while any(by_category.values()) and len(order) < positions:
        for category in CATEGORIES:
            if by_category.get(category) and len(order) < positions:
                order.append((category, by_category[category].pop(0)))
    order.sort(key=lambda item: item[1])
    for category, line in order:
        column, key = _key_column(category, rows[line])
        edits.append(Edit("key", category, (line, column), (line, column), key))
    # Typing bursts: a comment typed at the end of body lines spread over the file.
    bodies = [line for category, line in found if category == "body"] or [line for _, line in found]
    for k in range(bursts):
        if bodies:
            line = bodies[(k * len(bodies)) // bursts]
            column = len(rows[line])
            edits.append(Edit("burst", "body", (line, column), (line, column), "  # typed quickly"))
    # Pastes of whole functions elsewhere, and deletions of whole functions.
    spans = [span for span in _top_level_functions(rows) if 4 <= span[1] - span[0] <= 80]
    for k in range(pastes):
        if len(spans) >= 2:
            source = spans[(k * len(spans)) // pastes]
            target = spans[((2 * k + 1) * len(spans)) // (2 * pastes)]
            block = "\n".join(rows[source[0] : source[1]]) + "\n"
            at = (target[1], 0)
            edits.append(Edit("paste", "top level", at, at, block))
            doomed = spans[((2 * k + 1) * len(spans)) // (2 * pastes) - 1]
            edits.append(Edit("delete", "top level", (doomed[0], 0), (doomed[1], 0), ""))
    return edits


def _end_of(start: tuple[int, int], text: str) -> tuple[int, int]:
    lines = text.split("\n")
    if len(lines) == 1:
        return start[0], start[1] + len(text)
    return start[0] + len(lines) - 1, len(lines[-1])


class Session:
    """One server, one open document, versions counted."""

    def __init__(self, command: list[str], path: Path, gap: float, root: Path | None = None) -> None:
        root = root or path.parent
        self.client = LspClient(command, cwd=root)
        self.uri = path.as_uri()
        self.text = path.read_text()
        self.rows = self.text.split("\n")
        self.version = 1
        self.gap = gap
        self.client.initialize(root)
        sent = self.client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": self.uri, "languageId": "python", "version": 1, "text": self.text}},
        )
        received, _ = self._wait(1, 180)
        self.open_ms = (received - sent) * 1000

    def _wait(self, version: int, timeout: float = 60) -> tuple[float, dict]:
        return self.client.wait_notification(
            "textDocument/publishDiagnostics",
            lambda p: p["uri"] == self.uri and p.get("version", version) == version,
            timeout=timeout,
        )

    def _position(self, line: int, column: int, rows: list[str]) -> dict:
        row = rows[line] if line < len(rows) else ""
        return {"line": line, "character": _utf16(row, column)}

    def idle(self, seconds: float) -> None:
        self.client.idle(seconds)

    def change(self, start, end, text: str, rows: list[str], wait: bool = True) -> float | None:
        self.version += 1
        change = {"range": {"start": self._position(*start, rows), "end": self._position(*end, rows)}, "text": text}
        sent = self.client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": self.uri, "version": self.version}, "contentChanges": [change]},
        )
        if not wait:
            return None
        received, _ = self._wait(self.version)
        return (received - sent) * 1000

    def play(self, edits: list[Edit]) -> list[tuple[str, str, float]]:
        """Plays the plan; returns (kind, where, ms) per measured sample."""
        samples = []
        rows = self.rows
        for edit in edits:
            time.sleep(self.gap)
            if edit.kind == "key":
                ms = self.change(edit.start, edit.end, edit.text, rows)
                samples.append(("key", edit.where, ms))
                time.sleep(self.gap)
                after = _end_of(edit.start, edit.text)
                typed = rows[:]
                line = typed[edit.start[0]]
                typed[edit.start[0]] = line[: edit.start[1]] + edit.text + line[edit.start[1] :]
                ms = self.change(edit.start, after, "", typed)  # backspace
                samples.append(("key", edit.where, ms))
            elif edit.kind == "burst":
                line = rows[edit.start[0]]
                typed = rows[:]
                for index, char in enumerate(edit.text):
                    column = edit.start[1] + index
                    typed[edit.start[0]] = line[: edit.start[1]] + edit.text[:index] + line[edit.start[1] :]
                    last = index == len(edit.text) - 1
                    ms = self.change((edit.start[0], column), (edit.start[0], column), char, typed, wait=last)
                    if not last:
                        self.idle(0.03)  # a fast typist: a key every 30 ms
                samples.append(("burst", edit.where, ms))
                typed[edit.start[0]] = line[: edit.start[1]] + edit.text + line[edit.start[1] :]
                time.sleep(self.gap)
                ms = self.change(edit.start, _end_of(edit.start, edit.text), "", typed)
                samples.append(("delete", "burst", ms))
            elif edit.kind == "paste":
                ms = self.change(edit.start, edit.end, edit.text, rows)
                samples.append(("paste", "function", ms))
                time.sleep(self.gap)
                pasted = rows[: edit.start[0]] + edit.text.split("\n")[:-1] + rows[edit.start[0] :]
                ms = self.change(edit.start, (edit.start[0] + edit.text.count("\n"), 0), "", pasted)
                samples.append(("delete", "function", ms))
            elif edit.kind == "delete":
                removed = "\n".join(rows[edit.start[0] : edit.end[0]]) + "\n"
                ms = self.change(edit.start, edit.end, "", rows)
                samples.append(("delete", "function", ms))
                time.sleep(self.gap)
                deleted = rows[: edit.start[0]] + rows[edit.end[0] :]
                ms = self.change(edit.start, edit.start, removed, deleted)  # undo
                samples.append(("paste", "function", ms))
        return samples

    def close(self) -> None:
        self.client.close()
