"""FAP102 async-without-await: a path operation or dependency declared `async def` that never awaits.

Also owns the "convert to `def`" fix, which FAP101 offers as an alternative when a coroutine that blocks
awaits nothing else: the span of the `async def <name>` header, and whether dropping `async` is safe (nothing
in the file calls the function, so nothing awaits or schedules the coroutine it returns).
"""

from __future__ import annotations

import ast
import contextlib
import re
import weakref
from dataclasses import dataclass, field
from typing import Iterator, Optional

from ..engine.blocking import awaits_anything, own_body
from ..engine.fixes import FixContext
from ..engine.names import BindingKind, FunctionNode, SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, Fix, FixSafety, Severity, Span

_SCHEDULER_ROOTS = frozenset({"asyncio", "anyio", "trio", "functools", "inspect"})
_SCHEDULER_METHODS = frozenset({"create_task", "ensure_future", "run_until_complete", "start_soon", "run"})
_BREAKING_DECORATORS = frozenset({"contextlib.asynccontextmanager"})
_EVENT_LOOP_ROOTS = frozenset({"asyncio", "anyio", "trio"})
_APP = "from fastapi import FastAPI\napp = FastAPI()\n"
_DEPS = "from fastapi import Depends, FastAPI\napp = FastAPI()\n"
_STATS = "from fastapi import FastAPI\nfrom app.cache import cached\napp = FastAPI()\n" \
    "@app.get('/stats')\n@cached(60)\nasync def stats():\n    return {}\n"


