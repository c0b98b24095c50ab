"""Generates benchmark inputs, deterministically (seeded), so runs compare:

- module shapes (`SHAPES`), each at any length: a FastAPI service with many
  routes and pydantic models, long literal tables, Django models + views,
  deeply nested long functions, many small classes, long functions, and the
  FastAPI shape with a docstring just opened mid-file (the rest of the module
  reads as a string);
- a 2,000-file service workspace (`workspace`), and its "other branch"
  (`workspace(..., branch=1)`) for the storm benchmark.

  python3 bench/generate.py shapes DIR [LINES,...]   # every shape at every size
  python3 bench/generate.py module FILE [SHAPE] [LINES]
  python3 bench/generate.py workspace DIR [FILES]"""

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


SIZES = (2_500, 5_000, 10_000, 20_000, 40_000)


def _fill(header: str, blocks, footer: str, lines: int, seed: int, weights=None) -> str:
    """header + blocks drawn at random (each a callable of its index) until
    the module has about `lines` lines, + footer."""
    rng = random.Random(seed)
    parts = [header]
    count = header.count("\n") + footer.count("\n")
    n = 0
    while count < lines:
        block = rng.choices(blocks, weights=weights)[0](n, rng)
        parts.append(block)
        count += block.count("\n")
        n += 1
    parts.append(footer)
    return "".join(parts)


def fastapi_shape(lines: int, seed: int = 7) -> str:
    return module(lines, seed)


LITERAL_HEADER = '''"""Reference data: long literal tables (generated for benchmarks)."""

from __future__ import annotations

import os

API_URL = os.environ.get("API_URL", "http://localhost:8000")
'''


def _records(n: int, rng: random.Random) -> str:
    rows = []
    for i in range(rng.randint(20, 60)):
        rows.append(
            f'    {{"id": {n * 1000 + i}, "code": "C{n}-{i:03d}", "name": "item {i} of table {n}", '
            f'"price": {rng.randint(1, 99999) / 100}, "active": {rng.choice(["True", "False"])}, '
            f'"tags": ["t{i % 7}", "t{i % 11}"], "parent": {rng.choice(["None", str(i // 2)])}}},'
        )
    return f"\n\nTABLE_{n} = [\n" + "\n".join(rows) + "\n]\n"


def _mapping(n: int, rng: random.Random) -> str:
    rows = [f'    "key_{n}_{i}": ({i}, "{rng.choice(["GET", "POST", "PUT"])}", "/path/{n}/{i}", {i * 0.5}),' for i in range(rng.randint(30, 80))]
    return f"\n\nROUTES_{n} = {{\n" + "\n".join(rows) + "\n}\n"


def _matrix(n: int, rng: random.Random) -> str:
    rows = ["    [" + ", ".join(str(rng.randint(0, 999)) for _ in range(16)) + "]," for _ in range(rng.randint(20, 40))]
    return f"\n\nMATRIX_{n} = (\n" + "\n".join(rows) + "\n)\n"


def literals_shape(lines: int, seed: int = 7) -> str:
    return _fill(LITERAL_HEADER, [_records, _mapping, _matrix], "\n\nALL_TABLES = [TABLE_0]\n", lines, seed, [3, 2, 1])


DJANGO_HEADER = '''"""Shop app: Django models and views (generated for benchmarks)."""

from __future__ import annotations

import json
import logging

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views import View
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)
'''


def _django_model(n: int, rng: random.Random) -> str:
    return f'''

class Product{n}(models.Model):
    """A product of catalogue {n}."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.IntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    category = models.ForeignKey("Category{n}", on_delete=models.CASCADE, related_name="products")

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["slug"])]

    def __str__(self) -> str:
        return self.name


class Category{n}(models.Model):
    title = models.CharField(max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
'''


def _django_view(n: int, rng: random.Random) -> str:
    return f'''

@login_required
def product_detail_{n}(request, slug):
    product = get_object_or_404(Product{n % 50}, slug=slug)
    if request.method == "POST":
        data = json.loads(request.body)
        product.stock = int(data.get("stock", product.stock))
        product.save()
        return JsonResponse({{"ok": True}})
    return render(request, "shop/detail.html", {{"product": product}})


class ProductList{n}View(View):
    def get(self, request):
        items = Product{n % 50}.objects.filter(stock__gt=0)[:50]
        return JsonResponse({{"items": [item.name for item in items]}})
'''


