"""FAP101 blocking-call-in-async: a known blocking call made directly in a coroutine's own body."""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.blocking import BlockingCall, ancestors_in, blocking_call
from ..engine.fixes import FixContext
from ..engine.rule import FixFactory, Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, Fix, FixSafety, Severity
from ._offload import CallPlacement, offload_edits, placement_of, sleep_edits
from .async_without_await import conversion_fix

_APP = "from fastapi import FastAPI\napp = FastAPI()\n"
_LOOP = "asyncio.get_running_loop().run_in_executor"
_SESSION = (
    "from typing import Annotated\nfrom fastapi import Depends, FastAPI\nfrom sqlalchemy import select\n"
    "from sqlalchemy.orm import Session, sessionmaker\nfrom app.db import engine, get_db, User\napp = FastAPI()\n"
)
_LAZY_METHODS = frozenset({"sqlalchemy.orm.Session.query"})  # builds a query; the I/O happens later in the chain
_FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})


class BlockingCallInAsync(Rule):
    """
    ## What it does
    Flags a call to a known blocking API made directly in the body of an `async def`: a path operation, a
    dependency, or any coroutine (middleware, exception handler, lifespan...) in a module that imports FastAPI
    or Starlette. Known blocking APIs are `time.sleep`; the request functions of `requests` and `httpx` and the
    methods of `requests.Session` and `httpx.Client`; `urllib.request.urlopen`; `open` and `io.open`;
    `pathlib.Path` reads, writes and `open` on a value known to be a `Path`; `os.system`, `os.popen`,
    `subprocess.run/call/check_call/check_output` and `Popen(...).wait/communicate`; `socket.create_connection`;
    `sqlite3`, `psycopg2` and `pymysql` connections and `smtplib.SMTP`; `shutil` copies, moves and `rmtree`; and
    the query methods of a synchronous SQLAlchemy `Session` (annotated as one, or created from `Session(...)`
    or a `sessionmaker()` factory). The `blocking-calls` setting adds qualified names.

    Names are resolved through imports and aliases, so `import time as t; t.sleep(1)` is found and a parameter
    called `time` is not the module. Code in nested functions and lambdas, functions passed as values to
    `run_in_executor`, `asyncio.to_thread` or `run_in_threadpool`, awaited calls, and `def` path operations
    (FastAPI runs those in its thread pool) are not flagged. Neither are pytest tests (`async def test_...`)
    and fixtures that are not themselves path operations or dependencies: they run on the test's own event
    loop, which serves no one else.

    ## Why is this bad?
    A coroutine runs on the event loop, which serves every request of the worker. While a blocking call waits
    for the disk, the network or a subprocess, the loop can do nothing else: all concurrent requests stall,
    health checks time out, and throughput collapses to one request at a time.

    ## Example
    ```python
    import time

    from fastapi import FastAPI

    app = FastAPI()


    @app.post("/jobs", status_code=202)
    async def enqueue_job() -> dict[str, str]:
        time.sleep(0.5)
        return {"status": "queued"}
    ```

    Use instead:
    ```python
    import asyncio

    from fastapi import FastAPI

    app = FastAPI()


    @app.post("/jobs", status_code=202)
    async def enqueue_job() -> dict[str, str]:
        await asyncio.sleep(0.5)
        return {"status": "queued"}
    ```

    ## Fix safety
    `time.sleep(x)` becomes `await asyncio.sleep(x)`: safe, the coroutine waits as long without holding the
    loop. Any other call is wrapped so it runs in a worker thread, in the style the `offload-style` setting
    chooses: `await asyncio.get_running_loop().run_in_executor(None, f, ...)` (with `functools.partial` when
    there are keyword arguments), `await asyncio.to_thread(f, ...)` or `await run_in_threadpool(f, ...)`.
    That fix is unsafe: the callee now runs on another thread, which matters for objects that are not
    thread-safe. It is not offered for a call used as a context manager (`with open(p) as f:`), inside a
    generator expression or an f-string, or for `Session.query(...)`, which only builds a query. When the
    function awaits nothing else and is a path operation or dependency, converting it to `def` is offered as
    an alternative.
    """

    code = "FAP101"
    name = "blocking-call-in-async"
    message = "Blocking call `{call}` in async function `{function}`"
    fix_title = "Move the blocking call off the event loop"
    fix_safety = FixSafety.UNSAFE
    mixed_fix_safety = True
    severity = Severity.WARNING
    node_types = (ast.Call,)

    VALID = (
        Valid("import time\n" + _APP + "@app.get('/')\ndef wait():\n    time.sleep(1)\n"),
        Valid("import asyncio\nimport time\n" + _APP + "@app.get('/')\nasync def wait():\n    def pause():\n"
              "        time.sleep(1)\n    loop = asyncio.get_running_loop()\n"
              "    await loop.run_in_executor(None, pause)\n"
              "    await loop.run_in_executor(None, lambda: time.sleep(1))\n"),
        Valid("import asyncio\nimport time\n\nimport requests\nfrom fastapi.concurrency import run_in_threadpool\n"
              + _APP + "@app.get('/')\nasync def ok(url: str, path: str):\n"
              "    await asyncio.get_running_loop().run_in_executor(None, time.sleep, 1)\n"
              "    await asyncio.to_thread(requests.get, url, timeout=5)\n"
              "    return await run_in_threadpool(open, path)\n"),
        Valid("import time\nimport requests\n" + _APP + "@app.get('/')\nasync def a(time):\n    time.sleep(1)\n"
              "@app.get('/b')\nasync def b():\n    requests = make_client()\n    return requests.get('/x')\n"),
        Valid("import time\nfrom pydantic import BaseModel\nasync def job():\n    time.sleep(1)\n"),
        Valid("import time\nimport pydantic\nfrom app.cache import store\n@store.get('/key')\nasync def cached():\n"
              "    time.sleep(1)\n"),
        Valid(_SESSION.replace("Session, sessionmaker", "sessionmaker\nfrom sqlalchemy.ext.asyncio import AsyncSession")
              + "@app.get('/users')\nasync def users(db: Annotated[AsyncSession, Depends(get_db)]):\n"
              "    result = await db.execute(select(User))\n    db.add(User())\n    await db.commit()\n"
              "    return result.scalars().all()\n"),
        Valid("import fastapi\nfrom sqlalchemy.orm import sessionmaker\n"
              "from sqlalchemy.ext.asyncio import AsyncSession\n"
              "SessionLocal = sessionmaker(engine, class_=AsyncSession)\nasync def load():\n"
              "    async with SessionLocal() as db:\n        return db.get(User, 1)\n"),
        Valid("import fastapi\nasync def f(cache, name: str, settings):\n    cache.get('k')\n    name.read_text()\n"
              "    settings.data_dir.read_text()\n    return {}.get('x')\n"),
        Valid("import aiofiles\nimport httpx\n" + _APP + "@app.get('/')\nasync def f(path: str):\n"
              "    async with aiofiles.open(path) as handle:\n        text = await handle.read()\n"
              "    async with httpx.AsyncClient() as client:\n        response = await client.get('https://x.org')\n"
              "    return text, response.text\n"),
        Valid("import fastapi\ndef open(name):\n    return name\nasync def f():\n    return open('x')\n"),
        Valid("import os\nimport pytest\nfrom fastapi import FastAPI\nasync def test_template(tmpdir):\n"
              "    with open(os.path.join(tmpdir, 'a.html'), 'w') as handle:\n        handle.write('x')\n"
              "@pytest.fixture\nasync def page(tmpdir):\n    return open(tmpdir / 'a.html').read()\n"
              "class TestPages:\n    async def test_read(self):\n        assert open('a.html')\n"),
        Valid("import requests\nimport fastapi\nasync def f():\n    session = requests.Session()\n"
              "    session.headers.update({})\n    return session\n"),
    )
    INVALID = (
        Invalid("import time\n" + _APP + "@app.get('/')\nasync def wait():\n    time.sleep(1)\n    return 'done'\n",
                "import asyncio\nimport time\n" + _APP + "@app.get('/')\nasync def wait():\n"
                "    await asyncio.sleep(1)\n    return 'done'\n"),
        Invalid("import asyncio as aio\nimport time as t\n" + _APP + "@app.get('/')\nasync def wait(delay: float):\n"
                "    t.sleep(delay)\n",
                "import asyncio as aio\nimport time as t\n" + _APP + "@app.get('/')\nasync def wait(delay: float):\n"
                "    await aio.sleep(delay)\n"),
        Invalid("from time import sleep as snooze\n" + _APP + "@app.get('/')\nasync def wait():\n    snooze(0.5)\n",
                "import asyncio\nfrom time import sleep as snooze\n" + _APP + "@app.get('/')\nasync def wait():\n"
                "    await asyncio.sleep(0.5)\n"),
        Invalid("import asyncio\n\nimport requests\n" + _APP + "@app.get('/proxy')\nasync def proxy(url: str):\n"
                "    return requests.get(url, timeout=5).json()\n"),
        Invalid("import asyncio\n\nimport requests\n" + _APP + "@app.get('/proxy')\nasync def proxy(url: str):\n"
                "    return requests.get(url, timeout=5).json()\n",
                "import asyncio\nimport functools\n\nimport requests\n" + _APP + "@app.get('/proxy')\n"
                f"async def proxy(url: str):\n    return (await {_LOOP}(None, functools.partial(requests.get, url, "
                "timeout=5))).json()\n", unsafe=True),
        Invalid("import asyncio\n" + _APP + "@app.get('/file')\nasync def read(path: str):\n"
                "    return open(path).read()\n",
                "import asyncio\n" + _APP + "@app.get('/file')\nasync def read(path: str):\n"
                f"    return (await {_LOOP}(None, open, path)).read()\n", unsafe=True),
        Invalid(_APP + "@app.get('/file')\nasync def read(path: str):\n    with open(path) as handle:\n"
                "        return handle.read()\n", unsafe=True),
        Invalid("import requests\n" + _APP + "@app.get('/')\nasync def a(s: requests.Session):\n"
                "    return s.get('https://x.org')\n@app.get('/b')\nasync def b():\n    session = requests.Session()\n"
                "    return session.post('https://x.org', json={})\n",
                "import asyncio\n\nimport requests\n" + _APP + "@app.get('/')\nasync def a(s: requests.Session):\n"
                "    return await asyncio.to_thread(s.get, 'https://x.org')\n@app.get('/b')\nasync def b():\n"
                "    session = requests.Session()\n    return await asyncio.to_thread(session.post, 'https://x.org', "
                "json={})\n", count=2, unsafe=True, config={"offload-style": "to_thread"}),
        Invalid("from pathlib import Path\n" + _APP + "BASE = Path(__file__).parent\n@app.get('/a')\nasync def a():\n"
                "    return (BASE / 'a.txt').read_text()\n@app.put('/b')\nasync def b(target: 'Path'):\n"
                "    target.write_bytes(b'')\n",
                "from pathlib import Path\nfrom fastapi import FastAPI\n"
                "from starlette.concurrency import run_in_threadpool\napp = FastAPI()\nBASE = Path(__file__).parent\n"
                "@app.get('/a')\nasync def a():\n    return await run_in_threadpool((BASE / 'a.txt').read_text)\n"
                "@app.put('/b')\nasync def b(target: 'Path'):\n    await run_in_threadpool(target.write_bytes, b'')\n",
                count=2, unsafe=True, config={"offload-style": "run_in_threadpool"}),
        Invalid(_SESSION + "@app.get('/users')\nasync def users(db: Annotated[Session, Depends(get_db)]):\n"
                "    return db.scalars(select(User)).all()\n",
                "import asyncio\n" + _SESSION + "@app.get('/users')\nasync def users(db: Annotated[Session, Depends(get_db)]):\n"
                "    return (await asyncio.to_thread(db.scalars, select(User))).all()\n",
                unsafe=True, config={"offload-style": "to_thread"}),
        Invalid(_SESSION + "SessionLocal = sessionmaker(bind=engine)\n@app.post('/')\nasync def save():\n"
                "    with SessionLocal() as db:\n        db.add(User())\n        db.commit()\n",
                "import asyncio\n" + _SESSION + "SessionLocal = sessionmaker(bind=engine)\n@app.post('/')\nasync def save():\n"
                f"    with SessionLocal() as db:\n        db.add(User())\n        await {_LOOP}(None, db.commit)\n",
                unsafe=True),
        Invalid(_SESSION + "@app.get('/')\nasync def first(db: Session = Depends(get_db)):\n"
                "    return db.query(User).first()\n", unsafe=True),
        Invalid("import subprocess\n" + _APP + "@app.middleware('http')\nasync def stamp(request, call_next):\n"
                "    subprocess.run(['true'], check=True)\n    return await call_next(request)\n",
                "import asyncio\nimport functools\nimport subprocess\n" + _APP + "@app.middleware('http')\n"
                f"async def stamp(request, call_next):\n    await {_LOOP}(None, functools.partial(subprocess.run, "
                "['true'], check=True))\n    return await call_next(request)\n", unsafe=True),
        Invalid("from app.legacy import fetch_report\n" + _APP + "@app.get('/r')\nasync def r():\n"
                "    return fetch_report(2024)\n",
                "import asyncio\n\nfrom app.legacy import fetch_report\n" + _APP + "@app.get('/r')\nasync def r():\n"
                f"    return await {_LOOP}(None, fetch_report, 2024)\n",
                unsafe=True, config={"blocking-calls": ["app.legacy.fetch_report"]}),
        Invalid("import time\nfrom fastapi import APIRouter\nclass Items:\n    router = APIRouter()\n"
                "    @router.get('/items')\n    @some_cache\n    async def list_items(self):\n        time.sleep(0)\n",
                "import asyncio\nimport time\nfrom fastapi import APIRouter\nclass Items:\n    router = APIRouter()\n"
                "    @router.get('/items')\n    @some_cache\n    async def list_items(self):\n"
                "        await asyncio.sleep(0)\n"),
        Invalid("import time\n" + _APP + "@app.get('/')\nasync def wait(asyncio):\n    time.sleep(asyncio.delay)\n"),
        Invalid("import os\nfrom starlette.requests import Request\nasync def audit(request: Request):\n"
                "    os.system('sync')\n"),
        Invalid("import time\nfrom fastapi import Depends, FastAPI\napp = FastAPI()\nasync def test_mode():\n"
                "    time.sleep(0)\n@app.get('/', dependencies=[Depends(test_mode)])\ndef read(): ...\n",
                "import asyncio\nimport time\nfrom fastapi import Depends, FastAPI\napp = FastAPI()\n"
                "async def test_mode():\n    await asyncio.sleep(0)\n@app.get('/', dependencies=[Depends(test_mode)])\n"
                "def read(): ...\n"),
        Invalid("import subprocess\n" + _APP + "@app.post('/run')\nasync def run():\n"
                "    out, _ = subprocess.Popen(['ls'], stdout=-1).communicate()\n    return out\n",
                "import asyncio\nimport subprocess\n" + _APP + "@app.post('/run')\nasync def run():\n"
                f"    out, _ = await {_LOOP}(None, subprocess.Popen(['ls'], stdout=-1).communicate)\n    return out\n",
                unsafe=True),
        Invalid("import asyncio\n\nimport requests\n" + _APP + "@app.get('/many')\nasync def many(urls: list[str]):\n"
                "    return [requests.get(u).status_code for u in urls]\n",
                "import asyncio\n\nimport requests\n" + _APP + "@app.get('/many')\nasync def many(urls: list[str]):\n"
                f"    return [(await {_LOOP}(None, requests.get, u)).status_code for u in urls]\n", unsafe=True),
        Invalid(_APP + "@app.get('/size')\nasync def size(paths: list[str]):\n"
                "    return sum(len(open(p).read()) for p in paths)\n", unsafe=True),
        Invalid("import asyncio\nimport time\n" + _APP + "@app.get('/')\nasync def oops():\n"
                "    await asyncio.to_thread(time.sleep(1))\n", unsafe=True),
        Invalid("import asyncio\nimport functools\n\nimport requests\n" + _APP + "@app.post('/hook')\n"
                "async def hook(payload: dict):\n    requests.post(\n        'https://x.org/hook',  # target\n"
                "        json=payload,\n    )\n",
                "import asyncio\nimport functools\n\nimport requests\n" + _APP + "@app.post('/hook')\n"
                f"async def hook(payload: dict):\n    await {_LOOP}(None, functools.partial(requests.post,\n"
                "        'https://x.org/hook',  # target\n        json=payload,\n    ))\n", unsafe=True),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        function = ctx.in_coroutine()
        if function is None:
            return
        blocking = blocking_call(node, ctx.names, ctx.config.blocking_calls)
        if blocking is None or not runs_on_server_loop(function, ctx):
            return
        ancestors = ancestors_in(function, node)
        if ancestors is None:
            return
        placement = placement_of(node, ancestors, ctx.names)
        if placement.awaited:
            return
        fix, safety = _primary_fix(function, blocking, placement, ctx.config.offload_style)
        ctx.report(node, fix, fix_safety=safety, alternatives=lambda fixer: _convert_to_def(function, ctx),
                   call=blocking.label, function=function.name)


def _convert_to_def(function: ast.AsyncFunctionDef, ctx: RuleContext) -> tuple[Fix, ...]:
    """FAP102's fix, when the coroutine awaits nothing else and is a path operation or dependency."""
    convert = conversion_fix(function, ctx)
    return (convert,) if convert is not None else ()


def runs_on_server_loop(function: ast.AsyncFunctionDef, ctx: RuleContext) -> bool:
    """A path operation or dependency, or any coroutine of a FastAPI/Starlette module that is not a pytest test."""
    if ctx.model.is_endpoint_or_dependency(function):
        return True
    if _is_pytest_function(function, ctx):
        return False
    return ctx.model.imports_fastapi or "starlette" in ctx.names.imported_modules()


def _is_pytest_function(function: ast.AsyncFunctionDef, ctx: RuleContext) -> bool:
    """A test (`async def test_...`) or a fixture: it runs on the test's own loop, not the server's."""
    if function.name.startswith("test"):
        return True
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ctx.qualified_name(target) in _FIXTURE_DECORATORS:
            return True
    return False


def _primary_fix(function: ast.AsyncFunctionDef, blocking: BlockingCall, placement: CallPlacement,
                 style: str) -> tuple[Optional[FixFactory], Optional[FixSafety]]:
    call = blocking.call
    if not placement.await_allowed:
        return None, None
    if blocking.qualified_name == "time.sleep":
        def sleep(fixer: FixContext) -> Optional[Fix]:
            edits = sleep_edits(fixer, function, call, placement)
            return Fix("Replace with `await asyncio.sleep()`", tuple(edits), FixSafety.SAFE) if edits else None
        return sleep, FixSafety.SAFE
    if placement.context_manager or blocking.qualified_name in _LAZY_METHODS:
        return None, None

    def offload(fixer: FixContext) -> Optional[Fix]:
        edits: Optional[list[Edit]] = offload_edits(fixer, function, call, placement, style)
        title = f"Run `{blocking.label}` in a worker thread"
        return Fix(title, tuple(edits), FixSafety.UNSAFE) if edits else None
    return offload, FixSafety.UNSAFE