class AsyncWithoutAwait(Rule):
    """
    ## What it does
    Flags a path operation or dependency (of this module, or a function another module's `Depends()` names)
    declared `async def` whose own body never uses `await`, `async for`,
    `async with` or an async comprehension (code in nested functions does not count). The finding stands
    whatever else the body does, including blocking calls (FAP101).

    Not flagged: WebSocket handlers (FastAPI requires them to be coroutines), path operations that `yield`
    (FastAPI streams the items of an async generator on the loop; as a `def` it would become a plain
    generator, no longer matching its `AsyncIterable` annotation), and placeholders whose body is only a
    docstring, `pass`, `...` or `raise NotImplementedError`, which have nothing to convert yet. A dependency
    that `yield`s is flagged: a plain generator dependency works the same way. Also left alone, because they
    need the event loop they run on: a body that uses `asyncio`, `anyio` or `trio` (`create_task`, or an
    object such as an `anyio.Event()` created by an assignment it can see) or sets a `ContextVar` (set in
    a worker thread, the value would never reach the request).

    ## Why is this bad?
    FastAPI calls an `async def` handler directly on the event loop and a plain `def` handler in its thread
    pool. A coroutine that awaits nothing gains nothing from being one, and the first blocking call added to it
    later (a file read, a synchronous database query) stalls every request the server is handling. Declared
    with `def`, the same code is safe to grow. FastAPI's own documentation accepts `async def` for quick,
    non-blocking handlers, since it saves a hop to the thread pool; that is why this rule is only informational.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}
    ```

    Use instead:
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}
    ```

    ## Fix safety
    The fix removes the `async` keyword; FastAPI then runs the function in its thread pool. It is safe when
    nothing in the file calls the function or hands it to `asyncio`, `anyio`, `trio`, `functools` or
    `inspect` (calling a coroutine function gives a coroutine that someone awaits or schedules). It is not
    offered when something does, under `@asynccontextmanager`, or for an async generator with a return
    annotation (`AsyncIterator[...]` would no longer be true). Any other decorator besides the route decorators makes the fix
    unsafe, since it may expect a coroutine function. A dependency that `yield`s becomes a plain generator
    dependency, which FastAPI supports as well. Calls from the project's other modules count like calls in the
    file: when another module calls the function, no fix is offered.
    """

    code = "FAP102"
    name = "async-without-await"
    message = "`async def {function}` never awaits: declare it with `def`"
    fix_title = "Convert to `def`"
    fix_safety = FixSafety.SAFE
    severity = Severity.INFORMATION
    node_types = (ast.AsyncFunctionDef,)
    VALID = (
        Valid(_APP + "@app.get('/')\nasync def read():\n    return await fetch()\n"),
        Valid(_APP + "@app.get('/')\nasync def read(rows=None):\n    async for row in rows:\n        return row\n"),
        Valid(_APP + "@app.get('/')\nasync def read(lock=None):\n    async with lock:\n        return 1\n"),
        Valid(_APP + "@app.get('/')\nasync def read():\n    return [r async for r in rows()]\n"),
        Valid(_APP + "@app.get('/')\nasync def read(ids=()):\n    return [await get(i) for i in ids]\n"),
        Valid(_APP + "@app.get('/')\ndef read():\n    return {}\n"),
        Valid(_APP + "@app.websocket('/ws')\nasync def stream(socket):\n    return None\n"),
        Valid("from collections.abc import AsyncIterable\n" + _APP + "@app.get('/stream')\n"
              "async def stream(words: str) -> AsyncIterable[str]:\n    for word in words.split():\n"
              "        yield word\n"),
        Valid(_APP + "@app.get('/a')\nasync def a():\n    ...\n@app.get('/b')\nasync def b():\n"
              "    \"\"\"Later.\"\"\"\n    pass\n@app.get('/c')\nasync def c():\n    raise NotImplementedError\n"),
        Valid(_APP + "async def helper():\n    return 1\n"),
        Valid("import asyncio\n" + _APP + "@app.post('/jobs', status_code=202)\nasync def enqueue():\n"
              "    asyncio.create_task(work())\n    return {}\n"),
        Valid("from contextvars import ContextVar\n" + _DEPS + "tenant: ContextVar[str] = ContextVar('tenant')\n"
              "async def set_tenant(name: str):\n    tenant.set(name)\n"
              "@app.get('/', dependencies=[Depends(set_tenant)])\ndef read():\n    return tenant.get()\n"),
        Valid("import anyio\n" + _DEPS + "def build():\n    entered = anyio.Event()\n    async def dep():\n"
              "        entered.set()\n        yield 'ok'\n    @app.get('/')\n    def read(v=Depends(dep)):\n"
              "        return v\n"),
        Valid("from pydantic import BaseModel\nfrom app.cache import registry\n"
              "@registry.get('/x')\nasync def cached():\n    return 1\n"),
        Valid("import fastapi\nfrom flask import Flask\nweb = Flask(__name__)\n"
              "@web.get('/')\nasync def index():\n    return 'hi'\n"),
        Valid(_DEPS + "async def get_conn():\n    conn = open_conn()\n    try:\n        yield conn\n    finally:\n"
              "        await conn.close()\n@app.get('/')\ndef read(conn=Depends(get_conn)):\n    return conn\n"),
        Valid("import fastapi\ndef Depends(target):\n    return target\nasync def dep():\n    return 1\n"
              "def read(value=Depends(dep)):\n    return value\n"),
        Valid("from fastapi import HTTPException\nfrom app.context import request_id\nasync def tag():\n"
              "    request_id.set('x')\n", path="app/deps.py",
              files={"app/context.py": "from contextvars import ContextVar\nrequest_id = ContextVar('request_id')\n",
                     "app/main.py": "from fastapi import Depends, FastAPI\nfrom app.deps import tag\n"
                                    "app = FastAPI(dependencies=[Depends(tag)])\n"}),
    )
    INVALID = (
        Invalid(_APP + "@app.get('/health')\nasync def health():\n    return {'ok': True}\n",
                _APP + "@app.get('/health')\ndef health():\n    return {'ok': True}\n"),
        Invalid("from fastapi import APIRouter\nrouter = APIRouter(prefix='/users')\n"
                "@router.post('/', status_code=201)\nasync def create(payload: dict) -> dict:\n    return payload\n",
                "from fastapi import APIRouter\nrouter = APIRouter(prefix='/users')\n"
                "@router.post('/', status_code=201)\ndef create(payload: dict) -> dict:\n    return payload\n"),
        Invalid("from typing import Annotated\n" + _DEPS + "async def settings() -> dict:\n    return {}\n"
                "@app.get('/')\nasync def read(s: Annotated[dict, Depends(settings)]):\n    return s\n",
                "from typing import Annotated\n" + _DEPS + "def settings() -> dict:\n    return {}\n"
                "@app.get('/')\ndef read(s: Annotated[dict, Depends(settings)]):\n    return s\n", count=2),
        Invalid(_DEPS + "async def get_db():\n    db = Session()\n    try:\n        yield db\n    finally:\n"
                "        db.close()\n@app.get('/')\ndef read(db=Depends(get_db)):\n    return db\n",
                _DEPS + "def get_db():\n    db = Session()\n    try:\n        yield db\n    finally:\n"
                "        db.close()\n@app.get('/')\ndef read(db=Depends(get_db)):\n    return db\n"),
        Invalid(_APP + "@app.get('/a')\nasync def a():\n    return 1\nasync def b():\n    return await a()\n"),
        Invalid("import anyio\n" + _DEPS + "async def warm():\n    return 1\n"
                "@app.get('/', dependencies=[Depends(warm)])\ndef read():\n    return 1\nanyio.run(warm)\n"),
        Invalid("import time\n" + _APP + "@app.get('/')\nasync def slow():\n    time.sleep(1)\n",
                "import time\n" + _APP + "@app.get('/')\ndef slow():\n    time.sleep(1)\n"),
        Invalid("from fastapi import APIRouter\nclass Items:\n    router = APIRouter()\n    @router.get('/items')\n"
                "    async def list_items(self):\n        return []\n",
                "from fastapi import APIRouter\nclass Items:\n    router = APIRouter()\n    @router.get('/items')\n"
                "    def list_items(self):\n        return []\n"),
        Invalid("from fastapi import APIRouter\nclass Items:\n    router = APIRouter()\n    @router.get('/items')\n"
                "    async def list_items(self):\n        return []\n    async def count(self):\n"
                "        return len(await self.list_items())\n"),
        Invalid(_APP + "@app.api_route('/ping', methods=['GET', 'HEAD'])\nasync def ping():\n    return 'pong'\n",
                _APP + "@app.api_route('/ping', methods=['GET', 'HEAD'])\ndef ping():\n    return 'pong'\n"),
        Invalid(_APP + "@app.get('/a')\n@app.get('/b')\nasync def both():\n    return 1\n",
                _APP + "@app.get('/a')\n@app.get('/b')\ndef both():\n    return 1\n"),
        Invalid(_STATS),
        Invalid(_STATS, _STATS.replace("async def", "def"), unsafe=True),
        Invalid(_APP + "@app.get('/')\nasync def outer():\n    async def inner():\n        await other()\n"
                "    return inner\n",
                _APP + "@app.get('/')\ndef outer():\n    async def inner():\n        await other()\n"
                "    return inner\n"),
        Invalid("from collections.abc import AsyncIterator\n" + _DEPS + "async def items() -> AsyncIterator[int]:\n"
                "    yield 1\n@app.get('/')\ndef read(i=Depends(items)):\n    return i\n"),
        Invalid("from contextlib import asynccontextmanager\n" + _DEPS + "@asynccontextmanager\n"
                "async def resource():\n    yield 1\n@app.get('/')\ndef read(r=Depends(resource)):\n    return r\n"),
        Invalid(_APP + "@app.get('/é')\nasync  def café():  # ☕\n    return 'ok'\n",
                _APP + "@app.get('/é')\ndef café():  # ☕\n    return 'ok'\n"),
        Invalid("from fastapi import HTTPException\nasync def current_user():\n    return 'ann'\n",
                "from fastapi import HTTPException\ndef current_user():\n    return 'ann'\n",
                path="app/deps.py",
                files={"app/users.py": "from typing import Annotated\nfrom fastapi import Depends, FastAPI\n"
                                       "from app.deps import current_user\napp = FastAPI()\n"
                                       "User = Annotated[str, Depends(current_user)]\n@app.get('/me')\n"
                                       "def me(user: User):\n    return user\n"}),
        Invalid(_APP + "@app.get('/health')\nasync def health():\n    return 'ok'\n",
                files={"app/jobs.py": "from app.main import health\nasync def nightly():\n"
                                      "    return await health()\n"}),
        Invalid(_APP + "@app.get('/health')\nasync def health():\n    return 'ok'\n",
                _APP + "@app.get('/health')\ndef health():\n    return 'ok'\n",
                files={"app/docs.py": "from app.main import health\nENDPOINTS = [health]\n"}),
    )

    def visit(self, node: ast.AsyncFunctionDef, ctx: RuleContext) -> None:
        if not serves_requests(node, ctx) or must_stay_async(node, ctx):
            return
        if awaits_anything(node) or _is_placeholder(node):
            return
        header = header_spans(ctx.fixer, node)
        if header is None:
            return
        safety = conversion_safety(node, ctx)
        fix = None if safety is None else (lambda fixer: [fixer.delete(header.keyword)])
        ctx.report(header.name, fix, fix_safety=safety, function=node.name)