def _django_bad_view(n: int, rng: random.Random) -> str:
    return f'''

@csrf_exempt
def webhook_{n}(request):
    payload = requests.get(settings.UPSTREAM_URL + "/hook/{n}").json()
    logger.info("webhook %s", payload)
    return HttpResponse(status=204)
'''


def django_shape(lines: int, seed: int = 7) -> str:
    return _fill(DJANGO_HEADER, [_django_model, _django_view, _django_bad_view], "", lines, seed, [3, 3, 1])


NESTED_HEADER = '''"""Batch jobs: deeply nested long functions (generated for benchmarks)."""

from __future__ import annotations

import logging
import os
import subprocess

import requests

logger = logging.getLogger(__name__)
'''


def _nested_body(depth: int, width: int, rng: random.Random, indent: int) -> list[str]:
    pad = "    " * indent
    out: list[str] = []
    for i in range(width):
        kind = rng.choice(["if", "for", "while", "try", "with", "stmt", "stmt"])
        if depth == 0 or kind == "stmt":
            out.append(f"{pad}total += len(str(item_{indent}_{i})) if (item_{indent}_{i} := {i}) else {i}")
            out.append(f"{pad}logger.debug(\"step %s %s\", {indent}, {i})")
        elif kind == "if":
            out.append(f"{pad}if total % {i + 2} == 0 and os.environ.get(\"FLAG_{i}\"):")
            out += _nested_body(depth - 1, 2, rng, indent + 1)
            out.append(f"{pad}else:")
            out += _nested_body(depth - 1, 1, rng, indent + 1)
        elif kind == "for":
            out.append(f"{pad}for row_{indent} in rows[{i}:]:")
            out += _nested_body(depth - 1, 2, rng, indent + 1)
        elif kind == "while":
            out.append(f"{pad}while total < {i * 100}:")
            out.append(f"{pad}    total += 1")
            out += _nested_body(depth - 1, 1, rng, indent + 1)
        elif kind == "try":
            out.append(f"{pad}try:")
            out += _nested_body(depth - 1, 2, rng, indent + 1)
            out.append(f"{pad}except ValueError as error:")
            out.append(f"{pad}    logger.warning(\"bad row: %s\", error)")
        else:
            out.append(f"{pad}with open(f\"/tmp/job-{{total}}-{i}.log\", \"a\") as handle_{indent}:")
            out.append(f"{pad}    handle_{indent}.write(str(total))")
            out += _nested_body(depth - 1, 1, rng, indent + 1)
    return out


def _nested_function(n: int, rng: random.Random) -> str:
    body = _nested_body(6, 4, rng, 1)
    tail = ""
    if n % 9 == 4:
        tail = f'    requests.post("https://jobs.internal/done/{n}", json={{"total": total}})\n'
    return f"\n\ndef job_{n}(rows: list[int]) -> int:\n    total = 0\n" + "\n".join(body) + "\n" + tail + "    return total\n"


def nested_shape(lines: int, seed: int = 7) -> str:
    return _fill(NESTED_HEADER, [_nested_function], "", lines, seed)


SMALL_HEADER = '''"""Domain types: many small classes (generated for benchmarks)."""

from __future__ import annotations

import dataclasses
import enum
from typing import Protocol
'''


def _small_class(n: int, rng: random.Random) -> str:
    kind = n % 4
    if kind == 0:
        return f"\n\n@dataclasses.dataclass(frozen=True)\nclass Point{n}:\n    x: int = 0\n    y: int = {n}\n"
    if kind == 1:
        return f"\n\nclass Colour{n}(enum.Enum):\n    RED = {n}\n    GREEN = {n + 1}\n"
    if kind == 2:
        return f"\n\nclass Reader{n}(Protocol):\n    def read(self, size: int = {n}) -> bytes: ...\n"
    return f"\n\nclass Error{n}(Exception):\n    \"\"\"Raised when step {n} fails.\"\"\"\n"


def small_classes_shape(lines: int, seed: int = 7) -> str:
    return _fill(SMALL_HEADER, [_small_class], "", lines, seed)


LONG_HEADER = '''"""Reports: long flat functions (generated for benchmarks)."""

from __future__ import annotations

import logging
import os

import requests

logger = logging.getLogger(__name__)
'''


