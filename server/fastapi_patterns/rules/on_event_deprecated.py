"""FAP401 on-event-deprecated: startup and shutdown handlers registered with the deprecated event API."""

from __future__ import annotations

import ast
import functools
from typing import Optional, Union

from ..engine.fastapi_model import APP_CLASSES, NON_FASTAPI_ROOTS, ROUTER_CLASSES, RouterInfo, keyword_value
from ..engine.names import BindingKind, Scope
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.fixes import FixContext
from ..engine.types import Edit, FixSafety, Severity
from ._lifespan import lifespan_edits, registration_of

_APPLICATIONS = APP_CLASSES | ROUTER_CLASSES | {"starlette.applications.Starlette", "starlette.Starlette"}
_UNKNOWN = "unknown"

_H = "from fastapi import FastAPI\n"
_ACM = "from contextlib import asynccontextmanager\n"
_LIFE = "@asynccontextmanager\nasync def lifespan(app: FastAPI):\n"


class OnEventDeprecated(Rule):
    """
    ## What it does
    Flags `@app.on_event("startup")`, `@app.on_event("shutdown")` and `app.add_event_handler(...)` on a
    FastAPI or Starlette app or an `APIRouter` (resolved through the file; an object imported from elsewhere
    counts in a module that imports FastAPI or Starlette). One diagnostic per registration.

    ## Why is this bad?
    FastAPI deprecated these events in favour of a *lifespan*: one async context manager whose code before
    `yield` runs at start-up and after it at shutdown. It keeps a resource and its clean-up in one place,
    can hand state to requests, and is the only form that composes: as soon as an app gets a `lifespan=`,
    FastAPI stops running its `on_event` handlers, so mixing both styles silently drops start-up code (the
    message says so when the app in the file already has a lifespan).

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()
    items: dict[str, str] = {}


    @app.on_event("startup")
    async def load_items() -> None:
        items["foo"] = "Fighters"
    ```

    Use instead:
    ```python
    from collections.abc import AsyncIterator
    from contextlib import asynccontextmanager

    from fastapi import FastAPI

    items: dict[str, str] = {}


    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        items["foo"] = "Fighters"
        yield


    app = FastAPI(lifespan=lifespan)
    ```

    ## Fix safety
    Unsafe. The fix writes one `@asynccontextmanager async def lifespan(app)` above the app, passes it as
    `FastAPI(lifespan=lifespan)`, removes the registrations and calls the handlers from it, start-up ones
    before `yield` and shutdown ones after, in registration order: `await f()` for a coroutine, `f()` for a
    plain function (FastAPI ran those on the event loop as well). Calling the handlers rather than pasting
    their bodies keeps early `return`s, `global` statements, local names and other callers (tests) working.
    It is unsafe because FastAPI then ignores every `on_event` handler of that app registered elsewhere, in
    other modules or on routers included into it; within the file the fix is only offered when every
    registration belongs to the app created there, at module level, for a function defined once at module
    level with no other decorator. An app that already has `lifespan=`, `on_startup=` or `on_shutdown=`
    gets no fix. Shutdown calls run after `yield`, as in FastAPI's own lifespan examples: put them in a
    `finally:` if they must also run when the server is cancelled.
    """

    code = "FAP401"
    name = "on-event-deprecated"
    message = "`{registration}` is deprecated{consequence}: run {event} code in a `lifespan` context manager"
    fix_title = "Move the event handlers into a `lifespan` context manager"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.WARNING
    node_types = (ast.Call,)
    trigger_words = ("on_event", "add_event_handler")

    VALID = (
        Valid(_ACM + _H + _LIFE + "    yield\napp = FastAPI(lifespan=lifespan)\n"),
        Valid(_H + "app = FastAPI()\n@app.on_event('custom')\nasync def f(): ...\n"),
        Valid("class Bus:\n    def on_event(self, name): ...\nbus = Bus()\n@bus.on_event('startup')\ndef f(): ...\n"),
        Valid("from app.events import bus\n@bus.on_event('startup')\ndef f(): ...\n"),
        Valid(_H + "class Bus:\n    def add_event_handler(self, name, f): ...\nbus = Bus()\n"
              "bus.add_event_handler('startup', print)\n"),
        Valid("import redis\nimport fastapi\nclient = redis.Redis()\nclient.add_event_handler('startup', print)\n"),
        Valid(_H + "def f(app: FastAPI, on_event):\n    on_event('startup')\n"),
        Valid(_H + "class Router:\n    def include(self, other):\n        for h in other.on_startup:\n"
              "            self.add_event_handler('startup', h)\n"),
        Valid(_H + "app = FastAPI()\n@app.get('/')\ndef root(): ...\n"),
        Valid(_H + "app = FastAPI()\nhandlers = {'on_event': 'startup'}\n"),
    )
    INVALID = (
        Invalid(_H + "\napp = FastAPI()\n\n\n@app.on_event('startup')\nasync def connect():\n    pass\n",
                _ACM + "\n" + _H + "\n\n" + _LIFE + "    await connect()\n    yield\n\n\n"
                "app = FastAPI(lifespan=lifespan)\n\n\nasync def connect():\n    pass\n", unsafe=True),
        Invalid(
            "import os\nfrom fastapi import FastAPI\n\n# the app\napp = FastAPI(\n    title='shop',\n)\n\n"
            "@app.on_event('startup')\nasync def connect():\n    pass\n\n"
            "@app.on_event('shutdown')  # close\ndef close():\n    pass\n\n"
            "@app.on_event('startup')\ndef warm():\n    pass\n",
            "import os\nfrom contextlib import asynccontextmanager\nfrom fastapi import FastAPI\n\n\n"
            + _LIFE + "    await connect()\n    warm()\n    yield\n    close()\n\n\n"
            "# the app\napp = FastAPI(\n    title='shop',\n    lifespan=lifespan,\n)\n\n"
            "async def connect():\n    pass\n\ndef close():\n    pass\n\ndef warm():\n    pass\n",
            count=3, unsafe=True),
        Invalid("import contextlib\nimport fastapi\nasync def close(): ...\napp = fastapi.FastAPI()\n"
                "app.add_event_handler('shutdown', close)\n",
                "import contextlib\nimport fastapi\nasync def close(): ...\n\n\n@contextlib.asynccontextmanager\n"
                "async def lifespan(app: fastapi.FastAPI):\n    yield\n    await close()\n\n\n"
                "app = fastapi.FastAPI(lifespan=lifespan)\n", unsafe=True),
        Invalid(_H + "from fastapi_utils.tasks import repeat_every\napp = FastAPI()\n"
                "@app.on_event('startup')\n@repeat_every(seconds=60)\ndef tick(): ...\n", unsafe=True),
        Invalid(_H + "app = FastAPI(lifespan=None)\n@app.on_event('startup')\nasync def f(): ...\n", unsafe=True),
        Invalid("from contextlib import asynccontextmanager\n" + _H + _LIFE + "    yield\napp = FastAPI(lifespan=lifespan)\n"
                "@app.on_event('shutdown')\nasync def close(): ...\n", unsafe=True),
        Invalid("from fastapi import APIRouter\nrouter = APIRouter()\n@router.on_event('startup')\nasync def f(): ...\n",
                unsafe=True),
        Invalid(_H + "from app.routes import router\napp = FastAPI()\n@router.on_event('startup')\nasync def f(): ...\n"
                "@app.on_event('startup')\nasync def g(): ...\n", count=2, unsafe=True),
        Invalid("import fastapi\nfrom app.main import app\n@app.on_event('shutdown')\nasync def f(): ...\n", unsafe=True),
        Invalid(_H + "def create_app():\n    application = FastAPI()\n    @application.on_event('startup')\n"
                "    async def f(): ...\n    return application\n", unsafe=True),
        Invalid(_H + "app = FastAPI()\napp.add_event_handler('startup', lambda: print('hi'))\n", unsafe=True),
        Invalid(_H + "lifespan = 1\napp = FastAPI()\n@app.on_event(event_type='startup')\nasync def f(): ...\n",
                _ACM + "\n" + _H + "lifespan = 1\n\n\n@asynccontextmanager\nasync def app_lifespan(app: FastAPI):\n"
                "    await f()\n    yield\n\n\napp = FastAPI(lifespan=app_lifespan)\nasync def f(): ...\n", unsafe=True),
        Invalid("from starlette.applications import Starlette\ndef f(app: Starlette):\n"
                "    app.add_event_handler('startup', print)\n", unsafe=True),
        Invalid(_H + "app = FastAPI()\n@app.on_event('startup')\nasync def f(): ...\nf = None\n", unsafe=True),
        Invalid(_H + "class Shop(FastAPI):\n    pass\napp = Shop(title='shop')\ndef seed(): ...\n"
                "app.add_event_handler(event_type='startup', func=seed)  # seed the demo data\n",
                _ACM + "\n" + _H + "class Shop(FastAPI):\n    pass\n\n\n@asynccontextmanager\n"
                "async def lifespan(app: Shop):\n    seed()\n    yield\n\n\napp = Shop(title='shop', lifespan=lifespan)\n"
                "def seed(): ...\n", unsafe=True),
        Invalid("import fastapi\nclass Plugin:\n    def install(self, app):\n"
                "        app.add_event_handler('shutdown', self.close)\n", unsafe=True),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        registration = registration_of(node)
        if registration is None:
            return
        owner = _owner(registration.receiver, ctx)
        if owner is None:
            return
        receiver = ctx.document.node_text(registration.receiver)
        if registration.is_decorator_form:
            text = f'{receiver}.on_event("{registration.event}")'
        else:
            text = f'{receiver}.add_event_handler("{registration.event}", ...)'
        edits = None  # built now, so only findings that really can be fixed say so (the pattern is rare)
        if isinstance(owner, RouterInfo) and owner.kind == "app" and ctx.model.routers.get(owner.name) is owner:
            edits = lifespan_edits(ctx.fixer, owner)
        fix = None if edits is None else functools.partial(_prepared, edits=edits)
        consequence = ""
        if isinstance(owner, RouterInfo) and owner.kind == "app" and _has_lifespan(owner.call):
            consequence = " and never runs, since the app already has a `lifespan`"
        ctx.report(node, fix, registration=text, event=registration.event, consequence=consequence)


def _owner(receiver: ast.expr, ctx: RuleContext) -> Union[RouterInfo, str, None]:
    """The app or router the handler is registered on; "unknown" when it cannot be resolved; None when it is
    resolved to something that is no FastAPI or Starlette object."""
    names = ctx.names
    framework = ctx.model.imports_fastapi or "starlette" in names.imported_modules()
    if not isinstance(receiver, ast.Name):
        return _UNKNOWN if framework else None
    binding = names.binding_of(receiver)
    if binding is not None and binding.kind is BindingKind.ASSIGNMENT and isinstance(binding.value, ast.Call):
        known = ctx.model.routers.get(receiver.id)
        if known is not None and known.call is binding.value:
            return known
        callee = names.qualified_name(binding.value.func) or ""
        if callee in _APPLICATIONS:
            return RouterInfo(receiver.id, "app" if callee not in ROUTER_CLASSES else "router", binding.value)
        if callee.split(".", 1)[0] in NON_FASTAPI_ROOTS:
            return None
        made_by = names.binding_of(binding.value.func) if isinstance(binding.value.func, ast.Name) else None
        if made_by is not None and made_by.kind is BindingKind.CLASS:
            return None  # an instance of a class of this module that is no app
    elif binding is not None and binding.kind is BindingKind.PARAMETER:
        if _is_method_receiver(binding.node, binding.scope.node, binding.scope.parent):
            return None  # `self.add_event_handler(...)`: a class implementing or extending the event API itself
        if binding.annotation is not None and names.qualified_name(binding.annotation) in _APPLICATIONS:
            return _UNKNOWN
    elif binding is not None and binding.kind in (BindingKind.FUNCTION, BindingKind.CLASS):
        return None
    elif binding is not None and binding.kind is BindingKind.IMPORT and isinstance(binding.node, ast.Import):
        return None  # a module
    return _UNKNOWN if framework else None


def _prepared(_fixer: FixContext, edits: list[Edit]) -> list[Edit]:
    return edits


def _has_lifespan(constructor: ast.Call) -> bool:
    value = keyword_value(constructor, "lifespan")
    return value is not None and not (isinstance(value, ast.Constant) and value.value is None)


def _is_method_receiver(parameter: ast.AST, function: ast.AST, parent: Optional[Scope]) -> bool:
    """The first parameter of a function defined directly in a class body (`self`, `cls`)."""
    if parent is None or not isinstance(parent.node, ast.ClassDef):
        return False
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    positional = [*function.args.posonlyargs, *function.args.args]
    return bool(positional) and positional[0] is parameter
