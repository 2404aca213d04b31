"""FAP603 testclient-without-lifespan: `TestClient(app)` never entered with `with`, for an app whose lifespan or
startup handlers then never run."""

from __future__ import annotations

import ast
from typing import Optional, Union

from ..engine.fastapi_model import keyword_value
from ..engine.rule import Rule, RuleContext
from ..engine.types import Severity
from ..engine.workspace.app_graph import graph_for
from ..engine.workspace.references import reference
from ._lifespan import is_app_reference, registrations_in
from ._testclient_without_lifespan_cases import INVALID_CASES, VALID_CASES

TEST_CLIENTS = frozenset({"fastapi.testclient.TestClient", "starlette.testclient.TestClient"})
_ENTERING_CALLS = frozenset({"enter_context", "enter_async_context", "__enter__", "__aenter__"})
_STARTUP_KEYWORDS = ("on_startup", "on_shutdown")
_EVENTS = {"lifespan": "lifespan", "startup handlers": "startup and shutdown handlers"}
Holder = Union[ast.Assign, ast.AnnAssign, ast.Attribute, ast.Return, ast.Yield]


class TestclientWithoutLifespan(Rule):
    """
    ## What it does
    Flags a `TestClient(app)` (from `fastapi.testclient` or `starlette.testclient`) that is used without
    entering it as a context manager, when the app defines a lifespan (`FastAPI(lifespan=...)`) or
    startup/shutdown handlers (`@app.on_event("startup")`, `app.add_event_handler(...)`,
    `FastAPI(on_startup=[...])`, or a router included into the app that has its own). The app may be built
    in the same file or imported from another module of the project (`from app.main import app`), also
    through an application factory (`TestClient(create_app())`).

    Not flagged: `with TestClient(app) as client:`, a client stored in a variable or attribute that the file
    later enters (`with client:`, `client.__enter__()`, `stack.enter_context(client)`), a fixture returning
    a client that tests enter, clients passed straight into another call, and apps the project does not
    show (a fixture parameter, a factory of another package): when unsure, the rule stays silent.

    ## Why is this bad?
    The test client runs the application's lifespan, and with it the startup and shutdown handlers, only
    inside a `with` block. A client used without one sends requests to an app that never started: the
    database pool, HTTP clients or caches the lifespan creates are missing, so tests fail with confusing
    errors or, worse, pass against state the real app would not have.

    ## Example
    ```python
    from contextlib import asynccontextmanager

    from fastapi import FastAPI
    from fastapi.testclient import TestClient


    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.ready = True
        yield


    app = FastAPI(lifespan=lifespan)
    client = TestClient(app)


    def test_health() -> None:
        assert client.get("/health").status_code == 404
    ```

    Use instead:
    ```python
    from contextlib import asynccontextmanager

    from fastapi import FastAPI
    from fastapi.testclient import TestClient


    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.ready = True
        yield


    app = FastAPI(lifespan=lifespan)


    def test_health() -> None:
        with TestClient(app) as client:
            assert client.get("/health").status_code == 404
    ```
    """

    code = "FAP603"
    name = "testclient-without-lifespan"
    message = "`TestClient({app})` is not entered with `with`: the app's {events} will not run"
    severity = Severity.INFORMATION
    node_types = (ast.Assign, ast.AnnAssign, ast.Attribute, ast.Return, ast.Yield)
    trigger_words = ("TestClient",)

    VALID = VALID_CASES
    INVALID = INVALID_CASES

    def visit(self, node: Holder, ctx: RuleContext) -> None:
        call = _client_call(node, ctx)
        if call is None:
            return
        app = call.args[0] if call.args else keyword_value(call, "app")
        if app is None or _entered_later(node, ctx):
            return
        events = _in_file_events(app, ctx) or _workspace_events(app, ctx)
        if events is not None:
            ctx.report(call, app=ctx.document.node_text(app), events=_EVENTS[events])


def _client_call(node: Holder, ctx: RuleContext) -> Optional[ast.Call]:
    """The `TestClient(...)` call this node keeps or uses directly, if any."""
    if isinstance(node, ast.Attribute):
        value = node.value if node.attr not in _ENTERING_CALLS else None
    elif isinstance(node, ast.Assign):
        value = node.value if len(node.targets) == 1 else None
    else:
        value = node.value
    if isinstance(value, ast.Call) and ctx.qualified_name(value.func) in TEST_CLIENTS:
        return value
    return None


def _held_as(node: Holder, ctx: RuleContext) -> set[str]:
    """The names the client is kept under: the assigned variable or attribute, or the function returning it
    (a fixture also under its `name=`)."""
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        target = _dotted(node.targets[0] if isinstance(node, ast.Assign) else node.target)
        return {target} if target is not None else set()
    function = ctx.enclosing_function()
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return set()
    aliases = [keyword_value(d, "name") for d in function.decorator_list if isinstance(d, ast.Call)]
    return {function.name, *(a.value for a in aliases if isinstance(a, ast.Constant) and isinstance(a.value, str))}


def _dotted(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base is not None else None
    return None


def _entered_later(node: Holder, ctx: RuleContext) -> bool:
    """The kept client (or the fixture returning it) is entered somewhere in the file: `with client:`,
    `with make_client() as c:`, `client.__enter__()`, `stack.enter_context(client)`."""
    if isinstance(node, ast.Attribute):
        return False
    held = _held_as(node, ctx)
    if not held:
        return True  # kept somewhere this rule cannot follow: stay silent
    for other, _scope in ctx.names.visit_order:
        if isinstance(other, (ast.With, ast.AsyncWith)):
            entered = [item.context_expr for item in other.items]
        elif isinstance(other, ast.Call) and isinstance(other.func, ast.Attribute) and other.func.attr in _ENTERING_CALLS:
            entered = [other.func.value, *other.args]
        else:
            continue
        if any(_dotted(e.func if isinstance(e, ast.Call) else e) in held for e in entered):
            return True
    return False


def _in_file_events(app: ast.expr, ctx: RuleContext) -> Optional[str]:
    """What this file shows of an app created in it: constructor keywords and event registrations."""
    if not isinstance(app, ast.Name):
        return None
    binding = ctx.names.binding_of(app)
    info = ctx.model.routers.get(app.id)
    if binding is None or info is None or info.kind != "app" or binding.value is not info.call:
        return None
    if _set(keyword_value(info.call, "lifespan")):
        return "lifespan"
    if any(_set(keyword_value(info.call, name)) for name in _STARTUP_KEYWORDS):
        return "startup handlers"
    if any(is_app_reference(r.receiver, info, ctx.names) for r in registrations_in(ctx.names)):
        return "startup handlers"
    return None


def _set(value: Optional[ast.expr]) -> bool:
    if value is None or (isinstance(value, ast.Constant) and value.value is None):
        return False
    return not (isinstance(value, (ast.List, ast.Tuple)) and not value.elts)


def _workspace_events(app: ast.expr, ctx: RuleContext) -> Optional[str]:
    """What the project shows of the app: imported, made by a factory, with routers included into it."""
    if not isinstance(app, (ast.Name, ast.Attribute, ast.Call)):
        return None
    workspace = ctx.workspace
    graph = graph_for(workspace)
    if isinstance(app, ast.Call):
        nodes = graph.made_by(workspace.path, reference(app.func, ctx.names))
    else:
        nodes = graph.nodes_for(workspace.path, reference(app, ctx.names))
    for key in nodes:
        if graph.kind(key) == "app":
            events = graph.lifecycle(key)
            if events is not None:
                return events
    return None
