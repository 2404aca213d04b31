"""FAP403 hardcoded-secret: secrets, passwords and tokens written into the source instead of read at run time."""

from __future__ import annotations

import ast
import functools
from typing import Iterator, Optional

from ..engine.config import Config
from ..engine.fastapi_model import keyword_value
from ..engine.names import SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity
from ._secret_literals import Secret, inline_password_url, joined_url_has_password, secret_literal

_SECRET_WORDS = ("secret", "secret_key", "password", "passwd", "pwd", "api_key", "private_key", "access_key", "token")
_JWT_FUNCTIONS = frozenset(
    f"{module}.{function}" for module in ("jwt", "jwt.api_jwt", "jose.jwt") for function in ("encode", "decode")
)
_FIELD_FUNCTIONS = frozenset({"pydantic.Field", "pydantic.fields.Field", "sqlmodel.Field"})
_SECRET_WRAPPERS = frozenset({"pydantic.SecretStr", "pydantic.SecretBytes", "pydantic.types.SecretStr"})
_ENUM_BASES = frozenset({"enum.Enum", "enum.StrEnum", "enum.IntEnum", "enum.Flag"})


class HardcodedSecret(Rule):
    """
    ## What it does
    Flags a non-empty string literal stored under a secret's name: a variable, attribute, settings field,
    keyword argument or parameter default whose lower-cased name is `secret`, `secret_key`, `password`,
    `passwd`, `pwd`, `api_key`, `private_key`, `access_key` or `token`, or ends with `_` and one of them
    (`SECRET_KEY`, `jwt_secret`, `DB_PASSWORD`, `github_token`; not `tokenUrl` or `token_type`). It also
    flags a literal key given to `jwt.encode`/`jwt.decode`, and a database or broker URL literal with an
    inline password (`postgresql://app:hunter2@db/app`, `redis://:pw@cache:6379`) wherever it stands.

    Left alone: empty strings, reads of `os.environ`/`os.getenv`, placeholders that are not a value
    (`"${DB_PASSWORD}"`, `"<token>"`, `"{password}"`, `"[PAD]"`, `"***"`, a regular expression), enum
    members, values that name a secret instead of holding one (the environment variable name
    `"AWS_SECRET_ACCESS_KEY"`, the error code `INVALID_PASSWORD = "INVALID_PASSWORD"`, the key
    `PASSWORD = "password"`), values shorter than three characters (a tokenizer's `token = ":"`), text with
    spaces (a label or a prompt), and test code (files under `tests/`, `test_*.py`, `conftest.py`: the
    `test-patterns` setting).

    ## Why is this bad?
    A secret in the source is in every clone, fork, backup, CI log and container image of the project, and
    stays in the git history after it is removed. It is also the same in every environment, so the key that
    signs production JWTs is the one on every laptop. Read secrets at start-up from the environment or a
    secrets manager, typically through a `pydantic-settings` field without a default, so that a missing
    secret stops the app instead of silently using a known one.

    ## Example
    ```python
    import jwt

    SECRET_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4c"


    def issue(user_id: str) -> str:
        return jwt.encode({"sub": user_id}, SECRET_KEY, algorithm="HS256")
    ```

    Use instead:
    ```python
    import jwt
    from pydantic_settings import BaseSettings


    class Settings(BaseSettings):
        secret_key: str


    settings = Settings()


    def issue(user_id: str) -> str:
        return jwt.encode({"sub": user_id}, settings.secret_key, algorithm="HS256")
    ```
    """

    code = "FAP403"
    name = "hardcoded-secret"
    message = "Hard-coded secret {what}: read it from the environment or a settings object"
    severity = Severity.ERROR
    node_types = (ast.Assign, ast.AnnAssign, ast.Call, ast.arguments, ast.Constant, ast.JoinedStr)
    trigger_words = (
        "secret", "Secret", "SECRET", "password", "Password", "PASSWORD", "passwd", "PASSWD", "pwd", "PWD",
        "api_key", "Api_Key", "API_KEY", "private_key", "PRIVATE_KEY", "access_key", "ACCESS_KEY",
        "token", "Token", "TOKEN", "://", "jwt",
    )

    VALID = (
        Valid("import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDB_PASSWORD = os.getenv('DB_PASSWORD', '')\n"),
        Valid("SECRET_KEY = ''\npassword: str = ''\n"),
        Valid("from fastapi.security import OAuth2PasswordBearer\noauth2 = OAuth2PasswordBearer(tokenUrl='token')\n"
              "def f():\n    return {'access_token': 'x', 'token_type': 'bearer'}\n"),
        Valid("SECRET_KEY = 'abc123'\n", path="tests/test_auth.py"),
        Valid("DATABASE_URL = 'postgresql://app:hunter2@db/app'\n", path="app/tests/helpers.py"),
        Valid("from enum import Enum\nclass ErrorCode(str, Enum):\n    BAD_TOKEN = 'BAD_TOKEN'\n    WRONG_PASSWORD = 'wrong'\n"),
        Valid("INVALID_PASSWORD = 'INVALID_PASSWORD'\nRESET_TOKEN = 'reset-token'\nPASSWORD = 'password'\n"),
        Valid("DATABASE_URL = 'postgresql://app@db/app'\nURL = 'postgresql://{user}:{password}@{host}/db'\n"
              "REDIS = 'redis://:${REDIS_PASSWORD}@cache:6379'\nMASKED = 'postgresql://app:***@db/app'\n"),
        Valid("HELP = 'Use postgresql://user:pass@host/db to connect'\nWEB = 'https://user:pass@example.com/'\n"),
        Valid("password_label = 'Password'\npassword_field = 'pw'\ntoken_url = '/token'\n"
              "password = 'Enter your password'\n"),
        Valid("import jwt\ndef f(t, key):\n    return jwt.decode(t, key, algorithms=['HS256'])\n"),
        Valid("def login(username: str, password: str = None, token: str = ''):\n    ...\n"),
        Valid("SECRET_KEY = '<your secret key>'\nAPI_KEY = '${API_KEY}'\npad_token = '[PAD]'\n"),
        Valid("ACCESS_KEY = 'AWS_ACCESS_KEY_ID'\nSECRET_KEY = 'aws_secret_access_key'\nTOKEN = 'AuthToken'\n"
              "next_token = '0'\nword_token = r'[^\\W\\d]\\w*'\npassword = ':****'\n"),
    )
    INVALID = (
        Invalid("SECRET_KEY = '09d25e094faa6ca2556c818166b7a95'\n"),
        Invalid("class Settings:\n    jwt_secret: str = 'changeme'\n    DB_PASSWORD = 'hunter2'\n", count=2),
        Invalid("from pydantic_settings import BaseSettings\nfrom pydantic import Field, SecretStr\n"
                "class Settings(BaseSettings):\n    api_key: str = Field('sk-live-123')\n"
                "    private_key: SecretStr = SecretStr('-----BEGIN-----')\n", count=2),
        Invalid("def connect(host, password='hunter2'):\n    ...\nf = lambda github_token='ghp_123': github_token\n", count=2),
        Invalid("import redis\nclient = redis.Redis(host='cache', password='hunter2')\n"),
        Invalid("class Client:\n    def __init__(self):\n        self.access_key = 'AKIA123'\n"),
        Invalid("import jwt\ndef issue(claims):\n    return jwt.encode(claims, 'my-signing-key', algorithm='HS256')\n"),
        Invalid("from jose import jwt\ndef read(t):\n    return jwt.decode(t, key='k3y', algorithms=['HS256'])\n"),
        Invalid("DATABASE_URL = 'postgresql+asyncpg://app:hunter2@db:5432/app'\n"),
        Invalid("from sqlalchemy import create_engine\nengine = create_engine('mysql://root:root@localhost/shop')\n"),
        Invalid("BROKER = 'amqp://guest:guest@rabbit//'\nCACHE = 'redis://:s3cret@cache:6379/0'\n", count=2),
        Invalid("def url(host):\n    return f'mongodb+srv://admin:pa55@{host}/db'\n"),
        Invalid("SECRET = b'raw-key-bytes'\npwd = 'abc'\n", count=2),
        Invalid("SECRET = 'SECRET'\npassword = 'password'\nPASSWORD = 'password'\n", count=2),
        Invalid("import os\nos.environ.setdefault('X', 'y')\nsettings.SECRET_KEY = 'dev'\n"),
    )

    def visit(self, node: ast.AST, ctx: RuleContext) -> None:
        if _is_test_file(ctx.path, ctx.config):
            return
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and inline_password_url(node.value):
                ctx.report(node, what="in a database URL")
            return
        if isinstance(node, ast.JoinedStr):
            if joined_url_has_password(node):
                ctx.report(node, what="in a database URL")
            return
        if isinstance(node, ast.Call) and ctx.qualified_name(node.func) in _JWT_FUNCTIONS:
            key = node.args[1] if len(node.args) > 1 else keyword_value(node, "key")
            if key is not None and secret_literal(key) is not None:
                ctx.report(key, what=f"key passed to `{ctx.document.node_text(node.func)}`")
        for name, value in _named_values(node, ctx):
            literal = secret_literal(_unwrapped(value, ctx.names))
            if literal is None or not _is_secret_name(name) or _looks_like_a_name(literal, name):
                continue
            ctx.report(value, what=f"in `{name}`")


