"""Hypothesis strategies for the programs the property tests feed the engine.

- `grammar_programs()` and `node_programs()`: arbitrary Python from hypothesmith (its grammar, and libcst
  nodes), behind a FastAPI import so every rule runs on them instead of being skipped by the text gate.
- `fastapi_programs()`: modules shaped like real FastAPI code, drawn from fragments that make rules fire and
  offer fixes: routes on apps and routers with paths, status codes, `responses=`, response models, `Depends`
  called or not, Pydantic v1 models, async bodies with blocking calls, CORS, `on_event`, secrets, caches,
  in LF or CRLF, spaces or tabs, with non-ASCII text and `# noqa` comments.
- `case_mixtures()`: two or three of the rules' own cases pasted into one module, so fixes of different rules
  meet in one file.
Every program from the last two compiles, so "still compiles after fixing" is the property checked on them.
"""

from __future__ import annotations

from typing import Callable

import hypothesmith
from hypothesis import strategies as st

from fastapi_patterns.rules import ALL_RULES

FASTAPI_PREFIX = "from fastapi import Depends, FastAPI\nimport asyncio\n\n"
PATHS = ("app/main.py", "app/routers/items.py", "tests/test_api.py")

IMPORTS = (
    "import asyncio", "import datetime", "import os", "import sqlite3", "import subprocess", "import time",
    "import httpx", "import jwt", "import requests",
    "from typing import Annotated, Optional",
    "from fastapi import APIRouter, Body, Depends, FastAPI, HTTPException, Query, status",
    "from fastapi.middleware.cors import CORSMiddleware",
    "from fastapi.testclient import TestClient",
    "from fastapi_cache.decorator import cache",
    "from pydantic import BaseModel, BaseSettings, validator",
    "from sqlalchemy.orm import Session",
)
MODEL_LINES = (
    "name: str", "price: Optional[float]", "password: str", "hashed_password: str", "tags: list[str] = []",
    "description: Optional[str] = None", "note: str = 'café ☕'",
    "class Config:\n    orm_mode = True", "class Config:\n    allow_population_by_field_name = True",
    "@validator('name')\ndef check_name(cls, value):\n    return value",
)
TOP_LEVEL = (
    "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True)",
    "@app.on_event('startup')\nasync def startup():\n    pass",
    "app.dependency_overrides[get_db] = lambda: {}",
    "SECRET_KEY = 'super-secret-value-123'",
    "client = TestClient(app)",
    "async_client = httpx.AsyncClient(app=app, base_url='http://test')",
    "def get_db():\n    return {}",
    "async def get_user(token: str = ''):\n    return {'token': token}",
    "class Settings(BaseSettings):\n    secret: str = ''",
    "app.include_router(router, prefix='/v1')",
)
ROUTE_PATHS = ("/items", "items", "/items/{item_id}", "/users/{user_id}/orders", "", "/{name}", "/café/{id}")
ROUTE_OPTIONS = (
    "status_code=201", "status_code=200", "status_code=status.HTTP_204_NO_CONTENT", "response_model=Item",
    "response_model=None", "responses={404: {'description': 'Missing'}}", "tags=['items']",
)
PARAMETERS = (
    "item_id: int", "item_id", "user_id: str", "q: int = Query(100)", "limit: int = Query(default=100, le=1000)",
    "limit: int = 100", "db = Depends(get_db)", "db=Depends(get_db())", "db: dict = Depends(get_db)",
    "user: Annotated[dict, Depends(get_user)]", "payload: dict", "body: dict = Body(...)", "item: Item",
    "name: Optional[str] = None", "session: Session = Depends(get_db)",
)
BODY_ANY = (
    "time.sleep(1)", "requests.get('https://example.com')", "data = open('f.txt').read()",
    "loop = asyncio.get_event_loop()", "now = datetime.datetime.utcnow()",
    "raise HTTPException(status_code=404, detail='missing')",
    "if q is None:\n    raise HTTPException(404)", "client = httpx.Client()", "subprocess.run(['ls'])",
    "token = jwt.decode(t, options={'verify_signature': False})", "parsed = Item.parse_obj({})",
    "copy = item.dict()", "with open('f.txt') as handle:\n    text = handle.read()",
    "connection = sqlite3.connect('app.db')", "settings = Settings()", "found = db.get('key')",
    "password = 'hunter2'  # noqa", "for index in range(3):\n    total = index", "note = 'café ☕ 東京 🙂'",
    "user.password = form.password", "pass",
)
BODY_ASYNC = (
    "await asyncio.sleep(0)", "for url in urls:\n    await fetch(url)",
    "async with httpx.AsyncClient() as http:\n    response = await http.get('https://example.com')",
    "await asyncio.to_thread(time.sleep, 1)",
)
RETURNS = ("return {'ok': True}", "return None", "return Item(name='x')", "return item", "")
ANNOTATIONS = ("", " -> dict", " -> Item", " -> None", " -> dict[str, str]", " -> 'Item'")


