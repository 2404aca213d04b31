"""Deterministic generator of a FastAPI project for benchmarks: routers, schemas, services and plain modules.

`generate_project(root, files)` writes `files` modules under `root` (about a third routers with path operations,
a third Pydantic schemas, the rest services and helper modules that import no framework). `generate_module(lines)`
returns one router module of roughly `lines` lines, used for the editor round-trip measurements.
"""

from __future__ import annotations

import random
from pathlib import Path

_ROUTER_HEAD = '''"""Generated router module {index}."""

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel

router = APIRouter(prefix="/r{index}", tags=["r{index}"])


class Item{index}(BaseModel):
    id: int
    name: str


def get_db():
    yield {{}}

'''

_ROUTES = (
    '''
@router.get("/items{n}/{{item_id}}")
async def read_item{n}(item_id: int, db: Annotated[dict, Depends(get_db)]) -> Item{index}:
    await asyncio.sleep(0)
    if item_id not in db:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="missing")
    return Item{index}(id=item_id, name="x")
''',
    '''
@router.post("/items{n}")
async def create_item{n}(item: Item{index}, db=Depends(get_db)):
    time.sleep(0.1)
    return item
''',
    '''
@router.get("/search{n}")
def search{n}(q: str = Query(None), limit: int = 10) -> list[Item{index}]:
    return [Item{index}(id=i, name=q or "") for i in range(limit)]
''',
    '''
@router.delete("/items{n}/{{item_id}}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_item{n}(item_id: int) -> None:
    loop = asyncio.get_event_loop()
    await loop.run_in_executor(None, print, item_id)
''',
)

_PLAIN = '''"""Generated helper module {index}: no framework imports."""

import math


def helper_{index}(values):
    total = 0
    for value in values:
        total += math.sqrt(abs(value))
    return total


class Accumulator{index}:
    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)
        return len(self.items)
'''

_SCHEMA = '''"""Generated schemas {index}."""

from pydantic import BaseModel, ConfigDict


class User{index}(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str | None = None


class UserCreate{index}(BaseModel):
    email: str
    full_name: str | None = None
'''


def generate_module(lines: int, index: int = 0) -> str:
    parts = [_ROUTER_HEAD.format(index=index)]
    n = 0
    while sum(p.count("\n") for p in parts) < lines:
        parts.append(_ROUTES[n % len(_ROUTES)].format(n=n, index=index))
        n += 1
    return "".join(parts)


def generate_project(root: Path, files: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    written: list[Path] = []
    package = root / "app"
    for sub in ("routers", "schemas", "services"):
        (package / sub).mkdir(parents=True, exist_ok=True)
        (package / sub / "__init__.py").write_text("", encoding="utf-8")
    for index in range(files):
        kind = index % 3
        if kind == 0:
            path = package / "routers" / f"router_{index}.py"
            text = generate_module(rng.randint(60, 200), index)
        elif kind == 1:
            path = package / "schemas" / f"schema_{index}.py"
            text = _SCHEMA.format(index=index)
        else:
            path = package / "services" / f"service_{index}.py"
            text = _PLAIN.format(index=index)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
