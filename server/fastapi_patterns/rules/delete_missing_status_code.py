"""FAP202 delete-missing-status-code: a DELETE path operation that returns nothing yet answers `200 null`."""

from __future__ import annotations

import ast
import functools
from typing import Optional

from ..engine.blocking import own_body
from ..engine.fastapi_model import PathOperation
from ..engine.fixes import FixContext
from ..engine.names import FunctionNode
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Severity
from ._call_arguments import append_keyword
from ._status_codes import status_reference

_H = "from fastapi import FastAPI, status\napp = FastAPI()\n"
_I = "from fastapi import FastAPI\napp = FastAPI()\n"
_NO_CONTENT = "status_code=status.HTTP_204_NO_CONTENT"
_RESPONSE_CLASSES = ("fastapi.Response", "fastapi.responses.Response", "starlette.responses.Response")


class DeleteMissingStatusCode(Rule):
    """
    ## What it does
    Flags a DELETE path operation whose decorator sets no `status_code=` while its handler never returns
    a value (no `return` with a value, `return None` aside). The diagnostic sits on the decorator.

    Left alone: handlers that return something (a deleted object, a message), handlers with a return
    annotation other than `None` or with a `response_model=` (FastAPI refuses a response model on a 204
    route), handlers that take the `Response` object and may set the code themselves, generators, and
    routes that serve DELETE together with other methods, and webhooks and OpenAPI callbacks, which the app
    only documents.

    ## Why is this bad?
    FastAPI answers `200 OK` with the body `null` when the handler returns nothing. A deletion that sends
    no content should say so with `204 No Content`: clients then know not to parse a body, and the
    OpenAPI documentation shows the right success code.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()
    items: dict[int, str] = {}


    @app.delete("/items/{item_id}")
    def delete_item(item_id: int) -> None:
        items.pop(item_id, None)
    ```

    Use instead:
    ```python
    from fastapi import FastAPI, status

    app = FastAPI()
    items: dict[int, str] = {}


    @app.delete("/items/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
    def delete_item(item_id: int) -> None:
        items.pop(item_id, None)
    ```

    ## Fix safety
    Unsafe: the route's success code changes from 200 to 204, which clients and tests may check. The fix
    adds `status_code=status.HTTP_204_NO_CONTENT` after the existing arguments and imports `status` from
    fastapi when the file does not have it yet.
    """

    code = "FAP202"
    name = "delete-missing-status-code"
    message = "DELETE route `{route}` returns no value but sets no `status_code`: it answers `200 null`, not 204"
    fix_title = "Add `status_code=status.HTTP_204_NO_CONTENT`"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.INFORMATION
    node_types = (ast.Module,)
    trigger_words = ("delete", "DELETE")

    VALID = (
        Valid(_H + f"@app.delete('/items/{{i}}', {_NO_CONTENT})\ndef remove(i: int) -> None: ...\n"),
        Valid(_H + "@app.delete('/items/{i}', status_code=200)\ndef remove(i: int) -> None: ...\n"),
        Valid(_I + "@app.delete('/items/{i}')\ndef remove(i: int) -> dict[str, bool]:\n    return {'ok': True}\n"),
        Valid(_I + "@app.delete('/items/{i}')\ndef remove(i: int):\n    if i:\n        return i\n"),
        Valid(_I + "@app.delete('/items/{i}', response_model=dict)\ndef remove(i: int): ...\n"),
        Valid(_I + "@app.delete('/items/{i}')\ndef remove(i: int) -> int: ...\n"),
        Valid(_I + "from fastapi import Response\n@app.delete('/items/{i}')\n"
              "def remove(i: int, response: Response) -> None:\n    response.status_code = 202\n"),
        Valid(_I + "@app.api_route('/items/{i}', methods=['GET', 'DELETE'])\ndef item(i: int) -> None: ...\n"),
        Valid(_I + "@app.get('/items/{i}')\ndef item(i: int) -> None: ...\n"),
        Valid(_I + "OPTIONS = {'status_code': 204}\n@app.delete('/items/{i}', **OPTIONS)\ndef remove(i: int): ...\n"),
        Valid("class Cache:\n    def delete(self, key): ...\ncache = Cache()\n"
              "@cache.delete('/items')\ndef remove() -> None: ...\n"),
        Valid("from fastapi import FastAPI\nimport requests as app\n@app.delete('/items')\ndef remove(): ...\n"),
        Valid(_I + "@app.delete('/items/{i}')\ndef remove(i: int):\n    yield i\n"),
        Valid(_I + "@app.webhooks.delete('item-removed')\ndef removed(item_id: int) -> None: ...\n"),
    )
    INVALID = (
        Invalid(_H + "@app.delete('/items/{i}')\ndef remove(i: int) -> None: ...\n",
                _H + f"@app.delete('/items/{{i}}', {_NO_CONTENT})\ndef remove(i: int) -> None: ...\n", unsafe=True),
        Invalid(_I + "@app.delete('/items/{i}')\nasync def remove(i: int):\n    if not i:\n        return\n"
                "    return None\n",
                "from fastapi import FastAPI, status\napp = FastAPI()\n"
                f"@app.delete('/items/{{i}}', {_NO_CONTENT})\nasync def remove(i: int):\n    if not i:\n"
                "        return\n    return None\n", unsafe=True),
        Invalid("import fastapi as f\nrouter = f.APIRouter()\n@router.delete(\n    '/users/{u}',\n"
                "    response_model=None,\n)\ndef drop(u: int):\n    def inner():\n        return u\n    inner()\n",
                "import fastapi as f\nfrom fastapi import status\nrouter = f.APIRouter()\n@router.delete(\n"
                f"    '/users/{{u}}',\n    response_model=None,\n    {_NO_CONTENT},\n)\ndef drop(u: int):\n"
                "    def inner():\n        return u\n    inner()\n", unsafe=True),
        Invalid("from fastapi import APIRouter as R\nfrom starlette import status\nrouter = R()\n"
                "class Items:\n    @router.api_route('/items/{i}', methods=['DELETE'])\n"
                "    def remove(self, i: int) -> None:\n        print(i)\n",
                "from fastapi import APIRouter as R\nfrom starlette import status\nrouter = R()\n"
                f"class Items:\n    @router.api_route('/items/{{i}}', methods=['DELETE'], {_NO_CONTENT})\n"
                "    def remove(self, i: int) -> None:\n        print(i)\n", unsafe=True),
        Invalid("import fastapi\nfrom app.routes import router\n@router.delete('/orders/{o}')\n"
                "async def cancel(o: int):\n    lambda: o\n",
                "import fastapi\nfrom app.routes import router\nfrom fastapi import status\n"
                f"@router.delete('/orders/{{o}}', {_NO_CONTENT})\nasync def cancel(o: int):\n    lambda: o\n",
                unsafe=True),
        Invalid("import fastapi\napp = fastapi.FastAPI()\nstatus = 'gone'\n@app.delete('/a')\n"
                "def drop() -> None: ...\n",
                "import fastapi\napp = fastapi.FastAPI()\nstatus = 'gone'\n"
                "@app.delete('/a', status_code=fastapi.status.HTTP_204_NO_CONTENT)\ndef drop() -> None: ...\n",
                unsafe=True),
        Invalid(_H + "@app.delete('/a')\n@app.delete('/b')\ndef drop() -> None: ...\n",
                _H + f"@app.delete('/a', {_NO_CONTENT})\n@app.delete('/b', {_NO_CONTENT})\ndef drop() -> None: ...\n",
                count=2, unsafe=True),
        Invalid(_I + "status = 'gone'\n@app.delete('/a')\ndef drop() -> None: ...\n"),
        Invalid(_H + "@app.delete('/items/{i}')\ndef remove(i: int) -> None:\n    class Gone:\n"
                "        def value(self):\n            return i\n",
                _H + f"@app.delete('/items/{{i}}', {_NO_CONTENT})\ndef remove(i: int) -> None:\n    class Gone:\n"
                "        def value(self):\n            return i\n", unsafe=True),
        Invalid(_H + "@app.delete('/items/{i}')\ndef remove(i: int, response=None) -> None: ...\n",
                _H + f"@app.delete('/items/{{i}}', {_NO_CONTENT})\ndef remove(i: int, response=None) -> None: ...\n",
                unsafe=True),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        for operation in ctx.model.path_operations:
            if set(operation.methods) != {"DELETE"} or operation.has_keyword("status_code"):
                continue
            if operation.is_documentation_only:
                continue
            if not _returns_nothing(operation, ctx):
                continue
            route = operation.path if operation.path is not None else ctx.document.node_text(operation.decorator)
            fixable = status_reference(ctx.fixer, operation.decorator) is not None
            fix = functools.partial(_fix, operation=operation) if fixable else None
            ctx.report(operation.decorator, fix, route=route)


def _returns_nothing(operation: PathOperation, ctx: RuleContext) -> bool:
    """True when a 204 fits: no value returned, nothing declares a body, the code is not set by hand."""
    function = operation.function
    response_model = operation.keyword("response_model")
    if response_model is not None and not _is_none(response_model):
        return False
    if function.returns is not None and not _is_none(function.returns):
        return False
    if _takes_response(function, ctx):
        return False
    for child, _ in own_body(function):
        if isinstance(child, (ast.Yield, ast.YieldFrom)):
            return False
        if isinstance(child, ast.Return) and child.value is not None and not _is_none(child.value):
            return False
    return True


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _takes_response(function: FunctionNode, ctx: RuleContext) -> bool:
    arguments = function.args
    for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
        if arg.annotation is not None and ctx.qualified_name(arg.annotation) in _RESPONSE_CLASSES:
            return True
    return False


def _fix(fixer: FixContext, operation: PathOperation) -> Optional[list[Edit]]:
    reference = status_reference(fixer, operation.decorator)
    if reference is None:
        return None
    prefix, import_edits = reference
    keyword = append_keyword(fixer, operation.decorator, f"status_code={prefix}.HTTP_204_NO_CONTENT")
    return None if keyword is None else [*import_edits, *keyword]
