"""FAP204 redundant-response-model: `response_model=X` repeating the handler's return annotation `-> X`."""

from __future__ import annotations

import ast
import functools
from typing import Optional

from ..engine.fastapi_model import PathOperation
from ..engine.fixes import FixContext
from ..engine.names import SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Severity
from ._call_arguments import remove_keyword

_I = ("from fastapi import FastAPI\nfrom pydantic import BaseModel\napp = FastAPI()\n"
      "class Item(BaseModel):\n    id: int\n")
_FUTURE = "from __future__ import annotations\n"


class RedundantResponseModel(Rule):
    """
    ## What it does
    Flags `response_model=X` in a route decorator when the handler's return annotation is that same `X`
    (written the same way, or naming the same imported object). The diagnostic sits on the
    `response_model=` argument.

    Different types are left alone: `response_model=ItemOut` with `-> Item` is the documented way to
    return a richer object and filter it through a narrower model.

    ## Why is this bad?
    FastAPI already takes the response model from the return annotation. Saying it twice is noise, and
    the two copies drift apart: someone changes the annotation, the decorator still wins, and the type
    checker and the API now disagree about what the route returns.

    ## Example
    ```python
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()


    class Item(BaseModel):
        name: str


    @app.get("/items/{name}", response_model=Item)
    def read_item(name: str) -> Item:
        return Item(name=name)
    ```

    Use instead:
    ```python
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()


    class Item(BaseModel):
        name: str


    @app.get("/items/{name}")
    def read_item(name: str) -> Item:
        return Item(name=name)
    ```

    ## Fix safety
    Safe: FastAPI derives the same response model from the annotation. The fix removes the argument with
    its comma (and its line when it stands alone). It is not offered when the module uses
    `from __future__ import annotations` and the annotation names something that is not defined at module
    level, since FastAPI then could not resolve the annotation.
    """

    code = "FAP204"
    name = "redundant-response-model"
    message = "`response_model={model}` repeats the return annotation: remove the argument"
    fix_title = "Remove the `response_model` argument"
    fix_safety = FixSafety.SAFE
    severity = Severity.INFORMATION
    node_types = (ast.Module,)
    trigger_words = ("response_model",)

    VALID = (
        Valid(_I + "@app.get('/')\ndef one() -> Item:\n    return Item(id=1)\n"),
        Valid(_I + "@app.get('/', response_model=Item)\ndef one():\n    return {'id': 1}\n"),
        Valid(_I + "class Out(Item): ...\n@app.get('/', response_model=Out)\ndef one() -> Item:\n"
              "    return Item(id=1)\n"),
        Valid(_I + "from typing import List\n@app.get('/', response_model=List[Item])\ndef many() -> list[Item]:\n"
              "    return []\n"),
        Valid(_I + "@app.get('/', response_model='Item')\ndef one() -> Item: ...\n"),
        Valid(_I + "@app.get('/', response_model=None)\ndef one() -> Item: ...\n"),
        Valid(_I + "def deco(**kw):\n    return lambda f: f\n@deco(response_model=Item)\ndef one() -> Item: ...\n"),
        Valid("class Bus:\n    def get(self, path, **kw): ...\nclass Item: ...\nbus = Bus()\n"
              "@bus.get('/', response_model=Item)\ndef one() -> Item: ...\n"),
        Valid(_I + "@app.get('/')\ndef one() -> Item:\n    def inner(response_model=Item) -> Item: ...\n"
              "    return inner()\n"),
        Valid("import fastapi\nfrom app import schemas\nfrom other import schemas as s2\napp = fastapi.FastAPI()\n"
              "@app.get('/', response_model=schemas.Item)\ndef one() -> s2.Item: ...\n"),
    )
    INVALID = (
        Invalid(_I + "@app.get('/', response_model=Item)\ndef one() -> Item:\n    return Item(id=1)\n",
                _I + "@app.get('/')\ndef one() -> Item:\n    return Item(id=1)\n"),
        Invalid(_I + "@app.get(\n    '/',\n    response_model=list[Item],  # the items\n    tags=['items'],\n)\n"
                "def many() -> list[Item]:\n    return []\n",
                _I + "@app.get(\n    '/',\n    tags=['items'],\n)\ndef many() -> list[Item]:\n    return []\n"),
        Invalid(_I + "@app.get(\n    '/',\n    tags=['items'],\n    response_model=Item\n)\ndef one() -> Item: ...\n",
                _I + "@app.get(\n    '/',\n    tags=['items'],\n)\ndef one() -> Item: ...\n"),
        Invalid(_I + "@app.post('/', response_model=Item, status_code=201)\nasync def add(item: Item) -> Item:\n"
                "    return item\n",
                _I + "@app.post('/', status_code=201)\nasync def add(item: Item) -> Item:\n    return item\n"),
        Invalid(_I + "@app.get('/', tags=['x'], response_model=Item | None)\ndef one() -> Item | None: ...\n",
                _I + "@app.get('/', tags=['x'])\ndef one() -> Item | None: ...\n"),
        Invalid("import fastapi as f\nfrom app.schemas import Item\nfrom app import schemas\nrouter = f.APIRouter()\n"
                "@router.get(path='/', response_model=schemas.Item)\ndef one() -> Item: ...\n",
                "import fastapi as f\nfrom app.schemas import Item\nfrom app import schemas\nrouter = f.APIRouter()\n"
                "@router.get(path='/')\ndef one() -> Item: ...\n"),
        Invalid(_I + "@app.get('/a', response_model=Item)\n@app.get('/b', response_model=Item)\n"
                "def one() -> Item: ...\n",
                _I + "@app.get('/a')\n@app.get('/b')\ndef one() -> Item: ...\n", count=2),
        Invalid(_FUTURE + _I + "def factory():\n    class Local(Item): ...\n"
                "    @app.get('/', response_model=Local)\n    def one() -> Local: ...\n"),
        Invalid(_FUTURE + _I + "@app.get('/', response_model=dict[str, Item])\ndef one() -> dict[str, Item]: ...\n",
                _FUTURE + _I + "@app.get('/')\ndef one() -> dict[str, Item]: ...\n"),
        Invalid(_I + "class Views:\n    @app.get('/', response_model=Item)\n    def one(self) -> Item: ...\n",
                _I + "class Views:\n    @app.get('/')\n    def one(self) -> Item: ...\n"),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        postponed = _postpones_annotations(node)
        for operation in ctx.model.path_operations:
            keyword = next((k for k in operation.decorator.keywords if k.arg == "response_model"), None)
            annotation = operation.function.returns
            if keyword is None or annotation is None or not _same_type(keyword.value, annotation, ctx.names):
                continue
            fixable = not postponed or _defined_at_module_level(annotation, ctx.names)
            fix = functools.partial(_fix, operation=operation, keyword=keyword) if fixable else None
            ctx.report(keyword, fix, model=ctx.document.node_text(keyword.value))


def _same_type(model: ast.expr, annotation: ast.expr, names: SymbolTable) -> bool:
    if isinstance(model, ast.Constant) or isinstance(annotation, ast.Constant):
        return False  # strings are forward references resolved elsewhere; None is "no model"
    if ast.dump(model) == ast.dump(annotation):
        return True
    qualified = names.qualified_name(model)
    return qualified is not None and qualified == names.qualified_name(annotation)


def _postpones_annotations(module: ast.Module) -> bool:
    return any(
        isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"
        and any(alias.name == "annotations" for alias in stmt.names)
        for stmt in module.body
    )


def _defined_at_module_level(annotation: ast.expr, names: SymbolTable) -> bool:
    """Whether every name in the annotation can be found in the module's globals (or builtins)."""
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name):
            binding = names.binding_of(node)
            if binding is not None and binding.scope is not names.module_scope:
                return False
    return True


def _fix(fixer: FixContext, operation: PathOperation, keyword: ast.keyword) -> Optional[list[Edit]]:
    return remove_keyword(fixer, operation.decorator, keyword)
