"""FAP203 missing-response-model: a path operation whose response shape is declared nowhere."""

from __future__ import annotations

import ast

from ..engine.blocking import own_body
from ..engine.fastapi_model import PathOperation
from ..engine.names import BindingKind, SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity
from ._router_chain import RouterChain

_I = "from fastapi import FastAPI\napp = FastAPI()\n"
_RESPONSE_MODULES = ("fastapi.responses.", "starlette.responses.", "fastapi.templating.", "sse_starlette.")


class MissingResponseModel(Rule):
    """
    ## What it does
    Flags a path operation that has no `response_model=`, no return annotation and no `response_class=`,
    and never returns a `Response` object itself. The diagnostic sits on the route decorator.

    Left alone: a handler that returns a response object (`JSONResponse(...)`, `RedirectResponse(...)`,
    `templates.TemplateResponse(...)`, any call or variable whose class name ends in `Response`), since it
    builds its own answer; a route whose router, app or `include_router(...)` call in the same file sets
    `default_response_class=`; a handler that returns no value at all (it only acts or raises: there is no
    shape to declare, and FAP202 covers deletions); websocket routes, webhooks and OpenAPI callbacks.

    ## Why is this bad?
    Without a declared response type FastAPI neither validates nor filters what the handler returns: an
    extra field (a password hash, an internal id) goes out as is, and the OpenAPI schema shows an empty
    response, so generated clients get no types. A return annotation (or `response_model=`) fixes all three.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/health")
    def health():
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
    """

    code = "FAP203"
    name = "missing-response-model"
    message = "Route `{route}` declares no response model: add a return annotation or `response_model=`"
    severity = Severity.WARNING
    node_types = (ast.Module,)
    trigger_words = ("fastapi",)

    VALID = (
        Valid(_I + "@app.get('/')\ndef root() -> dict[str, str]:\n    return {}\n"),
        Valid(_I + "@app.get('/', response_model=dict)\ndef root():\n    return {}\n"),
        Valid(_I + "@app.get('/', response_model=None)\ndef root():\n    return {}\n"),
        Valid(_I + "from fastapi.responses import HTMLResponse\n@app.get('/', response_class=HTMLResponse)\n"
              "def page():\n    return '<p>hi</p>'\n"),
        Valid(_I + "from fastapi.responses import JSONResponse as J\n@app.get('/')\ndef root(ok: bool):\n"
              "    if ok:\n        return {'a': 1}\n    return J({'a': 2}, status_code=404)\n"),
        Valid(_I + "import fastapi\n@app.get('/')\ndef root(response: fastapi.Response):\n"
              "    response.headers['x'] = '1'\n    return response\n"),
        Valid(_I + "from starlette.responses import RedirectResponse\n@app.get('/')\ndef root():\n"
              "    target = RedirectResponse('/docs')\n    return target\n"),
        Valid(_I + "from fastapi.templating import Jinja2Templates\ntemplates = Jinja2Templates('t')\n"
              "@app.get('/')\ndef page(request: object):\n    return templates.TemplateResponse(request, 'i.html')\n"),
        Valid(_I + "@app.websocket('/ws')\nasync def ws(socket: object):\n    await socket.accept()\n"),
        Valid("from fastapi import APIRouter\nfrom fastapi.responses import ORJSONResponse\n"
              "router = APIRouter(default_response_class=ORJSONResponse)\n@router.get('/')\ndef root():\n"
              "    return {}\n"),
        Valid(_I + "@app.get('/fail')\nasync def fail():\n    raise ValueError('no')\n@app.post('/run')\n"
              "def run():\n    print('started')\n    return None\n"),
        Valid("from fastapi import APIRouter, FastAPI\nfrom fastapi.responses import PlainTextResponse as P\n"
              "app = FastAPI()\nrouter = APIRouter()\n@router.get('/')\ndef text():\n    return 'hi'\n"
              "app.include_router(router, prefix='/t', default_response_class=P)\n"),
        Valid("from fastapi import APIRouter, FastAPI\nfrom fastapi.responses import HTMLResponse\n"
              "app = FastAPI(default_response_class=HTMLResponse)\nouter = APIRouter()\ninner = APIRouter()\n"
              "@inner.get('/')\ndef page():\n    return '<p/>'\n"
              "outer.include_router(inner)\napp.include_router(outer)\n"),
        Valid(_I + "@app.webhooks.post('new-order')\ndef new_order(order: dict):\n    return order\n"),
        Valid("class Bus:\n    def get(self, path): ...\nbus = Bus()\n@bus.get('/')\ndef root():\n    return {}\n"),
        Valid(_I + "KW = {'response_model': dict}\n@app.get('/', **KW)\ndef root():\n    return {}\n"),
        Valid(_I + "from starlette.responses import Response\nclass Csv(Response):\n    media_type = 'text/csv'\n"
              "@app.get('/export')\ndef export():\n    return Csv('a,b')\n"),
    )
    INVALID = (
        Invalid(_I + "@app.get('/')\ndef root():\n    return {'a': 1}\n"),
        Invalid(_I + "@app.post('/items', status_code=201)\nasync def create(item: dict):\n    return item\n"),
        Invalid("import fastapi as f\nrouter = f.APIRouter()\n@router.put('/items/{i}')\ndef put(i: int):\n"
                "    def JSONResponse():\n        return {}\n    return JSONResponse()\n"),
        Invalid(_I + "@app.get('/a')\n@app.get('/b')\ndef both():\n    return 1\n", count=2),
        Invalid(_I + "from fastapi.responses import JSONResponse\n@app.get('/')\ndef root():\n"
                "    def inner():\n        return JSONResponse({})\n    return inner()\n"),
        Invalid(_I + "@app.delete('/items/{i}', status_code=204)\ndef drop(i: int):\n    if i:\n        return None\n"
                "    return i\n"),
        Invalid("import fastapi\nfrom app.routes import router\n@router.get('/orders')\nasync def orders():\n"
                "    return []\n"),
        Invalid(_I + "class Items:\n    @app.api_route('/items', methods=['GET'])\n    def list(self):\n"
                "        return []\n"),
        Invalid(_I + "@app.get('/')\ndef root(response: dict):\n    return response\n"),
        Invalid("from fastapi import FastAPI\nfrom fastapi.responses import ORJSONResponse\n"
                "app = FastAPI()\nother = FastAPI(default_response_class=ORJSONResponse)\n"
                "@app.get('/')\ndef root():\n    return {}\n"),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        chain = RouterChain(ctx.model)
        for operation in ctx.model.path_operations:
            if operation.is_websocket or operation.is_documentation_only or operation.function.returns is not None:
                continue
            if operation.has_keyword("response_model") or operation.has_keyword("response_class"):
                continue
            if chain.inherited(operation, "default_response_class") or not _returns_data(operation, ctx.names):
                continue
            route = operation.path if operation.path is not None else ctx.document.node_text(operation.decorator)
            ctx.report(operation.decorator, route=route)


def _returns_data(operation: PathOperation, names: SymbolTable) -> bool:
    """True when the handler's own body returns a value and none of its returns is a response object."""
    values = [child.value for child, _ in own_body(operation.function)
              if isinstance(child, ast.Return) and child.value is not None]
    meaningful = [v for v in values if not (isinstance(v, ast.Constant) and v.value is None)]
    return bool(meaningful) and not any(_is_response(value, names) for value in values)


def _is_response(value: ast.expr, names: SymbolTable, depth: int = 0) -> bool:
    if isinstance(value, ast.Await):
        value = value.value
    if isinstance(value, ast.Call):
        return _is_response_class(value.func, names)
    if isinstance(value, ast.Name) and depth < 5:
        binding = names.binding_of(value)
        if binding is None:
            return False
        if binding.annotation is not None and _is_response_class(binding.annotation, names):
            return True
        if binding.kind is BindingKind.ASSIGNMENT and binding.value is not None:
            return _is_response(binding.value, names, depth + 1)
    return False


def _is_response_class(node: ast.expr, names: SymbolTable) -> bool:
    """A response class by qualified name, a class of this file built on one, or a name ending in `Response`."""
    if isinstance(node, ast.Subscript):
        node = node.value
    qualified = names.qualified_name(node) or ""
    if qualified == "fastapi.Response" or qualified.startswith(_RESPONSE_MODULES):
        return True
    if isinstance(node, ast.Name):
        binding = names.binding_of(node)
        if binding is not None and binding.kind is BindingKind.FUNCTION:
            return False
        if binding is not None and binding.kind is BindingKind.CLASS and isinstance(binding.node, ast.ClassDef):
            return any(_is_response_class(base, names) for base in binding.node.bases)
        return node.id.endswith("Response")
    if isinstance(node, ast.Attribute):
        return node.attr.endswith("Response")
    return False
