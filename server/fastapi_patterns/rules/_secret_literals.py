"""Which string literals could hold a real secret, and which are database URLs with an inline password.

Owns the value side of FAP403: a literal stored under a secret's name only counts when it could hold a
secret (long enough, no spaces, not a template, a mask or a pattern, not the name of an environment variable
or config key), and a URL counts when its scheme is a database or broker and its password is literal text.
"""

from __future__ import annotations

import ast
import re
from typing import Optional, Union

Secret = Union[str, bytes]

_URL_SCHEMES = frozenset(
    {"postgres", "postgresql", "mysql", "mariadb", "oracle", "mssql", "sqlserver", "cockroachdb", "redis", "rediss",
     "amqp", "amqps", "mongodb", "kafka", "nats", "clickhouse", "neo4j", "bolt", "memcached", "couchbase"}
)
_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<user>[^:/@\s]*):(?P<password>[^@/\s]+)@[^\s]+")
_PLACEHOLDER = re.compile(r"[{}$<>%]|\*\*\*|^\.\.\.$|^\[.*\]$|\\[wdsbWDS]")  # templates, masks, patterns
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_KEY_WORDS = frozenset({"secret", "password", "passwd", "pwd", "token", "key", "access", "auth"})
_SHORTEST_SECRET = 3


def secret_literal(value: Optional[ast.expr]) -> Optional[Secret]:
    """The literal's value when it could be a real secret; None for anything else."""
    if not isinstance(value, ast.Constant) or not isinstance(value.value, (str, bytes)):
        return None
    text = value.value.decode("latin-1") if isinstance(value.value, bytes) else value.value
    if len(text) < _SHORTEST_SECRET or any(c.isspace() for c in text) or _PLACEHOLDER.search(text):
        return None
    if _names_a_key(text) or inline_password_url(text):
        return None  # a key's or variable's name; a URL is reported once, as a URL
    return value.value


def _names_a_key(text: str) -> bool:
    """An identifier of two words or more naming a secret rather than holding one: the environment variable
    `AWS_SECRET_ACCESS_KEY`, the config key `api_token`, `AWSAccessKeyId`. One word (`"changeme"`) stays."""
    if not text.isidentifier():
        return False
    words = [w.lower() for part in text.split("_") for w in _WORD.findall(part)]
    return len(words) > 1 and any(word in _KEY_WORDS for word in words)


def inline_password_url(text: str) -> bool:
    """`postgresql://app:hunter2@db/app`: a database or broker URL whose password is written out."""
    if "://" not in text or "@" not in text:
        return False
    match = _URL.fullmatch(text.strip())
    if match is None or match.group("scheme").lower().split("+", 1)[0] not in _URL_SCHEMES:
        return False
    return not _PLACEHOLDER.search(match.group("password"))


def joined_url_has_password(node: ast.JoinedStr) -> bool:
    """An f-string URL whose user and password are literal text (`f"postgresql://app:pw@{host}/db"`)."""
    parts = [p.value if isinstance(p, ast.Constant) and isinstance(p.value, str) else "{}" for p in node.values]
    if any(isinstance(p, ast.Constant) and isinstance(p.value, str) and inline_password_url(p.value)
           for p in node.values):
        return False  # the literal part alone is a full URL: reported as a plain string
    return inline_password_url("".join(parts))