def grammar_programs() -> st.SearchStrategy[str]:
    return hypothesmith.from_grammar().map(lambda program: FASTAPI_PREFIX + program)


def node_programs() -> st.SearchStrategy[str]:
    return hypothesmith.from_node().map(lambda program: FASTAPI_PREFIX + program)


def _indented(fragment: str, depth: int, unit: str) -> list[str]:
    """A fragment written with 4-space steps, at `depth`, indented with `unit`."""
    lines = []
    for line in fragment.split("\n"):
        stripped = line.lstrip(" ")
        lines.append(unit * (depth + (len(line) - len(stripped)) // 4) + stripped)
    return lines


def _parameter_name(parameter: str) -> str:
    return parameter.split(":")[0].split("=")[0].strip()


@st.composite
def _route(draw: st.DrawFn, index: int, unit: str) -> list[str]:
    owner = draw(st.sampled_from(("app", "router")))
    method = draw(st.sampled_from(("get", "post", "put", "delete", "patch")))
    path = draw(st.sampled_from(ROUTE_PATHS))
    options = draw(st.lists(st.sampled_from(ROUTE_OPTIONS), max_size=3, unique_by=lambda o: o.split("=")[0]))
    decorator = f"@{owner}.{method}({', '.join([repr(path), *options])})"
    decorators = [decorator]
    if draw(st.booleans()) and draw(st.booleans()):
        cached = "@cache(expire=60)"
        decorators = [cached, decorator] if draw(st.booleans()) else [decorator, cached]
    is_async = draw(st.booleans())
    chosen = draw(st.lists(st.sampled_from(PARAMETERS), max_size=4, unique_by=_parameter_name))
    parameters = sorted(chosen, key=lambda p: "=" in p)  # parameters without defaults first
    body_pool = BODY_ANY + (BODY_ASYNC if is_async else ())
    body = draw(st.lists(st.sampled_from(body_pool), max_size=4))
    returned = draw(st.sampled_from(RETURNS))
    name = draw(st.sampled_from(("handler", "café", "read_item", "create")))
    returns = draw(st.sampled_from(ANNOTATIONS))
    head = f"{'async def' if is_async else 'def'} {name}_{index}({', '.join(parameters)}){returns}:"
    lines = [*decorators, head]
    for statement in [*body, returned] if returned else body or ["pass"]:
        lines.extend(_indented(statement, 1, unit))
    return lines


@st.composite
def fastapi_programs(draw: st.DrawFn) -> str:
    """A FastAPI module that compiles and makes many rules fire (names may be undefined: nothing runs it)."""
    unit = draw(st.sampled_from(("    ", "    ", "\t")))
    lines: list[str] = []
    if draw(st.booleans()):
        lines += ['"""A generated module."""', ""]
    if draw(st.booleans()):
        lines.append("from __future__ import annotations")
    lines += draw(st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=8, unique=True))
    lines += ["from fastapi import FastAPI, APIRouter", "", "app = FastAPI()", "router = APIRouter(prefix='/r')", ""]
    model_lines = draw(st.lists(st.sampled_from(MODEL_LINES), max_size=4, unique=True))
    lines.append("class Item(BaseModel):")
    for fragment in model_lines or ["name: str"]:
        lines.extend(_indented(fragment, 1, unit))
    lines.append("")
    for fragment in draw(st.lists(st.sampled_from(TOP_LEVEL), max_size=4)):
        lines += [*_indented(fragment, 0, unit), ""]
    for index in range(draw(st.integers(min_value=1, max_value=4))):
        lines += [*draw(_route(index, unit)), ""]
    if draw(st.booleans()):
        lines += ["app.include_router(router)"]
    newline = draw(st.sampled_from(("\n", "\n", "\r\n")))
    return newline.join(lines) + newline


def _case_sources() -> list[str]:
    return [case.code for rule in ALL_RULES for case in (*rule.INVALID, *rule.VALID)
            if not getattr(case, "files", None)]


@st.composite
def case_mixtures(draw: st.DrawFn) -> str:
    """Two or three rule cases in one module (`from __future__` lines hoisted to the top)."""
    chosen = draw(st.lists(st.sampled_from(_case_sources()), min_size=2, max_size=3))
    future = sorted({line for source in chosen for line in source.splitlines() if line.startswith("from __future__")})
    bodies = ["\n".join(line for line in source.splitlines() if not line.startswith("from __future__"))
              for source in chosen]
    return "\n".join([*future, *bodies]) + "\n"


STRATEGIES: dict[str, Callable[[], st.SearchStrategy[str]]] = {
    "fastapi": fastapi_programs,
    "case-mixtures": case_mixtures,
    "grammar": grammar_programs,
    "cst-nodes": node_programs,
}
