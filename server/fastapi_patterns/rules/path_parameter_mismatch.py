"""FAP206 path-parameter-mismatch: `{name}` in a route path that no parameter reads, or a `Path()` the path lacks."""

from __future__ import annotations

import ast
import functools
import keyword
import re
from typing import Optional

from ..engine.fastapi_model import PathOperation
from ..engine.fixes import FixContext
from ..engine.names import FunctionNode
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, Fix, FixSafety, Position, Severity
from ._path_parameters import (
    ANY_NAME, DependencyReader, path_declared, prefix_parameters, provided_names, route_parameters,
)

_LINE_TAIL = re.compile(r"^\s*,\s*(#.*)?$")
_H = "from fastapi import Depends, FastAPI, Path\napp = FastAPI()\n"


class PathParameterMismatch(Rule):
    """
    ## What it does
    Flags a `{name}` (or `{name:converter}`) in a route path that neither the handler nor a dependency
    defined in the same file, or in another module of the project, takes as a parameter, and a handler parameter declared with `Path(...)`
    (as its default or inside `Annotated`) whose name, or `alias=`, is not in the route path or in the
    prefixes of its router.

    It stays silent when it cannot see everything: a handler with `**kwargs` or that reads
    `request.path_params`, a path that is not a literal, a dependency from another module whose own
    parameters may hide more (a `Depends()`, `Path(alias=...)` or an imported alias among them), a type alias
    imported from another module (it may carry a dependency that takes the parameter), and, for `Path(...)` parameters, a
    router included from another module under a prefix this file cannot see.

    ## Why is this bad?
    FastAPI fills parameters by name. A `{name}` that no parameter takes is matched and then thrown
    away, so the route never sees which item was asked for. A `Path()` parameter whose name is not in the
    path can never be filled: every request fails with a validation error.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/items/{item_id}")
    def read_item(id: int) -> dict[str, int]:
        return {"id": id}
    ```

    Use instead:
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/items/{item_id}")
    def read_item(item_id: int) -> dict[str, int]:
        return {"id": item_id}
    ```

    ## Fix safety
    For a path parameter no parameter takes, the fix adds `name: str` to the handler's signature, before
    the first parameter with a default. It is unsafe: the new parameter is a plain string (change the type
    if the path holds a number) and positional callers of the function see one more argument. A `Path()`
    parameter missing from the path has no fix: either the path or the parameter is wrong.
    """

    code = "FAP206"
    name = "path-parameter-mismatch"
    message = "Path parameter `{name}` {problem}"
    fix_title = "Add the path parameter to the signature"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.ERROR
    node_types = (ast.Module,)
    trigger_words = ("fastapi",)

    VALID = (
        Valid(_H + "@app.get('/items/{item_id}')\ndef read(item_id: int): ...\n"),
        Valid(_H + "@app.get('/files/{file_path:path}')\ndef read(file_path: str): ...\n"),
        Valid(_H + "@app.get('/items/{id}')\ndef read(item: int = Path(alias='id')): ...\n"),
        Valid(_H + "@app.get('/items/{item_id}')\ndef read(**kwargs): ...\n"),
        Valid(_H + "from fastapi import Request\n@app.get('/items/{item_id}')\n"
              "def read(request: Request):\n    return request.path_params['item_id']\n"),
        Valid(_H + "PATH = '/items/{item_id}'\n@app.get(PATH)\ndef read(): ...\n"),
        Valid(_H + "from app.deps import load_item\n@app.get('/items/{item_id}')\n"
              "def read(item=Depends(load_item)): ...\n"),
        Valid(_H + "from typing import Annotated\ndef load(item_id: int): ...\n"
              "ItemDep = Annotated[int, Depends(load)]\ndef wrap(item: ItemDep): ...\n@app.get('/items/{item_id}')\n"
              "def read(item: Annotated[int, Depends(wrap)]): ...\n"),
        Valid(_H + "from app.deps import CurrentItem\n@app.get('/items/{item_id}')\n"
              "def read(item: CurrentItem): ...\n"),
        Valid("from fastapi import APIRouter, FastAPI, Path\napp = FastAPI()\n"
              "router = APIRouter(prefix='/orgs/{org_id}')\n@router.get('/items')\n"
              "def items(org_id: int = Path()): ...\napp.include_router(router)\n"),
        Valid("from fastapi import APIRouter, Path\nrouter = APIRouter()\n"
              "@router.get('/items')\ndef items(org_id: int = Path()): ...\n"),
        Valid(_H + "def check(item_id: int): ...\n@app.get('/items/{item_id}', dependencies=[Depends(check)])\n"
              "def read(): ...\n"),
        Valid("from fastapi import APIRouter, Depends, FastAPI\napp = FastAPI()\nrouter = APIRouter()\n"
              "def load(item_id: int): ...\n@router.get('/items/{item_id}')\ndef read(): ...\n"
              "app.include_router(router, dependencies=[Depends(load)])\n"),
        Valid("from flask import Flask\napp = Flask(__name__)\n@app.get('/items/<item_id>')\ndef read(): ...\n"),
        Valid(_H + "class Store:\n    def get(self, path): ...\nstore = Store()\n@store.get('/items/{item_id}')\n"
              "def read(): ...\n"),
        Valid(_H + "@app.get('/items/{item-id}/{ spaced }')\ndef read(): ...\n"),
        Valid(_H + "from typing import Annotated\n@app.get('/items/{item_ref}')\n"
              "def read(item: Annotated[int, Path(alias='x', validation_alias='item_ref')]): ...\n"),
        Valid(_H + "from typing import Annotated\nfrom pydantic import AliasChoices as Choices\n"
              "item_path = Path(alias='unused', validation_alias=Choices('item_id', 'id'))\n"
              "Identifier = Annotated[int, item_path]\ndef get_identifier(value: Identifier): ...\n"
              "@app.get('/items/{item_id}')\ndef read(value: Annotated[int, Depends(get_identifier)]): ...\n"
              "@app.websocket('/ws/{id}')\nasync def ws(value: Annotated[int, Depends(get_identifier)]): ...\n"
              "@app.get('/{legacy}')\ndef old(v: Annotated[int, Path(alias='legacy', "
              "validation_alias=Choices('first', 'second'))]): ...\n"),
        Valid(_H + "from typing import Annotated\nfrom app.params import item_path\n@app.get('/items/{item_id}')\n"
              "def read(item: Annotated[int, item_path]): ...\n"),
        Valid(_H + "from app.deps import load_item\n@app.get('/items/{item_id}')\ndef read(item=Depends(load_item)): ...\n",
              files={"app/deps.py": "def load_item(item_id: int):\n    return item_id\n"}),
        Valid(_H + "from app.deps import load_item\n@app.get('/items/{item_id}')\ndef read(item=Depends(load_item)): ...\n",
              files={"app/deps.py": "from fastapi import Depends\nfrom app.db import get_db\n"
                                   "def load_item(db=Depends(get_db)):\n    return db\n"}),
    )
    INVALID = (
        Invalid(_H + "from typing import Annotated\n@app.get('/items/{item_id}')\n"
                "def read(item_id: Annotated[int, Path(validation_alias='ref')]): ...\n", count=2),
        Invalid(_H + "from app.deps import load_item\n@app.get('/items/{item_id}')\ndef read(item=Depends(load_item)): ...\n",
                _H + "from app.deps import load_item\n@app.get('/items/{item_id}')\n"
                "def read(item_id: str, item=Depends(load_item)): ...\n", unsafe=True,
                files={"app/deps.py": "def load_item(id: int):\n    return id\n"}),
        Invalid(_H + "@app.get('/items/{item_id}')\ndef read(id: int): ...\n",
                _H + "@app.get('/items/{item_id}')\ndef read(id: int, item_id: str): ...\n", unsafe=True),
        Invalid(_H + "@app.get('/items/{item_id}')\ndef read(q: str = 'x'): ...\n",
                _H + "@app.get('/items/{item_id}')\ndef read(item_id: str, q: str = 'x'): ...\n", unsafe=True),
        Invalid(_H + "@app.get('/users/{user_id}/files/{name:path}')\nasync def read(): ...\n",
                _H + "@app.get('/users/{user_id}/files/{name:path}')\nasync def read(user_id: str, name: str): ...\n",
                count=2, unsafe=True),
        Invalid(_H + "@app.get('/items')\ndef read(item_id: int = Path(ge=1)): ...\n"),
        Invalid(_H + "from typing import Annotated\n@app.get('/items/{item_id}')\n"
                "def read(item_id: Annotated[int, Path(validation_alias='ref')]): ...\n", count=2),
        Invalid(_H + "from typing import Annotated\nitem_path = Path(alias='ref')\nItem = Annotated[int, item_path]\n"
                "@app.get('/items/{item_id}')\ndef read(item: Item): ...\n", count=2),
        Invalid(_H + "from typing import Annotated\n@app.get('/items/{id}')\n"
                "def read(item: Annotated[int, Path(alias='item_id')]): ...\n", count=2),
        Invalid("import fastapi as f\nfrom fastapi import APIRouter as R\nr = R()\nclass Views:\n"
                "    @r.api_route('/items/{item_id}', methods=['GET', 'PUT'])\n    def item(self): ...\n",
                "import fastapi as f\nfrom fastapi import APIRouter as R\nr = R()\nclass Views:\n"
                "    @r.api_route('/items/{item_id}', methods=['GET', 'PUT'])\n    def item(self, item_id: str): ...\n",
                unsafe=True),
        Invalid(_H + "@app.get('/a/{item_id}')\n@app.get('/b/{item_id}')\n"
                "def read(\n    *,\n    q: str = 'x',\n): ...\n",
                _H + "@app.get('/a/{item_id}')\n@app.get('/b/{item_id}')\ndef read(\n    *,\n    q: str = 'x',\n"
                "    item_id: str,\n): ...\n", count=2, unsafe=True),
        Invalid(_H + "def unrelated(q: str): ...\n@app.websocket('/ws/{room}')\n"
                "async def ws(\n    token: str,\n    other=Depends(unrelated),\n): ...\n",
                _H + "def unrelated(q: str): ...\n@app.websocket('/ws/{room}')\n"
                "async def ws(\n    token: str,\n    room: str,\n    other=Depends(unrelated),\n): ...\n", unsafe=True),
        Invalid(_H + "from fastapi.security import OAuth2PasswordBearer\nscheme = OAuth2PasswordBearer('token')\n"
                "def user(token: str = Depends(scheme)): ...\n@app.delete('/items/{item_id}')\n"
                "def remove(current=Depends(user)): ...\n",
                _H + "from fastapi.security import OAuth2PasswordBearer\nscheme = OAuth2PasswordBearer('token')\n"
                "def user(token: str = Depends(scheme)): ...\n@app.delete('/items/{item_id}')\n"
                "def remove(item_id: str, current=Depends(user)): ...\n", unsafe=True),
        Invalid("from fastapi import FastAPI\napp = FastAPI()\n@app.get('/imports/{import}')\ndef read(): ...\n",
                unsafe=True),
        Invalid("from fastapi import APIRouter, FastAPI, Path\napp = FastAPI()\nrouter = APIRouter(prefix='/orgs')\n"
                "@router.get('/items')\ndef items(org_id: int = Path()): ...\n"
                "app.include_router(router, prefix='/v1')\n"),
        Invalid(_H + "@app.get('/items/{item_id}')\ndef read(item_id, /): ...\n@app.get('/x/{y}')\ndef x(a, /): ...\n",
                _H + "@app.get('/items/{item_id}')\ndef read(item_id, /): ...\n@app.get('/x/{y}')\n"
                "def x(a, /, y: str): ...\n", unsafe=True),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        reader = DependencyReader(node, ctx.names, ctx.document.source, ctx.model.include_calls,
                                  remote=lambda target: _remote_consumption(ctx, target))
        for operation in ctx.model.path_operations:
            function = operation.function
            if operation.path is None or operation.path_node is None or function.args.kwarg is not None:
                continue
            wanted = route_parameters(operation.path)
            provided = provided_names(function, ctx.names)
            if provided is not None and not reader.reads_path_params(function):
                missing = [name for name in wanted if name not in provided]
                consumed = reader.consumed(operation) if missing else set()
                if consumed is not None and ANY_NAME not in consumed:
                    for name in missing:
                        if name not in consumed:
                            self._report_missing(ctx, operation, name)
            strays = [(arg, read) for arg, read in path_declared(function, ctx.names)
                      if not any(name in wanted for name in read)]
            if not strays:
                continue
            prefixes = prefix_parameters(operation, reader.includes, ctx.model.routers)
            for arg, read in strays:
                if prefixes is not None and not any(name in prefixes for name in read):
                    expected = " or ".join(f"`{{{name}}}`" for name in read)
                    problem = f"is declared with `Path()` in `{function.name}()` but `{operation.path}` has no {expected}"
                    ctx.report(arg, name=read[0], problem=problem)

    def _report_missing(self, ctx: RuleContext, operation: PathOperation, name: str) -> None:
        function = operation.function
        problem = f"appears in `{operation.path}` but `{function.name}()` has no parameter `{name}`"
        fix = None
        taken = {arg.arg for arg in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
        if not keyword.iskeyword(name) and name != "__debug__" and name not in taken:
            fix = functools.partial(_add_parameter, function=function, name=name)
        assert operation.path_node is not None
        ctx.report(operation.path_node, fix, name=name, problem=problem)


def _remote_consumption(ctx: RuleContext, target: ast.expr) -> Optional[set[str]]:
    """The request parameters a dependency function of another module reads, when its summary can tell."""
    found = ctx.workspace.function(ctx.workspace.target_of(target, ctx.names))
    if found is None or found[1].consumes is None:
        return None
    return set(found[1].consumes) if "*" not in found[1].consumes else {ANY_NAME}


def _add_parameter(fixer: FixContext, function: FunctionNode, name: str) -> Optional[Fix]:
    edit = _parameter_edit(fixer, function, f"{name}: str")
    if edit is None:
        return None
    return Fix(f"Add `{name}: str` to `{function.name}()`", (edit,), FixSafety.UNSAFE)


def _parameter_edit(fixer: FixContext, function: FunctionNode, text: str) -> Optional[Edit]:
    """One insertion that adds a required parameter where Python accepts it."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    if args.defaults and first_default < len(args.posonlyargs):
        return None  # a positional-only default forbids any later required positional parameter
    if args.args:
        if args.defaults:
            return _insert_before(fixer, positional[first_default], text)
        return _insert_after(fixer, args.args[-1], args.args[-1], text)
    if args.kwonlyargs:
        return _insert_after(fixer, args.kwonlyargs[-1], args.kw_defaults[-1] or args.kwonlyargs[-1], text)
    if args.vararg is not None:
        return _insert_after(fixer, args.vararg, args.vararg, text)
    if args.posonlyargs:
        return _insert_after_slash(fixer, args.posonlyargs[-1], text)
    return _insert_into_empty(fixer, function, text)


def _insert_before(fixer: FixContext, target: ast.arg, text: str) -> Edit:
    start = fixer.span(target).start
    prefix = fixer.document.line_text(start.line)[: start.column]
    if not prefix.strip():
        return fixer.insert(Position(start.line, 0), f"{prefix}{text},{fixer.document.newline}")
    return fixer.insert(start, f"{text}, ")


def _insert_after(fixer: FixContext, first: ast.AST, last: ast.AST, text: str) -> Edit:
    """After a parameter (from `first`, its name, to `last`, its default): on a new line when it has its own."""
    start, end = fixer.span(first).start, fixer.span(last).end
    document = fixer.document
    prefix = document.line_text(start.line)[: start.column]
    if not prefix.strip() and _LINE_TAIL.match(document.line_text(end.line)[end.column:]):
        return fixer.insert(Position(end.line + 1, 0), f"{prefix}{text},{document.newline}")
    return fixer.insert(end, f", {text}")


def _insert_after_slash(fixer: FixContext, last: ast.arg, text: str) -> Optional[Edit]:
    document = fixer.document
    start = document.offset(fixer.span(last).end)
    slash = document.source.find("/", start)
    if slash < 0 or document.source[start:slash].strip(" \t\r\n,"):
        return None
    return fixer.insert(document.position_at(slash + 1), f", {text}")


def _insert_into_empty(fixer: FixContext, function: FunctionNode, text: str) -> Optional[Edit]:
    document = fixer.document
    start = document.offset(fixer.span(function).start)
    match = re.compile(rf"(async\s+)?def\s+{re.escape(function.name)}\s*\(").match(document.source, start)
    if match is None:
        return None
    return fixer.insert(document.position_at(match.end()), text)
