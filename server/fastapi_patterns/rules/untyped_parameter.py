"""FAP207 untyped-parameter: a path-operation parameter FastAPI cannot validate because it has no type."""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fastapi_model import DEPENDS, iter_parameters
from ..engine.names import BindingKind, FunctionNode, SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity

_I = "from fastapi import FastAPI\napp = FastAPI()\n"


class UntypedParameter(Rule):
    """
    ## What it does
    Flags a parameter of a path operation that has no type annotation. The diagnostic sits on the
    parameter.

    Left alone: `self` and `cls` of a handler defined in a class, `*args` and `**kwargs`, and a parameter
    whose default is `Depends(...)` or `Security(...)`, written in place or through a variable holding it
    (the dependency decides what it receives).

    ## Why is this bad?
    FastAPI reads the request from the handler's signature. An untyped parameter becomes a query
    parameter of any type: nothing is converted or validated (`?page=abc` arrives as the string `"abc"`),
    the OpenAPI documentation shows no type, and a parameter meant to receive the `Request`, a body model
    or a `WebSocket` silently turns into a required query parameter instead.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/items")
    def list_items(page=1) -> list[int]:
        return [page]
    ```

    Use instead:
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/items")
    def list_items(page: int = 1) -> list[int]:
        return [page]
    ```
    """

    code = "FAP207"
    name = "untyped-parameter"
    message = "Parameter `{parameter}` of route `{route}` has no type: FastAPI neither validates nor documents it"
    severity = Severity.WARNING
    node_types = (ast.Module,)
    trigger_words = ("fastapi",)

    VALID = (
        Valid(_I + "@app.get('/items/{i}')\ndef item(i: int, q: str | None = None) -> int:\n    return i\n"),
        Valid(_I + "class Views:\n    @app.get('/')\n    def one(self, q: str) -> str:\n        return q\n"),
        Valid(_I + "@app.get('/')\ndef one(*args, **kwargs) -> None: ...\n"),
        Valid("from fastapi import Depends, FastAPI\napp = FastAPI()\ndef get_db(): ...\n"
              "@app.get('/')\ndef one(db=Depends(get_db)) -> None: ...\n"),
        Valid("import fastapi as f\napp = f.FastAPI()\ndef user(): ...\n@app.get('/')\n"
              "def one(u=f.Security(user)) -> None: ...\n"),
        Valid(_I + "def helper(x):\n    return x\n@app.get('/')\ndef one() -> None:\n    def inner(y): ...\n"),
        Valid("class Bus:\n    def get(self, path): ...\nbus = Bus()\n@bus.get('/')\ndef one(x): ...\n"),
        Valid("from flask import Flask\napp = Flask(__name__)\n@app.get('/')\ndef one(x): ...\n"),
        Valid(_I + "from typing import Annotated\nfrom fastapi import Query\n@app.get('/')\n"
              "def one(q: Annotated[str, Query()] = 'x') -> str:\n    return q\n"),
        Valid(_I + "@app.get('/')\ndef one(q: 'str') -> str:\n    return q\n"),
        Valid("from fastapi import Depends, FastAPI\ndef get_db(): ...\ndef build():\n    app = FastAPI()\n"
              "    db = Depends(get_db)\n    @app.get('/')\n    def one(a=db) -> None: ...\n"),
    )
    INVALID = (
        Invalid(_I + "@app.get('/items')\ndef items(page=1) -> list[int]:\n    return [page]\n"),
        Invalid(_I + "@app.get('/items/{i}')\nasync def item(i, q=None):\n    return i\n", count=2),
        Invalid(_I + "@app.websocket('/ws')\nasync def ws(websocket):\n    await websocket.accept()\n"),
        Invalid("from fastapi import FastAPI, Query\napp = FastAPI()\n@app.get('/')\n"
                "def one(q=Query(None)) -> None: ...\n"),
        Invalid("import fastapi as f\nrouter = f.APIRouter()\n@router.post('/')\n"
                "def add(item, /, *, note) -> None: ...\n",
                count=2),
        Invalid(_I + "class Views:\n    @app.get('/')\n    def one(self, q) -> str:\n        return q\n"),
        Invalid(_I + "@app.get('/a')\n@app.get('/b')\ndef one(request) -> None: ...\n"),
        Invalid("import fastapi\nfrom app.routes import router\n@router.get('/')\ndef one(Depends) -> None: ...\n"),
        Invalid(_I + "@app.get('/')\ndef one(self) -> None: ...\n"),
        Invalid(_I + "LIMIT = 10\n@app.get('/')\ndef one(limit=LIMIT) -> None: ...\n"),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        seen: set[int] = set()
        for operation in ctx.model.path_operations:
            function = operation.function
            if id(function) in seen:
                continue
            seen.add(id(function))
            route = operation.path if operation.path is not None else function.name
            for arg in _untyped(function, ctx.names):
                ctx.report(arg, parameter=arg.arg, route=route)


def _untyped(function: FunctionNode, names: SymbolTable) -> list[ast.arg]:
    arguments = function.args
    receiver = None
    scope = names.scope_owned_by(function)
    positional = [*arguments.posonlyargs, *arguments.args]
    if scope is not None and scope.parent is not None and scope.parent.is_class and positional:
        receiver = positional[0]  # self or cls, bound by Python, not by FastAPI
    found = []
    for arg, default in iter_parameters(function):
        if arg.annotation is not None or arg is receiver or arg in (arguments.vararg, arguments.kwarg):
            continue
        if _is_dependency(default, names):
            continue
        found.append(arg)
    return found


def _is_dependency(default: Optional[ast.expr], names: SymbolTable) -> bool:
    """`Depends(f)` / `Security(f)`, written in place or through a variable holding one."""
    if isinstance(default, ast.Name):
        binding = names.binding_of(default)
        default = binding.value if binding is not None and binding.kind is BindingKind.ASSIGNMENT else None
    return isinstance(default, ast.Call) and names.qualified_name(default.func) in DEPENDS
