"""FAP601 asyncclient-app-argument: `httpx.AsyncClient(app=...)`, an argument httpx 0.28 removed."""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Severity

ASYNC_CLIENTS = frozenset({"httpx.AsyncClient", "httpx._client.AsyncClient"})
_TRANSPORT = "httpx.ASGITransport"
_T = "tests/test_api.py"


class AsyncclientAppArgument(Rule):
    """
    ## What it does
    Flags `httpx.AsyncClient(app=...)`, however `AsyncClient` is imported, in any file.

    ## Why is this bad?
    The `app=` shortcut was deprecated in httpx 0.27 and removed in 0.28: with a current httpx the client
    raises `TypeError: AsyncClient.__init__() got an unexpected keyword argument 'app'`, so every test using
    it fails. The supported spelling passes the application through a transport:
    `AsyncClient(transport=ASGITransport(app=app), base_url="http://test")`.

    ## Example
    ```python
    from httpx import AsyncClient

    from app.main import app


    async def test_health() -> None:
        async with AsyncClient(app=app, base_url="http://test") as client:
            response = await client.get("/health")
        assert response.status_code == 200
    ```

    Use instead:
    ```python
    from httpx import ASGITransport, AsyncClient

    from app.main import app


    async def test_health() -> None:
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
            response = await client.get("/health")
        assert response.status_code == 200
    ```

    ## Fix safety
    Safe: `app=X` becomes `transport=ASGITransport(app=X)`, which is exactly what httpx did with `app=`
    before it was removed. The other arguments, `base_url` included, are kept as they are, and no `base_url`
    is added when the call has none: the client then behaves as before (relative URLs need a `base_url` in
    both spellings). `ASGITransport` is imported the way `AsyncClient` is: `httpx.ASGITransport` after
    `import httpx`, a name added to `from httpx import ...` otherwise. No fix is offered when the call
    already passes `transport=` or a local name hides the one the fix would use.
    """

    code = "FAP601"
    name = "asyncclient-app-argument"
    message = "`AsyncClient(app=...)` was removed in httpx 0.28: pass `transport=ASGITransport(app=...)`"
    fix_title = "Use `transport=ASGITransport(app=...)`"
    fix_safety = FixSafety.SAFE
    severity = Severity.WARNING
    node_types = (ast.Call,)
    trigger_words = ("AsyncClient",)

    VALID = (
        Valid("from httpx import ASGITransport, AsyncClient\nfrom app.main import app\n"
              "client = AsyncClient(transport=ASGITransport(app=app), base_url='http://test')\n", path=_T),
        Valid("import httpx\nclient = httpx.AsyncClient(base_url='https://api.example')\n"),
        Valid("class AsyncClient:\n    def __init__(self, app): ...\nclient = AsyncClient(app=object())\n", path=_T),
        Valid("from myhttp import AsyncClient\nclient = AsyncClient(app=None)\n", path=_T),
        Valid("import httpx\ndef make(AsyncClient):\n    return AsyncClient(app=1)\n", path=_T),
        Valid("from httpx import AsyncClient\nfrom app.main import app\nclient = AsyncClient(app)\n", path=_T),
        Valid("import httpx\nclient = httpx.Client(app=object())\n", path=_T),
        Valid("from starlette.testclient import TestClient\nfrom app.main import app\nc = TestClient(app=app)\n"),
    )
    INVALID = (
        Invalid("from httpx import AsyncClient\nfrom app.main import app\n"
                "client = AsyncClient(app=app, base_url='http://test')\n",
                "from httpx import AsyncClient, ASGITransport\nfrom app.main import app\n"
                "client = AsyncClient(transport=ASGITransport(app=app), base_url='http://test')\n", path=_T),
        Invalid("import httpx\nfrom app.main import app\nasync def test_a():\n"
                "    async with httpx.AsyncClient(app=app, base_url='http://t') as c:\n        await c.get('/')\n",
                "import httpx\nfrom app.main import app\nasync def test_a():\n"
                "    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://t') as c:\n"
                "        await c.get('/')\n", path=_T),
        Invalid("import httpx as hx\nfrom app.main import app\nc = hx.AsyncClient(base_url='http://t', app=app)\n",
                "import httpx as hx\nfrom app.main import app\n"
                "c = hx.AsyncClient(base_url='http://t', transport=hx.ASGITransport(app=app))\n", path=_T),
        Invalid("from httpx import AsyncClient as AC\nfrom app.main import create_app\n"
                "c = AC(\n    app=create_app(),  # fresh app\n    base_url='http://t',\n)\n",
                "from httpx import AsyncClient as AC, ASGITransport\nfrom app.main import create_app\n"
                "c = AC(\n    transport=ASGITransport(app=create_app()),  # fresh app\n    base_url='http://t',\n)\n",
                path=_T),
        Invalid("from httpx import AsyncClient\nc = AsyncClient(app=object())\n",
                "from httpx import AsyncClient, ASGITransport\nc = AsyncClient(transport=ASGITransport(app=object()))\n",
                path=_T),
        Invalid("from httpx import (\n    AsyncClient,\n)\nfrom app.main import app\nc = AsyncClient(app=app)\n",
                "from httpx import (\n    AsyncClient,\n    ASGITransport,\n)\nfrom app.main import app\n"
                "c = AsyncClient(transport=ASGITransport(app=app))\n", path=_T),
        Invalid("from httpx import AsyncClient\nfrom app.main import app\nASGITransport = None\n"
                "c = AsyncClient(app=app)\n", path=_T),
        Invalid("import httpx\nfrom app.main import app\nt = httpx.MockTransport(print)\n"
                "c = httpx.AsyncClient(app=app, transport=t)\n", path=_T),
        Invalid("import httpx\nfrom app.main import app\nasync def test_a(httpx_mock):\n"
                "    a = httpx.AsyncClient(app=app)\n    b = httpx.AsyncClient(app=app)\n",
                "import httpx\nfrom app.main import app\nasync def test_a(httpx_mock):\n"
                "    a = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))\n"
                "    b = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))\n", count=2, path=_T),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        if ctx.qualified_name(node.func) not in ASYNC_CLIENTS:
            return
        app = next((k for k in node.keywords if k.arg == "app"), None)
        if app is None:
            return
        fixable = not any(k.arg in ("transport", None) for k in node.keywords)
        ctx.report(app, (lambda fixer: _fix(fixer, node, app)) if fixable else None)


def _fix(fixer: FixContext, call: ast.Call, app: ast.keyword) -> Optional[list[Edit]]:
    transport, edits = _transport_name(fixer, call)
    if transport is None:
        return None
    return [*edits, fixer.replace(app, f"transport={transport}(app={fixer.text(app.value)})")]


def _transport_name(fixer: FixContext, call: ast.Call) -> tuple[Optional[str], list[Edit]]:
    """`httpx.ASGITransport` spelled like the client (`hx.ASGITransport`), or an imported name."""
    names = fixer.names
    if names is None:
        return None, []
    func = call.func
    if isinstance(func, ast.Attribute) and names.qualified_name(func.value) == "httpx":
        return f"{fixer.text(func.value)}.ASGITransport", []
    existing = fixer.bound_name(_TRANSPORT)
    if existing is not None:
        return existing, []
    anchor = func
    while isinstance(anchor, ast.Attribute):
        anchor = anchor.value
    if "ASGITransport" in names.module_scope.bindings or not isinstance(anchor, ast.Name):
        return None, []
    if names.lookup("ASGITransport", names.scope_of(anchor), (call.lineno, call.col_offset)) is not None:
        return None, []  # a local name would hide the import
    return fixer.add_import("httpx", "ASGITransport")
