"""FAP409 unmaintained-auth-library: imports of python-jose (`jose`) or `passlib`, both without active upkeep."""

from __future__ import annotations

import ast
from typing import Optional, Union

from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity

_REPLACEMENTS = {
    "jose": ("python-jose", "`PyJWT` (`import jwt`)"),
    "passlib": ("passlib", "`pwdlib`"),
}


class UnmaintainedAuthLibrary(Rule):
    """
    ## What it does
    Flags every import statement that imports `jose` (the python-jose package) or `passlib`, or one of their
    submodules, in any file. One finding per statement.

    ## Why is this bad?
    Both libraries sit under token signing and password hashing, where unfixed bugs become security holes,
    and both have gone years without regular releases: python-jose has open advisories about algorithm
    confusion and oversized tokens, and passlib breaks on current `bcrypt` releases and on Python versions
    that dropped the `crypt` module. FastAPI's own security tutorials moved to `PyJWT` for tokens and `pwdlib`
    for password hashes, both maintained and with small, similar APIs.

    ## Example
    ```python
    from jose import jwt


    def issue(subject: str, key: str) -> str:
        return jwt.encode({"sub": subject}, key, algorithm="HS256")
    ```

    Use instead:
    ```python
    import jwt


    def issue(subject: str, key: str) -> str:
        return jwt.encode({"sub": subject}, key, algorithm="HS256")
    ```
    """

    code = "FAP409"
    name = "unmaintained-auth-library"
    message = "`{module}` ({package}) is no longer maintained: use {replacement}"
    severity = Severity.INFORMATION
    node_types = (ast.Import, ast.ImportFrom)
    trigger_words = ("jose", "passlib")

    VALID = (
        Valid("import jwt\nfrom pwdlib import PasswordHash\n"),
        Valid("from josepy import jwk\n"),
        Valid("import passlib_extras\n"),
        Valid("from . import jose\n"),
        Valid("from .jose import jwt\n"),
        Valid("from app.security import passlib\n"),
        Valid("jose = 'José'\npasslib = None\n"),
        Valid("# from jose import jwt\nimport jwt\n"),
        Valid("from authlib.jose import JsonWebToken\n"),
    )
    INVALID = (
        Invalid("from jose import jwt, JWTError\n"),
        Invalid("from jose.exceptions import ExpiredSignatureError\n"),
        Invalid("import jose\n"),
        Invalid("import jose.jwt as jose_jwt\n"),
        Invalid("from passlib.context import CryptContext\n"),
        Invalid("import os, passlib.hash\n"),
        Invalid("from jose import jwt\nfrom passlib.context import CryptContext\n", count=2),
        Invalid("import jose, passlib\n"),
        Invalid("try:\n    from jose import jwt\nexcept ImportError:\n    jwt = None\n"),
        Invalid("def hasher():\n    from passlib.hash import bcrypt\n    return bcrypt\n"),
    )

    def visit(self, node: Union[ast.Import, ast.ImportFrom], ctx: RuleContext) -> None:
        if isinstance(node, ast.ImportFrom):
            module = _library(node.module) if node.level == 0 else None
            where: ast.AST = node
        else:
            found = next((alias for alias in node.names if _library(alias.name)), None)
            module = _library(found.name) if found is not None else None
            where = found if found is not None else node
        if module is None:
            return
        package, replacement = _REPLACEMENTS[module]
        ctx.report(where, module=module, package=package, replacement=replacement)


def _library(dotted: Optional[str]) -> Optional[str]:
    root = (dotted or "").split(".", 1)[0]
    return root if root in _REPLACEMENTS else None
