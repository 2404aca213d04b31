"""FAP411 cors-middleware-order: `CORSMiddleware` added before another middleware, which then wraps it."""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from ..engine.fastapi_model import APP_CLASSES, keyword_value
from ..engine.names import BindingKind, SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity
from .cors_wildcard_credentials import is_cors_registration

_PASS_THROUGH = frozenset(
    {"fastapi.middleware.gzip.GZipMiddleware", "starlette.middleware.gzip.GZipMiddleware"}
)
_APPLICATIONS = APP_CLASSES | {"starlette.applications.Starlette", "starlette.Starlette"}

_H = (
    "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n"
    "from app.auth import AuthMiddleware\napp = FastAPI()\n"
)
_CORS = "app.add_middleware(CORSMiddleware, allow_origins=['https://a.example'])\n"


class CorsMiddlewareOrder(Rule):
    """
    ## What it does
    Flags `app.add_middleware(CORSMiddleware, ...)` when a later `add_middleware(...)` or
    `@app.middleware("http")` on the same app (same object, same scope) follows it, and a
    `middleware=[...]` list given to `FastAPI(...)` where `CORSMiddleware` is not first. The diagnostic
    names the middleware that ends up outside it. `GZipMiddleware` is left out: it only compresses the
    responses passing through it and never answers on its own.

    ## Why is this bad?
    Each `add_middleware` wraps everything added before it, so the middleware added last runs first. When
    an authentication, rate-limiting or host-checking middleware sits outside `CORSMiddleware`, the 401, 429
    and 400 responses it produces, and the preflight `OPTIONS` requests it rejects, never pass through CORS:
    they carry no `Access-Control-Allow-Origin` header and the browser reports an opaque CORS failure instead
    of the real status. Add `CORSMiddleware` last (or list it first) so it is the outermost layer.

    ## Example
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    app = FastAPI()
    app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"])
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=["api.example.com"])
    ```

    Use instead:
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    app = FastAPI()
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=["api.example.com"])
    app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"])
    ```
    """

    code = "FAP411"
    name = "cors-middleware-order"
    message = "`CORSMiddleware` is wrapped by `{later}`: responses from `{later}` get no CORS headers"
    severity = Severity.WARNING
    node_types = (ast.Call,)
    trigger_words = ("CORSMiddleware",)

    VALID = (
        Valid(_H + "app.add_middleware(AuthMiddleware)\n" + _CORS),
        Valid(_H + _CORS),
        Valid(_H + _CORS + "from fastapi.middleware.gzip import GZipMiddleware\napp.add_middleware(GZipMiddleware)\n"),
        Valid(_H + "other = FastAPI()\n" + _CORS + "other.add_middleware(AuthMiddleware)\n"),
        Valid(_H + "def setup_cors(app):\n    app.add_middleware(CORSMiddleware)\n"
              "def setup_auth(app):\n    app.add_middleware(AuthMiddleware)\n"),
        Valid(_H + _CORS + "app = FastAPI()\napp.add_middleware(AuthMiddleware)\n"),
        Valid("from fastapi import FastAPI\nfrom starlette.middleware import Middleware\n"
              "from fastapi.middleware.cors import CORSMiddleware\nfrom app.auth import AuthMiddleware\n"
              "app = FastAPI(middleware=[Middleware(CORSMiddleware), Middleware(AuthMiddleware)])\n"),
        Valid(_H + "class Bus:\n    def add_middleware(self, m): ...\nbus = Bus()\nbus.add_middleware(CORSMiddleware)\n"
              "app.add_middleware(AuthMiddleware)\n"),
        Valid(_H + "from app.cors import CORSMiddleware as Local\n"
              "app.add_middleware(Local)\napp.add_middleware(AuthMiddleware)\n"),
        Valid(_H + "@app.middleware('http')\nasync def timing(request, call_next):\n    return await call_next(request)\n"
              + _CORS),
    )
    INVALID = (
        Invalid(_H + _CORS + "app.add_middleware(AuthMiddleware)\n"),
        Invalid(_H + _CORS + "@app.middleware('http')\nasync def timing(request, call_next):\n"
                "    return await call_next(request)\n"),
        Invalid("import fastapi\nfrom starlette.middleware.cors import CORSMiddleware as Cors\n"
                "from starlette.middleware.trustedhost import TrustedHostMiddleware\n"
                "def create_app():\n    application = fastapi.FastAPI()\n    application.add_middleware(Cors)\n"
                "    application.add_middleware(TrustedHostMiddleware, allowed_hosts=['a'])\n    return application\n"),
        Invalid("from fastapi import FastAPI\nfrom starlette.middleware import Middleware\n"
                "from fastapi.middleware.cors import CORSMiddleware\nfrom app.auth import AuthMiddleware\n"
                "app = FastAPI(middleware=[Middleware(AuthMiddleware), Middleware(CORSMiddleware)])\n"),
        Invalid("from fastapi import FastAPI\nfrom starlette.middleware import Middleware\n"
                "from fastapi.middleware.cors import CORSMiddleware\nfrom app.auth import AuthMiddleware\n"
                "app = FastAPI(middleware=[Middleware(CORSMiddleware)])\napp.add_middleware(AuthMiddleware)\n"),
        Invalid(_H + "if True:\n    " + _CORS + "app.add_middleware(AuthMiddleware)\n"),
        Invalid("import fastapi.middleware.cors as cors\nfrom fastapi import FastAPI\nfrom app.limits import Limiter\n"
                "def install(app: FastAPI) -> None:\n    app.add_middleware(cors.CORSMiddleware, allow_origins=['*'])\n"
                "    app.add_middleware(Limiter)\n"),
        Invalid(_H + _CORS + "from fastapi.middleware.gzip import GZipMiddleware\napp.add_middleware(GZipMiddleware)\n"
                "app.add_middleware(AuthMiddleware)\napp.add_middleware(AuthMiddleware)\n"),
        Invalid(_H + "class Server:\n    def __init__(self):\n        self.app = FastAPI()\n"
                "        self.app.add_middleware(CORSMiddleware)\n        self.app.add_middleware(AuthMiddleware)\n"),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        if _is_add_middleware(node) and is_cors_registration(node, ctx.names):
            receiver = node.func.value  # type: ignore[attr-defined]
            later = next(_later_registrations(receiver, node, ctx.names), None)
            if later is not None:
                ctx.report(node, later=later)
        elif ctx.qualified_name(node.func) in _APPLICATIONS:
            self._check_constructor(node, ctx)

    def _check_constructor(self, node: ast.Call, ctx: RuleContext) -> None:
        listed = keyword_value(node, "middleware")
        if not isinstance(listed, (ast.List, ast.Tuple)):
            return
        entries = [e for e in listed.elts if isinstance(e, ast.Call)]
        for index, entry in enumerate(entries):
            if not is_cors_registration(entry, ctx.names):
                continue
            outer = [e for e in entries[:index] if not _passes_through(e, ctx.names)]
            if outer:
                ctx.report(entry, later=_middleware_label(outer[-1], ctx))
                return
            app_name = _assigned_name(node, ctx.names)
            if app_name is not None:
                later = next(_later_registrations(app_name, node, ctx.names), None)
                if later is not None:
                    ctx.report(entry, later=later)
            return


def _is_add_middleware(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "add_middleware"


def _passes_through(call: ast.Call, names: SymbolTable) -> bool:
    return bool(call.args) and names.qualified_name(call.args[0]) in _PASS_THROUGH


def _middleware_label(call: ast.Call, ctx: RuleContext) -> str:
    return ctx.document.node_text(call.args[0]) if call.args else ctx.document.node_text(call.func)


def _assigned_name(constructor: ast.Call, names: SymbolTable) -> Optional[ast.Name]:
    """The name an app constructor call is assigned to (`app = FastAPI(...)`), found from its statement."""
    for node, _scope in names.visit_order:
        if isinstance(node, ast.Assign) and node.value is constructor and len(node.targets) == 1:
            target = node.targets[0]
            return target if isinstance(target, ast.Name) else None
    return None


def _same_object(first: ast.expr, second: ast.expr, names: SymbolTable) -> bool:
    """Both expressions name one object: the same binding for names, the same text in one scope otherwise."""
    if isinstance(first, ast.Name) and isinstance(second, ast.Name):
        if first.id != second.id or names.scope_of(first) is not names.scope_of(second):
            return False
        binding = names.binding_of(second)
        if binding is None:
            return names.binding_of(first) is None
        return binding.kind is BindingKind.ASSIGNMENT and binding.node is first or binding is names.binding_of(first)
    return ast.dump(first) == ast.dump(second) and _root_scope(first, names) is _root_scope(second, names)


def _root_scope(node: ast.expr, names: SymbolTable) -> object:
    root = next((n for n in ast.walk(node) if isinstance(n, ast.Name)), None)
    return names.scope_of(root) if root is not None else None


def _later_registrations(receiver: ast.expr, anchor: ast.AST, names: SymbolTable) -> Iterator[str]:
    """Middleware registered on the same object after `anchor`: labels of `add_middleware(X)` and `@middleware`."""
    start = (anchor.lineno, anchor.col_offset)  # type: ignore[attr-defined]
    for node, _scope in names.visit_order:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if (node.lineno, node.col_offset) <= start or node.func.attr not in ("add_middleware", "middleware"):
            continue
        if not _same_object(receiver, node.func.value, names):
            continue
        if node.func.attr == "add_middleware" and node.args and not _passes_through(node, names):
            yield _source(node.args[0])
        elif node.func.attr == "middleware" and node.args and isinstance(node.args[0], ast.Constant):
            yield f"{_source(node.func)}({node.args[0].value!r})"


def _source(node: ast.expr) -> str:
    """Short text for a node in a message (normalised spacing and quotes)."""
    return ast.unparse(node)
