"""FAP209 undocumented-http-exception: a handler raises an `HTTPException` whose code its route never declares."""

from __future__ import annotations

import ast
import functools
from typing import Optional

from ..engine.blocking import own_body
from ..engine.fastapi_model import PathOperation, keyword_value, literal_string
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import FixSafety, Severity
from ._declared_responses import DeclaredCodes, can_document, declared_codes, document_code
from ._inherited_responses import inherited_codes
from ._router_chain import RouterChain
from ._status_codes import HTTP_EXCEPTIONS, http_exception_code, reason_phrase, status_code_of

_H = "from fastapi import FastAPI, HTTPException, status\napp = FastAPI()\n"
_NF = "{status.HTTP_404_NOT_FOUND: {\"description\": \"Not Found\"}}"
_R = "from fastapi import APIRouter, HTTPException\nrouter = APIRouter()\n"
_RAISES = _R + "@router.get('/{item_id}')\ndef read(item_id: int) -> None:\n    raise HTTPException(404, 'Gone')\n"
_UNPROCESSABLE = 422  # FastAPI documents it itself for any route that reads parameters


class UndocumentedHttpException(Rule):
    """
    ## What it does
    Flags a `raise HTTPException(...)` in a path operation's own body whose status code (an int literal or a
    `status.HTTP_*` constant, positional or `status_code=`) is not declared in `responses=` of the route
    decorator, of its router (`APIRouter(responses=...)`), of an `include_router(..., responses=...)` that
    mounts it or of the app (`FastAPI(responses=...)`), wherever in the project those are written (the include
    chain is followed across modules). Keys may be
    int literals, `status` constants, numeric strings, ranges such as `"4XX"`, or `"default"`. The
    diagnostic sits on the `raise`.

    Left alone: raises in nested functions and in dependencies, codes held in variables, `422` in a route
    that has parameters (FastAPI documents it already), routes whose `responses=` (here or on an include in
    another module) cannot be read statically, routes on a router imported from another module, and routes
    kept out of the schema with
    `include_in_schema=False` (on the route, its router or the include).

    ## Why is this bad?
    The OpenAPI schema lists only the responses the route declares. An error the handler raises but never
    declares is invisible to the people and the generated clients that read the docs: they cannot tell a
    404 from a bug, and nobody writes the code that handles it.

    ## Example
    ```python
    from fastapi import FastAPI, HTTPException

    app = FastAPI()
    items = {"a": "apple"}


    @app.get("/items/{key}")
    def read_item(key: str) -> str:
        if key not in items:
            raise HTTPException(status_code=404, detail="Item not found")
        return items[key]
    ```

    Use instead:
    ```python
    from fastapi import FastAPI, HTTPException, status

    app = FastAPI()
    items = {"a": "apple"}


    @app.get("/items/{key}", responses={status.HTTP_404_NOT_FOUND: {"description": "Item not found"}})
    def read_item(key: str) -> str:
        if key not in items:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Item not found")
        return items[key]
    ```

    ## Fix safety
    Safe: only the OpenAPI description changes. The fix adds `responses={code: {"description": "..."}}` to
    the decorator, or a new entry to its `responses={...}` literal, with the exception's literal `detail`
    as the description (the standard reason phrase otherwise) and the key written as the raise writes the
    code. No fix is offered when the decorator's `responses=` is not a dict literal.
    """

    code = "FAP209"
    name = "undocumented-http-exception"
    message = "`HTTPException` with status {status} is not declared in the route's `responses=`"
    fix_title = "Declare the status code in `responses=`"
    fix_safety = FixSafety.SAFE
    severity = Severity.INFORMATION
    node_types = (ast.Module,)
    trigger_words = ("HTTPException",)

    VALID = (
        Valid(_H + f"@app.get('/', responses={_NF})\ndef one() -> None:\n    raise HTTPException(404)\n"),
        Valid(_H + "@app.get('/', responses={'404': {}, '5XX': {}})\ndef one() -> None:\n"
              "    raise HTTPException(404)\n    raise HTTPException(503)\n"),
        Valid(_H + "@app.get('/', responses={'default': {}})\ndef one() -> None:\n    raise HTTPException(409)\n"),
        Valid("from fastapi import APIRouter, FastAPI, HTTPException\napp = FastAPI(responses={401: {}})\n"
              "router = APIRouter(responses={403: {}})\nouter = APIRouter()\n@router.get('/')\ndef one() -> None:\n"
              "    raise HTTPException(401)\n    raise HTTPException(403)\n    raise HTTPException(404)\n"
              "outer.include_router(router, responses={404: {}})\napp.include_router(outer)\n"),
        Valid(_H + "COMMON = {404: {}}\n@app.get('/', responses={**COMMON, 409: {}})\ndef one() -> None:\n"
              "    raise HTTPException(404)\n"),
        Valid(_H + "from app.docs import COMMON\n@app.get('/', responses=COMMON)\ndef one() -> None:\n"
              "    raise HTTPException(404)\n"),
        Valid(_H + "@app.get('/')\ndef one(code: int) -> None:\n    raise HTTPException(code)\n"),
        Valid(_H + "@app.get('/')\ndef one(q: str) -> None:\n    raise HTTPException(422)\n"),
        Valid(_H + "@app.get('/')\ndef one() -> None:\n    def inner():\n        raise HTTPException(404)\n"),
        Valid(_H + "def dependency() -> None:\n    raise HTTPException(401)\n"),
        Valid("import fastapi\nfrom app.routes import router\n@router.get('/')\ndef one() -> None:\n"
              "    raise fastapi.HTTPException(404)\n"),
        Valid("from fastapi import FastAPI\napp = FastAPI()\nclass HTTPException(Exception): ...\n"
              "@app.get('/')\ndef one() -> None:\n    raise HTTPException(404)\n"),
        Valid("from fastapi import APIRouter, HTTPException\nui = APIRouter(include_in_schema=False)\n"
              "@ui.get('/{rest:path}')\ndef index(rest: str) -> str:\n    raise HTTPException(404)\n"
              "@ui.get('/other', include_in_schema=False)\ndef other() -> str:\n    raise HTTPException(404)\n"),
        Valid(_H + "OPTIONS = {'responses': {404: {}}}\n@app.get('/', **OPTIONS)\ndef one() -> None:\n"
              "    raise HTTPException(404)\n"),
        Valid(_RAISES, path="app/items.py",
              files={"app/main.py": "from fastapi import FastAPI\nfrom app import items\napp = FastAPI()\n"
                                   "app.include_router(items.router, responses={404: {'description': 'No'}})\n"}),
        Valid(_RAISES, path="app/items.py",
              files={"app/main.py": "from fastapi import FastAPI\nfrom app import items\n"
                                   "app = FastAPI(responses={'4XX': {'description': 'Client error'}})\n"
                                   "app.include_router(items.router)\n"}),
        Valid(_RAISES, path="app/items.py",
              files={"app/main.py": "from fastapi import FastAPI\nfrom app import items\nfrom app.docs import COMMON\n"
                                   "app = FastAPI()\napp.include_router(items.router, responses=COMMON)\n"}),
    )
    INVALID = (
        Invalid(_RAISES, _RAISES.replace("@router.get('/{item_id}')",
                                         "@router.get('/{item_id}', responses={404: {\"description\": \"Gone\"}})"),
                path="app/items.py",
                files={"app/main.py": "from fastapi import FastAPI\nfrom app import items\napp = FastAPI()\n"
                                     "app.include_router(items.router, responses={401: {'description': 'Who?'}})\n"}),
        Invalid(_H + "@app.get('/')\ndef one() -> None:\n    raise HTTPException(status.HTTP_404_NOT_FOUND)\n",
                _H + f"@app.get('/', responses={_NF})\ndef one() -> None:\n"
                "    raise HTTPException(status.HTTP_404_NOT_FOUND)\n"),
        Invalid(_H + "@app.get('/', responses={401: {'description': 'Who?'}})\ndef one() -> None:\n"
                "    raise HTTPException(status_code=409, detail='Already there')\n",
                _H + "@app.get('/', responses={401: {'description': 'Who?'}, "
                "409: {\"description\": \"Already there\"}})"
                "\ndef one() -> None:\n    raise HTTPException(status_code=409, detail='Already there')\n"),
        Invalid(_H + "@app.get(\n    '/',\n    responses={\n        401: {'description': 'Who?'},\n    },\n)\n"
                "def one() -> None:\n    raise HTTPException(404)\n",
                _H + "@app.get(\n    '/',\n    responses={\n        401: {'description': 'Who?'},\n"
                "        404: {\"description\": \"Not Found\"},\n    },\n)\ndef one() -> None:\n"
                "    raise HTTPException(404)\n"),
        Invalid(_H + "@app.post('/', status_code=201)\nasync def add(ok: bool) -> None:\n    if ok:\n"
                "        raise HTTPException(409, 'Exists')\n    raise HTTPException(403)\n",
                _H + "@app.post('/', status_code=201, responses={409: {\"description\": \"Exists\"}, "
                "403: {\"description\": \"Forbidden\"}})\nasync def add(ok: bool) -> None:\n    if ok:\n"
                "        raise HTTPException(409, 'Exists')\n    raise HTTPException(403)\n", count=2),
        Invalid("import fastapi as f\nrouter = f.APIRouter(responses={401: {}})\n@router.get('/{i}')\n"
                "def one(i: int) -> int:\n    if i:\n        raise f.HTTPException(404, detail='Gone: \"x\"')\n"
                "    return i\n",
                "import fastapi as f\nrouter = f.APIRouter(responses={401: {}})\n"
                "@router.get('/{i}', responses={404: {\"description\": 'Gone: \"x\"'}})\n"
                "def one(i: int) -> int:\n    if i:\n        raise f.HTTPException(404, detail='Gone: \"x\"')\n"
                "    return i\n"),
        Invalid(_H + "@app.get('/', responses=None)\ndef one() -> None:\n    raise HTTPException(500)\n"),
        Invalid(_H + "@app.get('/')\ndef one() -> None:\n    raise HTTPException(status_code=499)\n"),
        Invalid(_H + "@app.get('/')\ndef one() -> None:\n    raise HTTPException(422)\n",
                _H + "@app.get('/', responses={422: {\"description\": \"Unprocessable Content\"}})\n"
                "def one() -> None:\n    raise HTTPException(422)\n"),
        Invalid(_H + "@app.get('/a')\n@app.get('/b', responses={404: {}})\ndef one() -> None:\n"
                "    raise HTTPException(404, detail='Nope')\n",
                _H + "@app.get('/a', responses={404: {\"description\": \"Nope\"}})\n@app.get('/b', responses={404: {}})"
                "\ndef one() -> None:\n    raise HTTPException(404, detail='Nope')\n"),
        Invalid("from fastapi import FastAPI, HTTPException\nfrom fastapi.status import HTTP_403_FORBIDDEN as NO\n"
                "app = FastAPI()\nclass Views:\n    @app.delete('/x', status_code=204)\n    def drop(self) -> None:\n"
                "        raise HTTPException(status_code=NO)\n",
                "from fastapi import FastAPI, HTTPException\nfrom fastapi.status import HTTP_403_FORBIDDEN as NO\n"
                "app = FastAPI()\nclass Views:\n    @app.delete('/x', status_code=204, responses={NO: "
                "{\"description\": \"Forbidden\"}})\n    def drop(self) -> None:\n"
                "        raise HTTPException(status_code=NO)\n"),
        Invalid(_H + "@app.get('/')\ndef one() -> None:\n    from fastapi import status as s\n"
                "    raise HTTPException(s.HTTP_410_GONE)\n",
                _H + "@app.get('/', responses={410: {\"description\": \"Gone\"}})\ndef one() -> None:\n"
                "    from fastapi import status as s\n    raise HTTPException(s.HTTP_410_GONE)\n"),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        chain = RouterChain(ctx.model)
        by_function: dict[int, list[PathOperation]] = {}
        for operation in ctx.model.path_operations:
            if operation.router is None or operation.is_websocket or operation.is_documentation_only:
                continue
            if chain.hidden_from_schema(operation):
                continue
            by_function.setdefault(id(operation.function), []).append(operation)
        for operations in by_function.values():
            self._check_handler(operations, chain, ctx)

    def _check_handler(self, operations: list[PathOperation], chain: RouterChain, ctx: RuleContext) -> None:
        declared = [(operation, declared_codes(operation, chain, ctx.names)) for operation in operations]
        if any(codes is None for _, codes in declared):
            return
        function = operations[0].function
        elsewhere: list[Optional[DeclaredCodes]] = []  # what other modules' includes document, asked once
        has_parameters = bool(function.args.args or function.args.kwonlyargs or function.args.posonlyargs)
        for child, _ in own_body(function):
            if not (isinstance(child, ast.Raise) and isinstance(child.exc, ast.Call)):
                continue
            if ctx.qualified_name(child.exc.func) not in HTTP_EXCEPTIONS:
                continue
            code_node = http_exception_code(child.exc)
            code = status_code_of(code_node, ctx.names)
            if code is None or code_node is None or (code == _UNPROCESSABLE and has_parameters):
                continue
            missing = [op for op, codes in declared if codes is not None and not codes.covers(code)]
            if not missing:
                continue
            if not elsewhere:
                elsewhere.append(inherited_codes(ctx.workspace, function.name))
            if elsewhere[0] is None or elsewhere[0].covers(code):
                continue
            description = _detail(child.exc) or reason_phrase(code)
            fix = None
            if description is not None and can_document(missing):
                fix = functools.partial(document_code, operations=missing, code=code, code_node=code_node,
                                        description=description)
            ctx.report(child, fix, status=code)


def _detail(call: ast.Call) -> Optional[str]:
    detail = call.args[1] if len(call.args) > 1 else keyword_value(call, "detail")
    text = literal_string(detail)
    return text if text and text.strip() else None