def serves_requests(function: ast.AsyncFunctionDef, ctx: RuleContext) -> bool:
    """A path operation or a dependency: of this file, or a top-level function another module's `Depends()`
    names."""
    if ctx.model.is_endpoint_or_dependency(function):
        return True
    scope = ctx.names.scope_owned_by(function)
    return scope is not None and scope.parent is ctx.names.module_scope and \
        ctx.workspace.used_as_dependency(function.name)


def must_stay_async(function: ast.AsyncFunctionDef, ctx: RuleContext) -> bool:
    """WebSocket handlers must be coroutines; a path operation that yields streams as an async generator."""
    operations = ctx.operations(function)
    if any(operation.is_websocket for operation in operations) or _needs_event_loop(function, ctx):
        return True
    return bool(operations) and _yields(function)


def _yields(function: ast.AsyncFunctionDef) -> bool:
    return any(isinstance(node, ast.Yield) for node, _ancestors in own_body(function))


def conversion_fix(function: ast.AsyncFunctionDef, ctx: RuleContext) -> Optional[Fix]:
    """The "convert to `def`" fix as an alternative for other rules, or None when it is not offered."""
    if not serves_requests(function, ctx) or must_stay_async(function, ctx):
        return None
    if awaits_anything(function):
        return None
    safety = conversion_safety(function, ctx)
    header = header_spans(ctx.fixer, function)
    if safety is None or header is None:
        return None
    return Fix(f"Convert `{function.name}` to `def` (FastAPI runs it in its thread pool)",
               (Edit(header.keyword, ""),), safety)


