"""Generates benchmark inputs: a realistic 10,000-line FastAPI module and a
2,000-file service workspace. Deterministic (seeded), so runs compare."""

from __future__ import annotations

import random
import sys
from pathlib import Path

HEADER = '''"""Orders service: routes, models and helpers (generated for benchmarks)."""

from __future__ import annotations

import logging
import os
import time

import httpx
import requests
from fastapi import APIRouter, Depends, FastAPI, HTTPException
from fastapi.middleware.cors import CORSMiddleware
from pydantic import BaseModel, Field

logger = logging.getLogger(__name__)

app = FastAPI(title="orders")
router = APIRouter(prefix="/api/v1")

app.add_middleware(
    CORSMiddleware,
    allow_origins=os.environ.get("ALLOWED_ORIGINS", "").split(","),
    allow_methods=["GET", "POST"],
)
'''

BLOCKS = [
    '''

class Order{n}(BaseModel):
    """An order of kind {n}."""

    customer_id: int
    note: str = Field(default="", max_length=500)
    items: list[int] = Field(default_factory=list, max_length=100)
    total_cents: int = 0

    def describe(self) -> str:
        return f"order {{self.customer_id}}: {{len(self.items)}} items, {{self.total_cents}} cents"
''',
    '''

@router.get("/orders{n}/{{order_id}}")
async def read_order_{n}(order_id: int) -> dict:
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(f"https://inventory.internal/orders/{{order_id}}")
    if response.status_code == 404:
        raise HTTPException(status_code=404, detail="order not found")
    logger.info("read order %s", order_id)
    return response.json()
''',
    '''

def price_{n}(items: list[int], discount: float = 0.0) -> int:
    total = 0
    for item in items:
        if item < 0:
            raise ValueError("negative item")
        total += item
    try:
        rate = float(os.environ.get("TAX_RATE", "0.2"))
    except ValueError:
        logger.warning("bad TAX_RATE, using 0.2")
        rate = 0.2
    return int(total * (1 + rate) * (1 - discount))
''',
    '''

def sync_inventory_{n}(sku: str) -> dict:
    # A finding on purpose: no timeout.
    response = requests.get(f"https://inventory.internal/sku/{{sku}}")
    try:
        return response.json()
    except:
        return {{}}
''',
    '''

def legacy_export_{n}(rows: list[dict]) -> None:
    for row in rows:
        try:
            write_row(row)
        except Exception:
            pass
    print("exported", len(rows))
''',
]


def module(lines: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts = [HEADER]
    count = HEADER.count("\n")
    n = 0
    while count < lines - 20:
        # Mostly clean code, some findings (the last two blocks).
        block = BLOCKS[rng.choices(range(len(BLOCKS)), weights=[4, 4, 4, 1, 1])[0]].format(n=n)
        parts.append(block)
        count += block.count("\n")
        n += 1
    parts.append(
        '''

def write_row(row: dict) -> None:
    logger.debug("row %s", row)


app.include_router(router)
'''
    )
    return "".join(parts)


def workspace(root: Path, files: int) -> None:
    (root / "app").mkdir(parents=True, exist_ok=True)
    (root / "requirements.txt").write_text("fastapi==0.115.6\nrequests==2.32.3\nhttpx==0.28.1\n")
    per_file = module(60, seed=1)
    for index in range(files):
        package = root / "app" / f"pkg{index // 100}"
        package.mkdir(exist_ok=True)
        (package / "__init__.py").touch()
        (package / f"module{index}.py").write_text(per_file.replace("orders", f"orders{index}"))


if __name__ == "__main__":
    what, target = sys.argv[1], Path(sys.argv[2])
    if what == "module":
        target.write_text(module(10_000))
    elif what == "workspace":
        workspace(target, int(sys.argv[3]) if len(sys.argv) > 3 else 2000)
    else:
        raise SystemExit(f"unknown input kind {what}")
