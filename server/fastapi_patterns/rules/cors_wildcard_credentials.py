"""FAP402 cors-wildcard-credentials: CORS that admits every origin while allowing credentials."""

from __future__ import annotations

import ast
import re
from typing import Optional

from ..engine.fastapi_model import keyword_value
from ..engine.names import SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity
from ._assigned import assigned_value

CORS_MIDDLEWARE = frozenset(
    {"fastapi.middleware.cors.CORSMiddleware", "starlette.middleware.cors.CORSMiddleware"}
)
_FOREIGN_ORIGINS = ("https://attacker.example", "http://evil.test:8080")

_IMPORT = "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\n"


class CorsWildcardCredentials(Rule):
    """
    ## What it does
    Flags a `CORSMiddleware` configured with `allow_credentials=True` and an `allow_origins` that contains
    `"*"`, or an `allow_origin_regex` that matches any origin (`".*"`, `"https?://.*"`). It looks at
    `app.add_middleware(CORSMiddleware, ...)`, `Middleware(CORSMiddleware, ...)` in a `middleware=[...]`
    list and `CORSMiddleware(app, ...)`, following a plain name one step (`origins = ["*"]`). Values read
    from settings are not guessed at.

    ## Why is this bad?
    Browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests, so with credentials allowed
    Starlette answers a request that carries cookies by echoing the caller's own origin back. Every website
    a user visits can then call the API with that user's cookies and read the answers: the same-origin
    protection is gone. List the front-ends that may call the API instead.

    ## Example
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware

    app = FastAPI()
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=True,
        allow_methods=["*"],
    )
    ```

    Use instead:
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware

    app = FastAPI()
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["https://app.example.com"],
        allow_credentials=True,
        allow_methods=["*"],
    )
    ```
    """

    code = "FAP402"
    name = "cors-wildcard-credentials"
    message = "CORS admits every origin ({origins}) with `allow_credentials=True`: any website can call the API as the user"
    severity = Severity.ERROR
    node_types = (ast.Call,)
    trigger_words = ("CORSMiddleware",)

    VALID = (
        Valid(_IMPORT + "app.add_middleware(CORSMiddleware, allow_origins=['*'])\n"),
        Valid(_IMPORT + "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=False)\n"),
        Valid(_IMPORT + "app.add_middleware(CORSMiddleware, allow_origins=['https://a.example'], allow_credentials=True)\n"),
        Valid(_IMPORT + "from app.config import settings\n"
              "app.add_middleware(CORSMiddleware, allow_origins=settings.origins, allow_credentials=True)\n"),
        Valid(_IMPORT + "app.add_middleware(CORSMiddleware, allow_origin_regex=r'https://.*\\.example\\.com',"
              " allow_credentials=True)\n"),
        Valid("from fastapi import FastAPI\nfrom app.middleware import CORSMiddleware\napp = FastAPI()\n"
              "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True)\n"),
        Valid(_IMPORT + "CONFIG = {'allow_origins': ['*'], 'allow_credentials': True}\n"),
        Valid(_IMPORT + "def setup(app, CORSMiddleware):\n"
              "    app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True)\n"),
        Valid(_IMPORT + "origins = ['*']\norigins = ['https://a.example']\n"
              "app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=True)\n"),
        Valid(_IMPORT + "app.add_middleware(CORSMiddleware, allow_origin_regex='(', allow_credentials=True)\n"),
    )
    INVALID = (
        Invalid(_IMPORT + "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True)\n"),
        Invalid(_IMPORT + "origins = ['*']\n"
                "app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=True)\n"),
        Invalid("import fastapi\nfrom starlette.middleware import Middleware\n"
                "from starlette.middleware.cors import CORSMiddleware as Cors\n"
                "app = fastapi.FastAPI(middleware=[Middleware(Cors, allow_origins=('*',), allow_credentials=True)])\n"),
        Invalid(_IMPORT + "app.add_middleware(CORSMiddleware, allow_origin_regex='.*', allow_credentials=True)\n"),
        Invalid(_IMPORT + "app.add_middleware(CORSMiddleware, allow_origin_regex=r'https?://.*', allow_credentials=True)\n"),
        Invalid(_IMPORT + "app.add_middleware(CORSMiddleware, allow_origins='*', allow_credentials=True)\n"),
        Invalid(_IMPORT + "wrapped = CORSMiddleware(app, allow_origins=['https://a.example', '*'], allow_credentials=True)\n"),
        Invalid(_IMPORT + "def create_app() -> FastAPI:\n    application = FastAPI()\n    application.add_middleware(\n"
                "        CORSMiddleware,\n        allow_origins=['*'],\n        allow_credentials=True,\n    )\n"
                "    return application\n"),
        Invalid("import fastapi.middleware.cors as cors\nfrom fastapi import FastAPI\napp = FastAPI()\n"
                "CREDENTIALS = True\napp.add_middleware(cors.CORSMiddleware, allow_origins=['*'], allow_credentials=CREDENTIALS)\n"),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        if not is_cors_registration(node, ctx.names):
            return
        credentials = assigned_value(keyword_value(node, "allow_credentials"), ctx.names)
        if not (isinstance(credentials, ast.Constant) and credentials.value is True):
            return
        origins = keyword_value(node, "allow_origins")
        if origins is not None and _contains_wildcard(assigned_value(origins, ctx.names)):
            ctx.report(origins, origins="`allow_origins` holds `\"*\"`")
            return
        pattern = keyword_value(node, "allow_origin_regex")
        if pattern is not None and _matches_any_origin(assigned_value(pattern, ctx.names)):
            ctx.report(pattern, origins="`allow_origin_regex` matches any origin")


def is_cors_registration(call: ast.Call, names: SymbolTable) -> bool:
    """`CORSMiddleware(app, ...)`, or a call that registers it as its first argument (`add_middleware`, `Middleware`)."""
    if names.qualified_name(call.func) in CORS_MIDDLEWARE:
        return True
    return bool(call.args) and names.qualified_name(call.args[0]) in CORS_MIDDLEWARE


def _contains_wildcard(value: Optional[ast.expr]) -> bool:
    if isinstance(value, ast.Constant):
        return value.value == "*"
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        return any(isinstance(e, ast.Constant) and e.value == "*" for e in value.elts)
    return False


def _matches_any_origin(value: Optional[ast.expr]) -> bool:
    if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
        return False
    try:
        pattern = re.compile(value.value)
    except re.error:
        return False
    return all(pattern.fullmatch(origin) for origin in _FOREIGN_ORIGINS)