# -- where the header is ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderSpans:
    name: Span  # from `async` to the end of the function name
    keyword: Span  # `async` and the space after it


def header_spans(fixer: FixContext, function: ast.AsyncFunctionDef) -> Optional[HeaderSpans]:
    document = fixer.document
    source = document.source
    start = document.offset(fixer.span(function).start)
    pattern = re.compile(r"async(?:\s|\\)+def(?:\s|\\)+" + re.escape(function.name) + r"\b")
    match = pattern.match(source, start)
    if match is None:
        return None
    def_start = source.index("def", start + len("async"))
    return HeaderSpans(
        name=Span(document.position_at(start), document.position_at(match.end())),
        keyword=Span(document.position_at(start), document.position_at(def_start)),
    )


# -- is dropping `async` safe? ----------------------------------------------------------------------------


def conversion_safety(function: ast.AsyncFunctionDef, ctx: RuleContext) -> Optional[FixSafety]:
    """SAFE, UNSAFE (other decorators), or None when something in the file uses the function as a coroutine."""
    uses = _coroutine_uses(ctx)
    if id(function) in uses.functions:
        return None
    scope = ctx.names.scope_owned_by(function)
    if scope is not None and scope.parent is not None and scope.parent.is_class and function.name in uses.methods:
        return None
    if _needs_event_loop(function, ctx) or (function.returns is not None and _yields(function)):
        return None
    if scope is not None and scope.parent is ctx.names.module_scope and ctx.workspace.called_from_elsewhere(function.name):
        return None  # another module calls it, so it awaits or schedules what it returns
    route_decorators = {id(operation.decorator) for operation in ctx.operations(function)}
    others = [d for d in function.decorator_list if id(d) not in route_decorators]
    for decorator in others:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ctx.qualified_name(target) in _BREAKING_DECORATORS:
            return None
    return FixSafety.UNSAFE if others else FixSafety.SAFE