def _is_test_file(path: str, config: Config) -> bool:
    return _matches_test_patterns(path, config.test_patterns, config.root)


@functools.lru_cache(maxsize=256)
def _matches_test_patterns(path: str, patterns: tuple[str, ...], root: Optional[str]) -> bool:
    """Cached per file: the rule asks at every node it visits, and matching may resolve the path on disk."""
    return Config(test_patterns=patterns, root=root).is_test_file(path)


def _named_values(node: ast.AST, ctx: RuleContext) -> Iterator[tuple[str, ast.expr]]:
    """(name, value) pairs the node stores: assignment targets, call keywords, parameter defaults."""
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        if _in_enum_class(ctx):
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                yield target.id, node.value
            elif isinstance(target, ast.Attribute):
                yield target.attr, node.value
    elif isinstance(node, ast.Call):
        for keyword in node.keywords:
            if keyword.arg is not None:
                yield keyword.arg, keyword.value
    elif isinstance(node, ast.arguments):
        positional = [*node.posonlyargs, *node.args]
        for arg, default in zip(positional[len(positional) - len(node.defaults):], node.defaults):
            yield arg.arg, default
        for arg, keyword_default in zip(node.kwonlyargs, node.kw_defaults):
            if keyword_default is not None:
                yield arg.arg, keyword_default