def _long_function(n: int, rng: random.Random) -> str:
    body = []
    for i in range(rng.randint(150, 300)):
        choice = i % 6
        if choice == 0:
            body.append(f"    value_{i} = data.get(\"field_{i}\", {i})")
        elif choice == 1:
            body.append(f"    result[\"field_{i}\"] = value_{i - 1} * {i} + len(result)")
        elif choice == 2:
            body.append(f"    logger.info(\"report {n} step {i}: %s\", result.get(\"field_{i - 1}\"))")
        elif choice == 3:
            body.append(f"    if value_{i - 3} > {i}:")
            body.append(f"        result[\"over_{i}\"] = True")
        elif choice == 4:
            body.append(f"    text_{i} = f\"{{value_{i - 4}}}-{{os.environ.get('REGION', 'eu')}}\"")
        else:
            body.append(f"    result.setdefault(\"list_{i}\", []).append(text_{i - 1})")
    if n % 5 == 2:
        body.append(f"    requests.get(\"https://reports.internal/{n}\")")
    return f"\n\ndef report_{n}(data: dict) -> dict:\n    result: dict = {{}}\n" + "\n".join(body) + "\n    return result\n"


def long_functions_shape(lines: int, seed: int = 7) -> str:
    return _fill(LONG_HEADER, [_long_function], "", lines, seed)


def docstring_shape(lines: int, seed: int = 7) -> str:
    """The FastAPI shape, with a docstring just opened (`\'\'\'`, which the
    shape uses nowhere else) as the first line of a function's body in the
    middle of the module: from there on the module reads as a string."""
    text = module(lines, seed)
    rows = text.split("\n")
    middle = len(rows) // 2
    at = next(i for i in range(middle, len(rows)) if rows[i].startswith("def ") or rows[i].startswith("async def "))
    rows.insert(at + 1, "    \'\'\'")
    return "\n".join(rows)


SHAPES = {
    "fastapi": fastapi_shape,
    "literals": literals_shape,
    "django": django_shape,
    "nested": nested_shape,
    "small_classes": small_classes_shape,
    "long_functions": long_functions_shape,
    "docstring": docstring_shape,
}


def shape_file(directory: Path, name: str, lines: int) -> Path:
    """Writes (once) and returns DIR/NAME_LINES.py."""
    path = directory / f"{name}_{lines}.py"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        path.write_text(SHAPES[name](lines))
    return path


def workspace(root: Path, files: int, branch: int = 0) -> list[Path]:
    """A service workspace of `files` generated modules under app/pkgN/.
    `branch` 1 is the same workspace on another branch: every module's text
    differs (other seed, other routes). Returns the modules written."""
    (root / "app").mkdir(parents=True, exist_ok=True)
    (root / "requirements.txt").write_text("fastapi==0.115.6\nrequests==2.32.3\nhttpx==0.28.1\n")
    # Router modules of one service: the app (and its middleware) lives
    # elsewhere, as in a real service, not in each of the modules.
    per_file = module(60, seed=1 + branch)
    app = per_file.index('app = FastAPI(title="orders")')
    per_file = per_file[:app] + per_file[per_file.index('router = APIRouter(prefix="/api/v1")') : per_file.index("app.add_middleware(")]  + per_file[per_file.index(")\n", per_file.index("app.add_middleware(")) + 2 :]
    per_file = per_file.replace("app.include_router(router)\n", "")
    written = []
    for index in range(files):
        package = root / "app" / f"pkg{index // 100}"
        package.mkdir(exist_ok=True)
        (package / "__init__.py").touch()
        path = package / f"module{index}.py"
        path.write_text(per_file.replace("orders", f"orders{index}"))
        written.append(path)
    return written


if __name__ == "__main__":
    what, target = sys.argv[1], Path(sys.argv[2])
    if what == "module":
        shape = sys.argv[3] if len(sys.argv) > 3 else "fastapi"
        lines = int(sys.argv[4]) if len(sys.argv) > 4 else 10_000
        target.write_text(SHAPES[shape](lines))
    elif what == "shapes":
        sizes = [int(n) for n in sys.argv[3].split(",")] if len(sys.argv) > 3 else SIZES
        for name in SHAPES:
            for lines in sizes:
                print(shape_file(target, name, lines))
    elif what == "workspace":
        workspace(target, int(sys.argv[3]) if len(sys.argv) > 3 else 2000)
    else:
        raise SystemExit(f"unknown input kind {what}")
