"""FAP215 undocumented-path-operation (opt-in): a route whose OpenAPI entry carries nothing but its name."""

from __future__ import annotations

import ast

from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity
from ._router_chain import RouterChain

_I = "from fastapi import FastAPI\napp = FastAPI()\n"


class UndocumentedPathOperation(Rule):
    """
    ## What it does
    Flags a path operation with no `summary=`, no `description=` and no docstring. The diagnostic sits on
    the route decorator. This rule is opt-in: turn it on with `extend-select = ["FAP215"]`.

    Left alone: websocket routes (they are not in the OpenAPI schema), routes kept out of the schema with
    `include_in_schema=False` (on the route, its router or the include that mounts it, in the same module),
    and decorators that forward `**options`, which may carry a summary.

    ## Why is this bad?
    FastAPI builds the interactive docs from the route: without a summary or a docstring the entry shows
    only a title made from the function name (`Read Items Items Get`), and readers must guess what the
    endpoint does, which parameters matter and what its errors mean. A one-line docstring is enough to
    become the operation's description.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/items")
    def list_items() -> list[str]:
        return ["apple"]
    ```

    Use instead:
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/items")
    def list_items() -> list[str]:
        \"\"\"List every item in stock, most recent first.\"\"\"
        return ["apple"]
    ```
    """

    code = "FAP215"
    name = "undocumented-path-operation"
    message = "Route `{route}` has no summary, description or docstring: its docs show only the function name"
    severity = Severity.HINT
    opt_in = True
    node_types = (ast.Module,)
    trigger_words = ("fastapi",)

    VALID = (
        Valid(_I + "@app.get('/')\ndef root() -> None:\n    '''Say hello.'''\n"),
        Valid(_I + "@app.get('/', summary='Say hello')\ndef root() -> None: ...\n"),
        Valid(_I + "@app.get('/', description='Says hello to the caller.')\ndef root() -> None: ...\n"),
        Valid(_I + "@app.websocket('/ws')\nasync def ws(socket: object) -> None: ...\n"),
        Valid(_I + "@app.get('/hidden', include_in_schema=False)\ndef hidden() -> None: ...\n"),
        Valid("from fastapi import APIRouter, FastAPI\napp = FastAPI()\nui = APIRouter()\n@ui.get('/')\n"
              "def page() -> None: ...\napp.include_router(ui, include_in_schema=False)\n"),
        Valid(_I + "DOCS = {'summary': 'Say hello'}\n@app.get('/', **DOCS)\ndef root() -> None: ...\n"),
        Valid(_I + "def helper() -> None: ...\n"),
        Valid("class Bus:\n    def get(self, path): ...\nbus = Bus()\n@bus.get('/')\ndef root() -> None: ...\n"),
        Valid(_I + "@app.get('/')\nasync def root() -> None:\n    \"\"\"\n    Say hello.\n    \"\"\"\n"),
    )
    INVALID = (
        Invalid(_I + "@app.get('/')\ndef root() -> None: ...\n"),
        Invalid(_I + "@app.get('/')\ndef root() -> None:\n    x = 'not a docstring'\n    '''nor this'''\n"),
        Invalid(_I + "@app.get('/', include_in_schema=True, tags=['x'])\nasync def root() -> None:\n    ''\n"),
        Invalid("import fastapi as f\nrouter = f.APIRouter()\n@router.post('/a')\n@router.put('/b')\n"
                "def write() -> None: ...\n", count=2),
        Invalid(_I + "class Views:\n    @app.get('/')\n    def one(self) -> None:\n        pass\n"),
        Invalid("import fastapi\nfrom app.routes import router\n@router.delete('/{i}')\ndef drop(i: int) -> None:\n"
                "    def inner():\n        '''Inner docs do not count.'''\n"),
        Invalid(_I + "@app.webhooks.post('new-order')\ndef new_order(order: dict) -> None: ...\n"),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        chain = RouterChain(ctx.model)
        for operation in ctx.model.path_operations:
            if operation.is_websocket or chain.hidden_from_schema(operation):
                continue
            if operation.has_keyword("summary") or operation.has_keyword("description"):
                continue
            docstring = ast.get_docstring(operation.function)
            if docstring and docstring.strip():
                continue
            route = operation.path if operation.path is not None else ctx.document.node_text(operation.decorator)
            ctx.report(operation.decorator, route=route)