def _in_enum_class(ctx: RuleContext) -> bool:
    owner = ctx.enclosing_scope()
    return isinstance(owner, ast.ClassDef) and any(ctx.qualified_name(b) in _ENUM_BASES for b in owner.bases)


def _unwrapped(value: ast.expr, names: SymbolTable) -> Optional[ast.expr]:
    """The literal inside `Field("x")`, `Field(default="x")` or `SecretStr("x")`; the value itself otherwise."""
    if not isinstance(value, ast.Call):
        return value
    callee = names.qualified_name(value.func)
    if callee in _FIELD_FUNCTIONS:
        return value.args[0] if value.args else keyword_value(value, "default")
    if callee in _SECRET_WRAPPERS and len(value.args) == 1:
        return value.args[0]
    return None


def _is_secret_name(name: str) -> bool:
    lowered = name.lower()
    return any(lowered == word or lowered.endswith(f"_{word}") for word in _SECRET_WORDS)


def _looks_like_a_name(literal: Secret, name: str) -> bool:
    """A constant naming a key with its own name (`PASSWORD = "password"`, `RESET_TOKEN = "reset-token"`).
    `SECRET = "SECRET"` is a placeholder secret and stays."""
    text = literal.decode("latin-1") if isinstance(literal, bytes) else literal
    return name.isupper() and text.islower() and text.replace("-", "_") == name.lower()
