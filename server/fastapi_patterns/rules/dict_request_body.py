"""FAP208 dict-request-body: a path operation that takes its JSON body as a plain dict instead of a model."""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from ..engine.blocking import own_body
from ..engine.fastapi_model import (
    DEPENDS,
    PARAM_MARKERS,
    PathOperation,
    annotated_parts,
    iter_parameters,
)
from ..engine.names import BindingKind, SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity
from ._path_parameters import route_parameters

_I = "from fastapi import FastAPI\napp = FastAPI()\n"
_DICTS = frozenset({"builtins.dict", "typing.Dict", "typing_extensions.Dict"})
_ANY = frozenset({"typing.Any", "typing_extensions.Any"})
_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_UNION = frozenset({"typing.Union", "typing_extensions.Union"})
_BODY_MARKERS = frozenset(name for name in PARAM_MARKERS if name.endswith(".Body"))
_REQUESTS = frozenset({"fastapi.Request", "fastapi.requests.Request", "starlette.requests.Request"})


class DictRequestBody(Rule):
    """
    ## What it does
    Flags a path operation that receives its request body untyped: a parameter annotated `dict`,
    `dict[...]` or `typing.Dict[...]` (optional or not, with or without `Body()`), a parameter annotated
    `Any` and declared with `Body()`, or a read of `await request.json()` on the `Request` object. Such bodies
    are flagged even when the handler checks the keys by hand.

    A plain `Any` parameter without `Body()` is a query parameter, not a body, and is not flagged here; nor
    are dependencies (the rule looks at path operations only), nor a parameter whose default or `Annotated`
    metadata is something other than a literal or a FastAPI marker (a variable may hold a `Depends`).

    ## Why is this bad?
    A Pydantic model makes FastAPI validate the body before the handler runs (a missing key or a wrong
    type becomes a clear 422 instead of a `KeyError` or a 500 deep in the code), converts values to the
    declared types, and documents the expected JSON in OpenAPI so clients can be generated. A dict gives
    none of that, and every reader of the handler has to guess its shape.

    ## Example
    ```python
    from typing import Any

    from fastapi import FastAPI, status

    app = FastAPI()


    @app.post("/items", status_code=status.HTTP_201_CREATED)
    def create_item(item: dict[str, Any]) -> dict[str, Any]:
        return item
    ```

    Use instead:
    ```python
    from fastapi import FastAPI, status
    from pydantic import BaseModel

    app = FastAPI()


    class Item(BaseModel):
        name: str
        price: float


    @app.post("/items", status_code=status.HTTP_201_CREATED)
    def create_item(item: Item) -> Item:
        return item
    ```
    """

    code = "FAP208"
    name = "dict-request-body"
    message = "Request body read as {what}: declare a Pydantic model so FastAPI validates and documents it"
    severity = Severity.WARNING
    node_types = (ast.Module,)
    trigger_words = ("dict", "Dict", "Any", "json")

    VALID = (
        Valid(_I + "from pydantic import BaseModel\nclass Item(BaseModel):\n    name: str\n"
              "@app.post('/items')\ndef add(item: Item) -> Item:\n    return item\n"),
        Valid(_I + "from typing import Any\n@app.get('/items')\ndef find(q: Any = None) -> None: ...\n"),
        Valid(_I + "from typing import Annotated\nfrom fastapi import Depends\ndef settings() -> dict: ...\n"
              "@app.get('/')\ndef one(s: Annotated[dict, Depends(settings)]) -> None: ...\n"),
        Valid(_I + "from fastapi import Query\n@app.get('/')\ndef one(f: dict = Query(None)) -> None: ...\n"),
        Valid(_I + "@app.post('/items')\ndef add() -> dict[str, int]:\n    data: dict = {}\n    return data\n"),
        Valid(_I + "def helper(payload: dict) -> None: ...\n"),
        Valid(_I + "from fastapi import Request\n@app.post('/hook')\nasync def hook(request: Request) -> None:\n"
              "    async def later():\n        return await request.json()\n"),
        Valid(_I + "@app.post('/hook')\nasync def hook(request: object) -> None:\n    await request.json()\n"),
        Valid("from fastapi import FastAPI\nimport httpx\napp = FastAPI()\n@app.get('/proxy')\n"
              "async def proxy() -> None:\n    r = httpx.get('x')\n    r.json()\n"),
        Valid("class Bus:\n    def post(self, path): ...\nbus = Bus()\n@bus.post('/')\ndef add(item: dict): ...\n"),
        Valid("from typing import Annotated\nfrom fastapi import Depends, FastAPI\napp = FastAPI()\n"
              "marks = [Depends(dict)]\ndb = Depends(dict)\n@app.get('/')\n"
              "def one(a: Annotated[dict, marks[0]], b: dict = db) -> None: ...\n"),
        Valid(_I + "@app.websocket('/ws')\nasync def ws(socket: 'WebSocket', state: dict = {}) -> None: ...\n"),
    )
    INVALID = (
        Invalid(_I + "@app.post('/items')\ndef add(item: dict) -> dict:\n    return item\n"),
        Invalid(_I + "from typing import Annotated\n@app.post('/items')\n"
                "def add(item: Annotated[dict, 'the item'] = {}) -> None: ...\n"),
        Invalid(_I + "from typing import Any, Dict, Optional\n@app.put('/items/{i}')\n"
                "def put(i: int, item: Dict[str, Any], extra: Optional[dict] = None) -> None: ...\n", count=2),
        Invalid(_I + "from typing import Any\nfrom fastapi import Body\n@app.post('/items')\n"
                "def add(item: Any = Body(...)) -> None: ...\n"),
        Invalid("import typing as t\nimport fastapi as f\napp = f.FastAPI()\n@app.patch('/items/{i}')\n"
                "def patch(i: int, changes: t.Annotated[dict[str, t.Any] | None, f.Body(embed=True)] = None)"
                " -> None: ...\n"),
        Invalid(_I + "from fastapi import Request\n@app.post('/hook')\nasync def hook(request: Request) -> None:\n"
                "    payload = await request.json()\n    print(payload['event'])\n"),
        Invalid("from fastapi import APIRouter\nfrom starlette.requests import Request as R\nrouter = APIRouter()\n"
                "@router.post('/hook')\nasync def hook(req: R, body: dict) -> None:\n    data = await req.json()\n",
                count=2),
        Invalid("import fastapi\nfrom app.routes import router\n@router.post('/orders')\n"
                "def place(order: dict[str, int]) -> None: ...\n"),
        Invalid(_I + "from typing import Union\n@app.post('/a')\n@app.post('/b')\n"
                "def add(item: Union[dict, None] = None) -> None: ...\n"),
        Invalid(_I + "class Views:\n    @app.post('/')\n    def add(self, item: dict) -> None:\n"
                "        if 'name' not in item:\n            raise ValueError('name')\n"),
        Invalid(_I + "import fastapi\n@app.post('/')\nasync def add(r: fastapi.Request) -> None:\n"
                "    return [await r.json() for _ in range(1)]\n"),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        seen: set[int] = set()
        for operation in ctx.model.path_operations:
            if operation.is_websocket or id(operation.function) in seen:
                continue
            seen.add(id(operation.function))
            for where, what in _dict_bodies(operation, ctx.names):
                ctx.report(where, what=what)
            for call in _json_reads(operation, ctx.names):
                ctx.report(call, what=f"`{ctx.document.node_text(call)}`")


def _dict_bodies(operation: PathOperation, names: SymbolTable) -> Iterator[tuple[ast.expr, str]]:
    path_names = set(route_parameters(operation.path or ""))
    for arg, default in iter_parameters(operation.function):
        if arg.annotation is None or arg.arg in path_names:
            continue
        base, metadata = annotated_parts(arg.annotation, names)
        kinds = _marker_kinds([*metadata, *([default] if default is not None else [])], names)
        if kinds is None or kinds & (PARAM_MARKERS - _BODY_MARKERS) or kinds & DEPENDS:
            continue
        inner = _without_none(base, names)
        if inner is None:
            continue
        target = inner.value if isinstance(inner, ast.Subscript) else inner
        qualified = names.qualified_name(target)
        if qualified in _DICTS or (qualified in _ANY and kinds & _BODY_MARKERS):
            yield inner, f"`{arg.arg}: {ast.unparse(inner)}`"


def _marker_kinds(markers: list[ast.expr], names: SymbolTable) -> Optional[set[Optional[str]]]:
    """Qualified names of the FastAPI markers among a parameter's metadata and default; None when one of them
    may hide a marker (a variable, a subscript, a call of something else), so the parameter's kind is unknown."""
    kinds: set[Optional[str]] = set()
    for marker in markers:
        if not isinstance(marker, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
            continue  # a literal default or a documentation string
        kind = names.qualified_name(marker.func) if isinstance(marker, ast.Call) else None
        if kind not in PARAM_MARKERS and kind not in DEPENDS:
            return None
        kinds.add(kind)
    return kinds


def _without_none(annotation: Optional[ast.expr], names: SymbolTable) -> Optional[ast.expr]:
    """`X` out of `Optional[X]`, `Union[X, None]` and `X | None`; other unions give None."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        parts = [annotation.left, annotation.right]
    elif isinstance(annotation, ast.Subscript) and names.qualified_name(annotation.value) in _OPTIONAL:
        return annotation.slice
    elif isinstance(annotation, ast.Subscript) and names.qualified_name(annotation.value) in _UNION:
        parts = list(annotation.slice.elts) if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    else:
        return annotation
    kept = [p for p in parts if not (isinstance(p, ast.Constant) and p.value is None)]
    return kept[0] if len(kept) == 1 else None


def _json_reads(operation: PathOperation, names: SymbolTable) -> Iterator[ast.Call]:
    """`request.json()` calls in the handler's own body, on a parameter annotated as the `Request`."""
    for node, _ in own_body(operation.function):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "json"):
            continue
        receiver = node.func.value
        binding = names.binding_of(receiver) if isinstance(receiver, ast.Name) else None
        if binding is None or binding.kind is not BindingKind.PARAMETER or binding.annotation is None:
            continue
        if names.qualified_name(annotated_parts(binding.annotation, names)[0] or binding.annotation) in _REQUESTS:
            yield node
