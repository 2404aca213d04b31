"""FAP201 post-missing-status-code: a POST path operation that answers `200 OK` where `201 Created` is meant."""

from __future__ import annotations

import ast
import functools
import re
from typing import Iterable, Optional

from ..engine.blocking import own_body
from ..engine.fastapi_model import PathOperation
from ..engine.fixes import FixContext
from ..engine.names import BindingKind, FunctionNode
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Severity
from ._call_arguments import append_keyword
from ._status_codes import status_reference

_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_PATH_PARAMETER = re.compile(r"\{[^{}]*\}")
_CREATING_WORDS = (("create",), ("add",), ("new",), ("insert",), ("register",), ("signup",), ("sign", "up"),
                   ("save",))
_RESPONSE_MODULES = ("fastapi.responses.", "starlette.responses.")

_H = "from fastapi import FastAPI, status\napp = FastAPI()\n"
_I = "from fastapi import FastAPI\napp = FastAPI()\n"
_CREATED = "status_code=status.HTTP_201_CREATED"


class PostMissingStatusCode(Rule):
    """
    ## What it does
    Flags a POST path operation whose handler's name says it creates something (`create_item`,
    `add_member`, `register_user`, `signup`, `save_order`, `insert_row`, `new_invoice`) and whose decorator
    sets no `status_code=`.

    Many POST routes create nothing: remote calls (`/invoke`, `/start`), computations, form echoes, reads
    that need a body. Nothing in the code tells those apart from a creation, so the rule only speaks when
    the name says "create" and deliberately leaves every other POST alone. It also stays silent when the
    handler's name or the last literal segment of its path holds an action word such as `login`, `token`,
    `search`, `run` or `export` (`create_access_token`, `/auth/token`): the list is the
    `non-creating-post-words` setting. Not flagged either: a handler that returns a `Response` it builds
    or sets `response.status_code` itself (the decorator's code would not apply), a route that serves
    POST together with other methods (one `status_code` would apply to every method), a decorator that
    forwards `**options` (it may carry the code), and webhooks and OpenAPI callbacks, which this app
    only documents.

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
        Valid(_I + "@app.post('/token')\ndef create_access_token(): ...\n"),
        Valid(_I + "@app.post('/auth/token')\ndef create(): ...\n"),
        Valid(_I + "@app.post('/reports/{report_id}/run')\ndef create_run(report_id: int): ...\n"),
        Valid(_I + "@app.post('/items/bulk-import')\ndef add_items(): ...\n"),
        Valid(_I + "@app.post('/documents')\ndef createDocumentSearch(): ...\n"),
        Valid(_I + "@app.get('/items')\ndef list_items(): ...\n"),
        Valid(_I + "@app.api_route('/items', methods=['GET', 'POST'])\ndef create_or_list_items(): ...\n"),
        Valid(_I + "OPTIONS = {'status_code': 201}\n@app.post('/items', **OPTIONS)\ndef create(): ...\n"),
        Valid("from flask import Flask\napp = Flask(__name__)\n@app.post('/items')\ndef create(): ...\n"),
        Valid("class Bus:\n    def post(self, path): ...\nbus = Bus()\n@bus.post('/items')\ndef create(): ...\n"),
        Valid("import fastapi\nimport requests as app\n@app.post('/items')\ndef create(): ...\n"),
        Valid(_I + "@app.post('/drafts')\ndef create_draft(): ...\n", config={"non-creating-post-words": ["draft"]}),
        Valid(_I + "@app.post('/sum')\ndef sum_numbers(): ...\n@app.post('/items/')\ndef read_model(): ...\n"
              "@app.post('/{name}/invoke')\nasync def invoke(name: str): ...\n"),
        Valid("from fastapi import FastAPI\nfrom fastapi.responses import JSONResponse as J\napp = FastAPI()\n"
              "@app.post('/cookie')\ndef create_cookie():\n    response = J(content={})\n    return response\n"
              "@app.post('/items')\ndef create_item():\n    return J(status_code=201, content={})\n"),
        Valid("from fastapi import FastAPI, Response\napp = FastAPI()\n@app.post('/items')\n"
              "def create_item(response: Response):\n    response.status_code = 201\n"),
        Valid(_I + "@app.webhooks.post('new-subscription')\ndef new_subscription(): ...\n"
              "@app.post('{$callback_url}/invoices')\ndef create_invoice(): ...\n"),
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
        Invalid("import fastapi\nfrom app.routes import router\n@router.post('/orders')\nasync def add_order(): ...\n",
                "import fastapi\nfrom app.routes import router\nfrom fastapi import status\n"
                f"@router.post('/orders', {_CREATED})\nasync def add_order(): ...\n", unsafe=True),
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
            if operation.is_documentation_only or not _holds(_words(operation.function.name), _CREATING_WORDS):
                continue
            if _names_an_action(operation, words) or _chooses_own_status(operation.function, ctx):
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
    return any(_holds(words, action_words) for words in candidates)


def _holds(words: list[str], phrases: Iterable[tuple[str, ...]]) -> bool:
    """True when one of the phrases (a tuple of words) occurs in `words` as consecutive words."""
    for phrase in phrases:
        width = len(phrase)
        if any(tuple(words[start:start + width]) == phrase for start in range(len(words) - width + 1)):
            return True
    return False


def _chooses_own_status(function: FunctionNode, ctx: RuleContext) -> bool:
    """The handler returns a `Response` it builds, or assigns `<response>.status_code`: the decorator's code
    would not be the one sent."""
    for node, _ancestors in own_body(function):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "status_code" for t in node.targets
        ):
            return True
        if isinstance(node, ast.Return) and node.value is not None and _builds_response(node.value, ctx):
            return True
    return False


def _builds_response(value: ast.expr, ctx: RuleContext) -> bool:
    if isinstance(value, ast.Name):
        binding = ctx.names.binding_of(value)
        if binding is None or binding.kind is not BindingKind.ASSIGNMENT or binding.value is None:
            return False
        value = binding.value
    if not isinstance(value, ast.Call):
        return False
    qualified = ctx.qualified_name(value.func) or ""
    return qualified.startswith(_RESPONSE_MODULES) or qualified == "fastapi.Response"


def _fix(fixer: FixContext, operation: PathOperation) -> Optional[list[Edit]]:
    reference = status_reference(fixer, operation.decorator)
    if reference is None:
        return None
    prefix, import_edits = reference
    keyword = append_keyword(fixer, operation.decorator, f"status_code={prefix}.HTTP_201_CREATED")
    return None if keyword is None else [*import_edits, *keyword]
