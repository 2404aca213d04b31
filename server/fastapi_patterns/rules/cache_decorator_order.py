"""FAP413 cache-decorator-order: a caching decorator above the route decorator, so the route is never cached."""

from __future__ import annotations

import ast
import functools
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.names import FunctionNode
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Position, Severity
from ._whole_lines import delete_lines, lines_text, own_lines

_H = "from fastapi import FastAPI\nfrom fastapi_cache.decorator import cache\napp = FastAPI()\n"
_BODY = "async def items():\n    return []\n"


class CacheDecoratorOrder(Rule):
    """
    ## What it does
    Flags a caching decorator written above a route decorator of the same function: by default
    `fastapi_cache.decorator.cache` (fastapi-cache2); the `cache-decorators` setting lists other
    qualified names. Names are resolved through imports, so `from fastapi_cache.decorator import cache as
    cached` is found and `functools.cache` is not.

    ## Why is this bad?
    Decorators apply from the bottom up. The route decorator registers whatever function it receives and
    returns it unchanged; a caching decorator above it wraps the function only *after* FastAPI has stored
    the plain one. Requests therefore never go through the cache, silently: nothing fails, the endpoint is
    just as slow and the backend as loaded as before. The caching decorator must sit below the route
    decorator, directly on the function.

    ## Example
    ```python
    from fastapi import FastAPI
    from fastapi_cache.decorator import cache

    from app.catalog import fetch_items

    app = FastAPI()


    @cache(expire=60)
    @app.get("/items", summary="List every item name")
    async def list_items() -> list[str]:
        return await fetch_items()
    ```

    Use instead:
    ```python
    from fastapi import FastAPI
    from fastapi_cache.decorator import cache

    from app.catalog import fetch_items

    app = FastAPI()


    @app.get("/items", summary="List every item name")
    @cache(expire=60)
    async def list_items() -> list[str]:
        return await fetch_items()
    ```

    ## Fix safety
    Safe: the caching decorator moves, with its arguments and its trailing comment, to the line below the
    lowest route decorator, which is the order the decorator was written for. Several caching decorators
    move together and keep their order.
    """

    code = "FAP413"
    name = "cache-decorator-order"
    message = "`@{cache}` stands above the route decorator `@{route}`: the route registers the uncached function"
    fix_title = "Move the caching decorator below the route decorator"
    fix_safety = FixSafety.SAFE
    severity = Severity.ERROR
    node_types = (ast.FunctionDef, ast.AsyncFunctionDef)

    VALID = (
        Valid(_H + "@app.get('/items')\n@cache(expire=60)\n" + _BODY),
        Valid(_H + "@cache(expire=60)\n" + _BODY),
        Valid("from functools import cache\nfrom fastapi import FastAPI\napp = FastAPI()\n@cache\n@app.get('/items')\n" + _BODY),
        Valid("from functools import lru_cache\nfrom fastapi import FastAPI\napp = FastAPI()\n"
              "@lru_cache\n@app.get('/items')\n" + _BODY),
        Valid(_H + "def wrap(cache):\n    @cache\n    @app.get('/items')\n    async def items():\n        return []\n"
              "    return items\n"),
        Valid("from flask import Flask\nfrom fastapi_cache.decorator import cache\napp = Flask(__name__)\n"
              "@cache()\n@app.get('/items')\n" + _BODY),
        Valid(_H + "@app.get('/items')\n@cache\n" + _BODY),
        Valid("from fastapi import FastAPI\nfrom app.caching import cached\napp = FastAPI()\n"
              "@cached\n@app.get('/items')\n" + _BODY),
        Valid(_H + "@app.get('/items')\n@cache(expire=60)\n@app.get('/things')\n" + _BODY,
              config={"cache-decorators": ["app.caching.cached"]}),
        Valid("from fastapi import FastAPI\napp = FastAPI()\ndef cache(expire):\n    return lambda f: f\n"
              "@cache(expire=1)\n@app.get('/items')\n" + _BODY),
        Valid(_H + "@cache(expire=60)\n@app.middleware('http')\nasync def m(request, call_next):\n"
              "    return await call_next(request)\n"),
    )
    INVALID = (
        Invalid(_H + "@cache(expire=60)\n@app.get('/items')\n" + _BODY,
                _H + "@app.get('/items')\n@cache(expire=60)\n" + _BODY),
        Invalid(_H + "@cache\n@app.get('/items')\n" + _BODY, _H + "@app.get('/items')\n@cache\n" + _BODY),
        Invalid("import fastapi\nimport fastapi_cache.decorator as fc\nrouter = fastapi.APIRouter()\n"
                "@fc.cache(\n    expire=60,\n    namespace='items',\n)  # one minute\n@router.get(\n    '/items',\n"
                "    response_model=list[str],\n)\n" + _BODY,
                "import fastapi\nimport fastapi_cache.decorator as fc\nrouter = fastapi.APIRouter()\n"
                "@router.get(\n    '/items',\n    response_model=list[str],\n)\n@fc.cache(\n    expire=60,\n"
                "    namespace='items',\n)  # one minute\n" + _BODY),
        Invalid("from fastapi import APIRouter\nfrom fastapi_cache.decorator import cache as cached\n"
                "router = APIRouter()\nclass Views:\n    @cached(expire=5)\n    # listing\n    @router.get('/a')\n"
                "    @router.get('/b')\n    def items(self):\n        return []\n",
                "from fastapi import APIRouter\nfrom fastapi_cache.decorator import cache as cached\n"
                "router = APIRouter()\nclass Views:\n    # listing\n    @router.get('/a')\n"
                "    @router.get('/b')\n    @cached(expire=5)\n    def items(self):\n        return []\n"),
        Invalid("from fastapi import FastAPI\nfrom app.caching import cached\napp = FastAPI()\n"
                "@cached\n@app.get('/items')\n" + _BODY,
                "from fastapi import FastAPI\nfrom app.caching import cached\napp = FastAPI()\n"
                "@app.get('/items')\n@cached\n" + _BODY, config={"cache-decorators": ["app.caching.cached"]}),
        Invalid(_H + "@app.get('/items')\n@cache()\n@app.get('/things')\n" + _BODY,
                _H + "@app.get('/items')\n@app.get('/things')\n@cache()\n" + _BODY),
        Invalid("from fastapi_cache.decorator import cache\nfrom app.api import router\nimport fastapi\n"
                "@cache(expire=1)\n@router.get('/items')\n" + _BODY,
                "from fastapi_cache.decorator import cache\nfrom app.api import router\nimport fastapi\n"
                "@router.get('/items')\n@cache(expire=1)\n" + _BODY),
        Invalid(_H + "@cache(expire=60)\n@app.get('/items', response_model=(\n    list[str]))\n" + _BODY,
                _H + "@app.get('/items', response_model=(\n    list[str]))\n@cache(expire=60)\n" + _BODY),
        Invalid(_H + "@cache(expire=60)\n@cache(namespace='x')\n@app.get('/items')\n" + _BODY,
                _H + "@app.get('/items')\n@cache(expire=60)\n@cache(namespace='x')\n" + _BODY, count=2),
    )

    def visit(self, node: FunctionNode, ctx: RuleContext) -> None:
        operations = ctx.model.operations_of(node)
        if not operations:
            return
        route_decorators = {id(operation.decorator) for operation in operations}
        positions = [i for i, d in enumerate(node.decorator_list) if id(d) in route_decorators]
        lowest_route = node.decorator_list[positions[-1]]
        configured = set(ctx.config.cache_decorators)
        misplaced = [
            (index, decorator) for index, decorator in enumerate(node.decorator_list[: positions[-1]])
            if ctx.qualified_name(decorator.func if isinstance(decorator, ast.Call) else decorator) in configured
        ]
        fix = functools.partial(_move_below, decorators=[d for _, d in misplaced], route=lowest_route)
        for index, decorator in misplaced:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            route = next(node.decorator_list[i] for i in positions if i > index)
            ctx.report(decorator, fix, cache=ctx.document.node_text(target), route=_route_label(ctx, route))


def _route_label(ctx: RuleContext, route: ast.expr) -> str:
    callee = route.func if isinstance(route, ast.Call) else route
    return f"{ctx.document.node_text(callee)}(...)"


def _move_below(fixer: FixContext, decorators: list[ast.expr], route: ast.expr) -> Optional[list[Edit]]:
    """Cut the caching decorators' whole lines and paste them, in their order, under the route decorator."""
    anchor = own_lines(fixer, route, "@")
    if anchor is None:
        return None
    edits: list[Edit] = []
    pasted = ""
    for decorator in decorators:
        moved = own_lines(fixer, decorator, "@")
        if moved is None:
            return None
        pasted += lines_text(fixer, *moved)
        edits.append(delete_lines(fixer, *moved))
    return [*edits, fixer.insert(Position(anchor[1] + 1, 0), pasted)]
