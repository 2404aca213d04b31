"""FAP201 post-missing-status-code: a POST path operation that answers `200 OK` where `201 Created` is meant."""

from __future__ import annotations

import ast
import functools
import re
from typing import Iterable, Optional

from ..engine.fastapi_model import PathOperation
from ..engine.fixes import FixContext
from ..engine.names import BindingKind
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Severity
from ._call_arguments import append_keyword

_STATUS_MODULES = ("fastapi.status", "starlette.status")
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_PATH_PARAMETER = re.compile(r"\{[^{}]*\}")

_H = "from fastapi import FastAPI, status\napp = FastAPI()\n"
_I = "from fastapi import FastAPI\napp = FastAPI()\n"
_CREATED = "status_code=status.HTTP_201_CREATED"


class PostMissingStatusCode(Rule):
    """
    ## What it does
    Flags a POST path operation whose decorator sets no `status_code=`.

    POST routes that do not create anything are left alone: when the handler's name or the last literal
    segment of its path contains an action word such as `login`, `token`, `search`, `run` or `export`
    (`login_for_access_token`, `/auth/token`, `/reports/run`), answering `200 OK` is right. The word list
    is the `non-creating-post-words` setting. A route that serves POST together with other methods
    (`api_route(methods=["GET", "POST"])`) is not flagged either, since one `status_code` would apply to
    every method; a decorator that forwards `**options` is not flagged, since it may carry the code.

    ## Why is this bad?
    FastAPI answers `200 OK` unless told otherwise. A POST that creates a resource should answer
    `201 Created`: clients, generated SDKs and the OpenAPI documentation rely on the code to tell a
    creation from any other successful call.

    ## Example
    ```python
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()


    class Item(BaseModel):
        name: str


    @app.post("/items")
    def create_item(item: Item) -> Item:
        return item
    ```

    Use instead:
    ```python
    from fastapi import FastAPI, status
    from pydantic import BaseModel

    app = FastAPI()


    class Item(BaseModel):
        name: str


    @app.post("/items", status_code=status.HTTP_201_CREATED)
    def create_item(item: Item) -> Item:
        return item
    ```

    ## Fix safety
    Unsafe: the route's success code changes from 200 to 201, which clients and tests may check. The fix
    adds `status_code=status.HTTP_201_CREATED` after the existing arguments and imports `status` from
    fastapi when the file does not have it yet.
    """

    code = "FAP201"
    name = "post-missing-status-code"
    message = "POST route `{route}` sets no `status_code`: it answers 200 where a creation answers 201"
    fix_title = "Add `status_code=status.HTTP_201_CREATED`"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.WARNING
    node_types = (ast.Module,)
    trigger_words = ("post", "POST")

    VALID = (
        Valid(_H + "@app.post('/items', status_code=status.HTTP_201_CREATED)\ndef create_item(): ...\n"),
        Valid(_H + "@app.post('/items', status_code=202)\ndef enqueue_item(): ...\n"),
        Valid(_I + "@app.post('/token')\ndef login_for_access_token(): ...\n"),
        Valid(_I + "@app.post('/auth/token')\ndef issue(): ...\n"),
        Valid(_I + "@app.post('/reports/{report_id}/run')\ndef start(report_id: int): ...\n"),
        Valid(_I + "@app.post('/items/bulk-import')\ndef bulk(): ...\n"),
        Valid(_I + "@app.post('/documents')\ndef searchDocuments(): ...\n"),
        Valid(_I + "@app.get('/items')\ndef list_items(): ...\n"),
        Valid(_I + "@app.api_route('/items', methods=['GET', 'POST'])\ndef items(): ...\n"),
        Valid(_I + "OPTIONS = {'status_code': 201}\n@app.post('/items', **OPTIONS)\ndef create(): ...\n"),
        Valid("from flask import Flask\napp = Flask(__name__)\n@app.post('/items')\ndef create(): ...\n"),
        Valid("class Bus:\n    def post(self, path): ...\nbus = Bus()\n@bus.post('/items')\ndef create(): ...\n"),
        Valid("import fastapi\nimport requests as app\n@app.post('/items')\ndef create(): ...\n"),
        Valid(_I + "@app.post('/items')\ndef publish_item(): ...\n", config={"non-creating-post-words": ["publish"]}),
    )
    INVALID = (
        Invalid(_H + "@app.post('/items')\ndef create_item(): ...\n",
                _H + f"@app.post('/items', {_CREATED})\ndef create_item(): ...\n", unsafe=True),
        Invalid(_I + "@app.post('/items')\ndef create_item(): ...\n",
                "from fastapi import FastAPI, status\napp = FastAPI()\n"
                f"@app.post('/items', {_CREATED})\ndef create_item(): ...\n", unsafe=True),
        Invalid("import fastapi as f\nr = f.APIRouter()\n@r.post(\n    '/users',\n    response_model=dict,\n)\n"
                "def create_user(): ...\n",
                "import fastapi as f\nfrom fastapi import status\nr = f.APIRouter()\n@r.post(\n    '/users',\n"
                f"    response_model=dict,\n    {_CREATED},\n)\ndef create_user(): ...\n", unsafe=True),
        Invalid("from fastapi import APIRouter as R, status as http\nrouter = R()\n@router.post(\n    '/users',"
                "\n    response_model=dict  # the body\n)\ndef create_user(): ...\n",
                "from fastapi import APIRouter as R, status as http\nrouter = R()\n@router.post(\n    '/users',"
                "\n    response_model=dict,  # the body\n    status_code=http.HTTP_201_CREATED\n)\n"
                "def create_user(): ...\n", unsafe=True),
        Invalid(_H + "@app.api_route(('/tokens_list'), methods=['POST'])\ndef add(): ...\n",
                _H + f"@app.api_route(('/tokens_list'), methods=['POST'], {_CREATED})\ndef add(): ...\n",
                unsafe=True),
        Invalid(_H + "@app.post('/a')\n@app.post('/b')\ndef create(): ...\n",
                _H + f"@app.post('/a', {_CREATED})\n@app.post('/b', {_CREATED})\ndef create(): ...\n",
                count=2, unsafe=True),
        Invalid("from fastapi import APIRouter\nfrom starlette import status\nrouter = APIRouter()\n"
                "class Items:\n    @router.post('/items/{item_id}/tags')\n    def add_tag(self, item_id: int): ...\n",
                "from fastapi import APIRouter\nfrom starlette import status\nrouter = APIRouter()\n"
                f"class Items:\n    @router.post('/items/{{item_id}}/tags', {_CREATED})\n"
                "    def add_tag(self, item_id: int): ...\n", unsafe=True),
        Invalid("import fastapi\nfrom app.routes import router\n@router.post('/orders')\nasync def place(): ...\n",
                "import fastapi\nfrom app.routes import router\nfrom fastapi import status\n"
                f"@router.post('/orders', {_CREATED})\nasync def place(): ...\n", unsafe=True),
        Invalid("import fastapi\napp = fastapi.FastAPI()\nstatus = 'draft'\n@app.post('/drafts')\ndef add(): ...\n",
                "import fastapi\napp = fastapi.FastAPI()\nstatus = 'draft'\n"
                "@app.post('/drafts', status_code=fastapi.status.HTTP_201_CREATED)\ndef add(): ...\n", unsafe=True),
        Invalid(_I + "status = 'draft'\n@app.post('/drafts')\ndef add(): ...\n"),
        Invalid(_H + "@app.post('/checkouts')\ndef create_checkout(): ...\n",
                _H + f"@app.post('/checkouts', {_CREATED})\ndef create_checkout(): ...\n", unsafe=True),
        Invalid(_H + "@app.post('/api-tokens')\ndef create_api_key(): ...\n",
                _H + f"@app.post('/api-tokens', {_CREATED})\ndef create_api_key(): ...\n", unsafe=True),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        words = _split_words(ctx.config.non_creating_post_words)
        for operation in ctx.model.path_operations:
            if set(operation.methods) != {"POST"} or operation.has_keyword("status_code"):
                continue
            if _names_an_action(operation, words):
                continue
            route = operation.path if operation.path is not None else ctx.document.node_text(operation.decorator)
            ctx.report(operation.decorator, functools.partial(_fix, operation=operation), route=route)


def _split_words(configured: Iterable[str]) -> list[tuple[str, ...]]:
    return [tuple(w) for w in (_words(entry) for entry in configured) if w]


def _words(text: str) -> list[str]:
    """`login_for_accessToken` and `bulk-import` split into lower-case words."""
    return [w.lower() for w in _WORD_SPLIT.split(text) if w]


def _names_an_action(operation: PathOperation, action_words: list[tuple[str, ...]]) -> bool:
    """True when the handler name or the last literal path segment holds a non-creating action word."""
    candidates = [_words(operation.function.name)]
    if operation.path is not None:
        segments = [s for s in (_PATH_PARAMETER.sub("", part) for part in operation.path.split("/")) if s]
        if segments:
            candidates.append(_words(segments[-1]))
    for words in candidates:
        for action in action_words:
            width = len(action)
            if any(tuple(words[start:start + width]) == action for start in range(len(words) - width + 1)):
                return True
    return False


def _fix(fixer: FixContext, operation: PathOperation) -> Optional[list[Edit]]:
    reference = _status_reference(fixer, operation.decorator)
    if reference is None:
        return None
    prefix, import_edits = reference
    keyword = append_keyword(fixer, operation.decorator, f"status_code={prefix}.HTTP_201_CREATED")
    return None if keyword is None else [*import_edits, *keyword]


def _status_reference(fixer: FixContext, decorator: ast.Call) -> Optional[tuple[str, list[Edit]]]:
    """How to spell the `status` module at the decorator, and the import edits that makes it usable."""
    names = fixer.names
    if names is None:
        return None
    anchor = next((n for n in ast.walk(decorator) if isinstance(n, ast.Name)), None)
    scope = names.scope_of(anchor) if anchor is not None else names.module_scope
    position = (decorator.lineno, decorator.col_offset)
    existing = names.lookup("status", scope, position)
    if existing is not None and existing.kind is BindingKind.IMPORT and existing.qualified_name in _STATUS_MODULES:
        return "status", []
    local, edits = fixer.add_import("fastapi", "status")
    bound = names.lookup(local, scope, position)
    if bound is None or (bound.kind is BindingKind.IMPORT and bound.qualified_name in _STATUS_MODULES):
        return local, edits
    for binding in names.imports():
        if binding.qualified_name == "fastapi" and binding.scope is names.module_scope:
            visible = names.lookup(binding.name, scope, position)
            if visible is binding:
                return f"{binding.name}.status", []
    return None
