"""A small text library: not a service, so service rules stay quiet."""

import os

WIDTH = int(os.getenv("TEXTKIT_WIDTH", "80"))


def wrap(text: str) -> list[str]:
    return [text[i : i + WIDTH] for i in range(0, len(text), WIDTH)]
