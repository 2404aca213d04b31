"""FAP214 route-path-without-leading-slash: `@router.get("items")` compiles to a route that never matches."""

from __future__ import annotations

import ast
import functools
import re

from ..engine.fixes import FixContext
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Position, Severity

_HEADER = "from fastapi import APIRouter, FastAPI\napp = FastAPI()\nrouter = APIRouter(prefix='/users')\n"
_OPENING_QUOTE = re.compile(r"""^[A-Za-z]*('''|\"\"\"|'|")""")


class RoutePathWithoutLeadingSlash(Rule):
    """
    ## What it does
    Flags a route path literal that is not empty and does not start with `/`, such as
    `@router.get("items")`.

    Routes that only describe an API for OpenAPI are left alone: webhooks (`@app.webhooks.post("new-order")`,
    whose path is the webhook's name) and callbacks (`"{$callback_url}/events"`, an OpenAPI runtime
    expression). The app never serves them, so their paths follow other conventions.

    ## Why is this bad?
    Starlette compiles the path as written: `"items"` becomes the pattern `^items$`, which no request path
    (they all start with `/`) can match, so the route answers 404. Under `APIRouter(prefix="/users")` the
    path `"me"` is glued to the prefix and becomes `/usersme`. An empty path is fine: it means the prefix
    itself.

    ## Example
    ```python
    from fastapi import APIRouter

    router = APIRouter(prefix="/users")


    @router.get("me")
    def read_me() -> dict[str, str]:
        return {"name": "me"}
    ```

    Use instead:
    ```python
    from fastapi import APIRouter

    router = APIRouter(prefix="/users")


    @router.get("/me")
    def read_me() -> dict[str, str]:
        return {"name": "me"}
    ```

    ## Fix safety
    Safe: the route could not be reached before; adding the slash gives it the path that was meant.
    """

    code = "FAP214"
    name = "route-path-without-leading-slash"
    message = "Route path `{path}` does not start with `/`, so the route can never match"
    fix_title = "Prefix the path with `/`"
    fix_safety = FixSafety.SAFE
    severity = Severity.ERROR
    node_types = (ast.Module,)
    trigger_words = ("fastapi",)

    VALID = (
        Valid(_HEADER + "@router.get('/me')\ndef me(): ...\n"),
        Valid(_HEADER + "@router.get('')\ndef root(): ...\n"),
        Valid(_HEADER + "@router.get(path='/x/{id}')\ndef x(id: int): ...\n"),
        Valid("from flask import Flask\nimport fastapi\napp = Flask(__name__)\n@app.get('items')\ndef f(): ...\n"),
        Valid("import fastapi\nclass Registry:\n    def get(self, key): ...\nregistry = Registry()\n"
              "@registry.get('items')\ndef f(): ...\n"),
        Valid("from cachetools import Cache\ncache = {}\n@cache.get('items')\ndef f(): ...\n"),
        Valid(_HEADER + "PREFIX = 'items'\n@router.get(PREFIX)\ndef f(): ...\n"),
        Valid("import fastapi as f\napi = f.FastAPI()\n@api.webhooks.post('new-subscription')\ndef hook(): ...\n"),
        Valid(_HEADER + "callbacks = APIRouter()\n@callbacks.post('{$callback_url}/invoices/{$request.body.id}')\n"
              "def notify(): ...\n@router.post('/invoices', callbacks=callbacks.routes)\ndef create(): ...\n"),
    )
    INVALID = (
        Invalid(_HEADER + "@router.get('me')\ndef me(): ...\n", _HEADER + "@router.get('/me')\ndef me(): ...\n"),
        Invalid(
            "import fastapi as f\nr = f.APIRouter()\n@r.post(path=\"items\")\nasync def create(): ...\n",
            "import fastapi as f\nr = f.APIRouter()\n@r.post(path=\"/items\")\nasync def create(): ...\n",
        ),
        Invalid(
            "from fastapi import FastAPI\nfrom app.routes import router\n@router.websocket(r'ws')\nasync def ws(): ...\n",
            "from fastapi import FastAPI\nfrom app.routes import router\n@router.websocket(r'/ws')\nasync def ws(): ...\n",
        ),
        Invalid(
            _HEADER + "@app.api_route('items/{id}', methods=['GET', 'PUT'])\ndef item(id: int): ...\n",
            _HEADER + "@app.api_route('/items/{id}', methods=['GET', 'PUT'])\ndef item(id: int): ...\n",
        ),
        Invalid(
            _HEADER + "@router.get('a')\n@router.get('b')\ndef both(): ...\n",
            _HEADER + "@router.get('/a')\n@router.get('/b')\ndef both(): ...\n",
            count=2,
        ),
        Invalid(
            "from fastapi import APIRouter as R\nclass V1(R): ...\nv1 = V1()\n@v1.delete('x')\ndef d(): ...\n",
            "from fastapi import APIRouter as R\nclass V1(R): ...\nv1 = V1()\n@v1.delete('/x')\ndef d(): ...\n",
        ),
        Invalid(
            _HEADER + "@router.get('{user_id}')\ndef one(user_id: int): ...\n",
            _HEADER + "@router.get('/{user_id}')\ndef one(user_id: int): ...\n",
        ),
        Invalid(
            _HEADER + "@app.webhooks.post('new-order')\ndef hook(): ...\n@app.post('orders')\ndef create(): ...\n",
            _HEADER + "@app.webhooks.post('new-order')\ndef hook(): ...\n@app.post('/orders')\ndef create(): ...\n",
        ),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        for operation in ctx.model.path_operations:
            path, path_node = operation.path, operation.path_node
            if operation.is_documentation_only:
                continue
            if path and path_node is not None and not path.startswith("/"):
                ctx.report(path_node, functools.partial(_fix, node=path_node), path=path)


def _fix(fixer: FixContext, node: ast.expr) -> list[Edit]:
    text = fixer.text(node)
    match = _OPENING_QUOTE.match(text)
    if match is None:
        return []
    start = fixer.span(node).start
    if "\n" in text[: match.end()]:  # pragma: no cover - a quote never spans lines
        return []
    return [fixer.insert(Position(start.line, start.column + match.end()), "/")]
