"""FAP404 jwt-decode-unverified: `jwt.decode()` that does not pin the algorithms or skips the signature check."""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fastapi_model import keyword_value
from ..engine.names import SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity
from ._assigned import assigned_value

_DECODERS = frozenset(
    {"jwt.decode", "jwt.decode_complete", "jwt.api_jwt.decode", "jwt.api_jwt.decode_complete", "jose.jwt.decode"}
)
_ALGORITHMS_POSITION = 2  # decode(token, key, algorithms, ...) in PyJWT and python-jose alike

_NO_ALGORITHMS = "passes no `algorithms=` list, so the token's own header chooses how it is checked"
_NO_SIGNATURE = "turns signature verification off, so a forged token is accepted"
_NONE_ALGORITHM = "allows the `none` algorithm, so an unsigned token is accepted"

_PYJWT = "import jwt\n"
_JOSE = "from jose import jwt\n"


class JwtDecodeUnverified(Rule):
    """
    ## What it does
    Flags `jwt.decode(...)` from PyJWT (`import jwt`) and python-jose (`from jose import jwt`) when the call
    passes no `algorithms` list (by keyword or as third argument), turns the signature check off
    (`options={"verify_signature": False}`, or PyJWT 1's `verify=False`), or lists the `none` algorithm.
    Names are resolved through imports, so `import jwt as pyjwt` is found and an unrelated object with a
    `decode` method is not. An `algorithms` value read from settings is trusted.

    ## Why is this bad?
    A JWT is only as good as its signature check. Without a fixed list of algorithms the token's header picks
    one: the classic attacks switch an RS256 token to HS256 signed with the public key, or to `none`, which
    carries no signature at all. With verification off, anyone can write any claims (`"sub": "admin"`) and
    the dependency that reads the current user will believe them. PyJWT 2 refuses to verify without
    `algorithms`, so there the call fails on every request instead.

    ## Example
    ```python
    import jwt


    def read_claims(token: str, key: str) -> dict[str, str]:
        return jwt.decode(token, key, options={"verify_signature": False})
    ```

    Use instead:
    ```python
    import jwt


    def read_claims(token: str, key: str) -> dict[str, str]:
        return jwt.decode(token, key, algorithms=["HS256"])
    ```
    """

    code = "FAP404"
    name = "jwt-decode-unverified"
    message = "`{call}` {problem}"
    severity = Severity.ERROR
    node_types = (ast.Call,)
    trigger_words = ("jwt", "jose")

    VALID = (
        Valid(_PYJWT + "def f(t, k):\n    return jwt.decode(t, k, algorithms=['HS256'])\n"),
        Valid(_PYJWT + "def f(t, k):\n    return jwt.decode(t, k, ['RS256'])\n"),
        Valid(_JOSE + "from app.config import settings\ndef f(t):\n"
              "    return jwt.decode(t, settings.KEY, algorithms=[settings.ALGORITHM])\n"),
        Valid(_PYJWT + "def f(t, k):\n    return jwt.decode(t, k, algorithms=['HS256'], options={'verify_exp': False})\n"),
        Valid(_PYJWT + "def f(t, k):\n    return jwt.decode(t, k, algorithms=['HS256'], options={'verify_signature': True})\n"),
        Valid(_PYJWT + "def f(t):\n    return jwt.get_unverified_header(t)\n"),
        Valid("from authlib.jose import jwt\ndef f(t, k):\n    return jwt.decode(t, k)\n"),
        Valid("import base64\ndef f(t):\n    return base64.b64decode(t)\n"),
        Valid(_PYJWT + "def f(jwt, t):\n    return jwt.decode(t)\n"),
        Valid("class Codec:\n    def decode(self, t): ...\njwt = Codec()\nclaims = jwt.decode('x')\n"),
        Valid(_PYJWT + "ALGORITHMS = ['HS256']\ndef f(t, k):\n    return jwt.decode(t, k, algorithms=ALGORITHMS)\n"),
        Valid(_PYJWT + "def f(t, k, **extra):\n    return jwt.decode(t, k, **extra)\n"),
    )
    INVALID = (
        Invalid(_PYJWT + "def f(t, k):\n    return jwt.decode(t, k)\n"),
        Invalid(_JOSE + "def f(t, k):\n    return jwt.decode(t, k)\n"),
        Invalid("import jwt as pyjwt\ndef f(t, k):\n    return pyjwt.decode(t, k, algorithms=None)\n"),
        Invalid(_PYJWT + "def f(t):\n    return jwt.decode(t, options={'verify_signature': False})\n"),
        Invalid(_JOSE + "def f(t, k):\n    return jwt.decode(t, k, algorithms=['HS256'], options={'verify_signature': False})\n"),
        Invalid(_PYJWT + "def f(t, k):\n    return jwt.decode(t, k, verify=False)\n"),
        Invalid(_PYJWT + "def f(t, k):\n    return jwt.decode(t, k, algorithms=['HS256', 'none'])\n"),
        Invalid("from jwt import decode\ndef f(t, k):\n    return decode(t, k, ['NONE'])\n"),
        Invalid(_PYJWT + "UNVERIFIED = {'verify_signature': False}\ndef f(t, k):\n"
                "    return jwt.decode(t, k, algorithms=['HS256'], options=UNVERIFIED)\n"),
        Invalid(_PYJWT + "def f(t, k):\n    return jwt.decode_complete(t, k)\n"),
        Invalid(_PYJWT + "class Auth:\n    async def user(self, t):\n        def inner():\n"
                "            return jwt.decode(t, 'k')\n        return inner()\n"),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        if ctx.qualified_name(node.func) not in _DECODERS:
            return
        found = _problem(node, ctx.names)
        if found is not None:
            where, problem = found
            ctx.report(where, call=f"{ctx.document.node_text(node.func)}()", problem=problem)


def _problem(call: ast.Call, names: SymbolTable) -> Optional[tuple[ast.AST, str]]:
    """The first reason the call does not verify the token properly, and the node that shows it."""
    verify = next((k for k in call.keywords if k.arg == "verify"), None)
    if verify is not None and _is_false(verify.value):
        return verify, _NO_SIGNATURE
    options = next((k for k in call.keywords if k.arg == "options"), None)
    if options is not None:
        table = assigned_value(options.value, names)
        if isinstance(table, ast.Dict) and any(
            isinstance(key, ast.Constant) and key.value == "verify_signature" and _is_false(value)
            for key, value in zip(table.keys, table.values)
        ):
            return options, _NO_SIGNATURE
    algorithms = keyword_value(call, "algorithms")
    if algorithms is None and len(call.args) > _ALGORITHMS_POSITION:
        algorithms = call.args[_ALGORITHMS_POSITION]
    if algorithms is None:
        has_spread = any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args)
        return None if has_spread else (call.func, _NO_ALGORITHMS)
    if isinstance(algorithms, ast.Constant) and algorithms.value is None:
        return algorithms, _NO_ALGORITHMS
    listed = assigned_value(algorithms, names)
    if isinstance(listed, (ast.List, ast.Tuple, ast.Set)):
        for element in listed.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str) and element.value.lower() == "none":
                return (element if listed is algorithms else algorithms), _NONE_ALGORITHM
    return None


def _is_false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is False