@dataclass
class _CoroutineUses:
    functions: set[int] = field(default_factory=set)  # ids of function nodes called or handed to a scheduler
    methods: set[str] = field(default_factory=set)  # attribute names called or handed to a scheduler


# One summary per analysed file, dropped with the file's symbol table.
_USES_BY_TABLE: "weakref.WeakKeyDictionary[SymbolTable, _CoroutineUses]" = weakref.WeakKeyDictionary()


def _coroutine_uses(ctx: RuleContext) -> _CoroutineUses:
    """Every function of this file that is called, or passed to a scheduler, anywhere in it (computed once)."""
    try:
        cached = _USES_BY_TABLE.get(ctx.names)
    except TypeError:  # a symbol table that cannot be weakly referenced: compute without caching
        cached = None
    if cached is not None:
        return cached
    uses = _CoroutineUses()
    coroutine_names: set[str] = set()
    called_names: list[ast.Name] = []
    for node in _all_nodes(ctx):
        if isinstance(node, ast.AsyncFunctionDef):
            coroutine_names.add(node.name)
        if not isinstance(node, ast.Call):
            continue
        targets: list[ast.expr] = [node.func]
        if _is_scheduler(node, ctx):
            targets.extend(a.value if isinstance(a, ast.Starred) else a for a in node.args)
            targets.extend(k.value for k in node.keywords)
        for target in targets:
            if isinstance(target, ast.Attribute):
                uses.methods.add(target.attr)
            elif isinstance(target, ast.Name):
                called_names.append(target)
    for name in called_names:  # resolve only the names that can denote one of the file's coroutines
        binding = ctx.names.binding_of(name) if name.id in coroutine_names else None
        if binding is not None and binding.kind is BindingKind.FUNCTION:
            uses.functions.add(id(binding.node))
    with contextlib.suppress(TypeError):
        _USES_BY_TABLE[ctx.names] = uses
    return uses


def _all_nodes(ctx: RuleContext) -> Iterator[ast.AST]:
    """Every node of the file: the symbol table's recorded visit when it has one, else a walk of the tree."""
    visit_order = getattr(ctx.names, "visit_order", None)
    if isinstance(visit_order, list):
        return (node for node, _scope in visit_order)
    tree = ctx.document.tree
    return ast.walk(tree) if tree is not None else iter(())


def _needs_event_loop(function: ast.AsyncFunctionDef, ctx: RuleContext) -> bool:
    """The body uses asyncio/anyio/trio or an object one of them created (`anyio.Event()`), or sets a context
    variable: in a worker thread that breaks or is lost."""
    for node, _ancestors in own_body(function):
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualified = ctx.qualified_name(node) or _creator(node, ctx)
            if qualified.split(".", 1)[0] in _EVENT_LOOP_ROOTS:
                return True
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("set", "reset")
              and "contextvars.ContextVar" in (_creator(node.func.value, ctx),
                                               ctx.workspace.constructor_of(node.func.value, ctx.names))):
            return True
    return False


def _creator(node: ast.expr, ctx: RuleContext) -> str:
    """The qualified name of the callable whose result a variable was assigned (`anyio.Event` for
    `done = anyio.Event()`), or ""."""
    binding = ctx.names.binding_of(node) if isinstance(node, ast.Name) else None
    if binding is None or binding.kind is not BindingKind.ASSIGNMENT or not isinstance(binding.value, ast.Call):
        return ""
    return ctx.qualified_name(binding.value.func) or ""


def _is_scheduler(call: ast.Call, ctx: RuleContext) -> bool:
    qualified = ctx.qualified_name(call.func) or ""
    if qualified.split(".", 1)[0] in _SCHEDULER_ROOTS:
        return True
    return isinstance(call.func, ast.Attribute) and call.func.attr in _SCHEDULER_METHODS


def _is_placeholder(function: FunctionNode) -> bool:
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(
        body[0].value.value, str
    ):
        body = body[1:]
    return all(_is_placeholder_statement(statement) for statement in body)


def _is_placeholder_statement(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return statement.value.value is Ellipsis
    if isinstance(statement, ast.Raise) and statement.exc is not None:
        raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
        return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"
    return False
