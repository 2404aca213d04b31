"""FAP412 plaintext-password-stored: a password goes, unhashed, into a field meant for its hash."""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from ..engine.names import BindingKind, SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity

_PASSWORD_NAMES = frozenset({"password", "plain_password", "raw_password"})
_HASH_NAMES = frozenset({"hashed_password", "password_hash"})
_TRANSPARENT_METHODS = frozenset({"get_secret_value", "strip", "encode"})  # still the password as typed

_M = "from app.models import User\n"


class PlaintextPasswordStored(Rule):
    """
    ## What it does
    Flags a value read from a variable, attribute or key named `password`, `plain_password` or
    `raw_password` that is handed as it is to a keyword, attribute, dictionary key or item named
    `hashed_password`, `password_hash` or `*_hash`: `User(hashed_password=payload.password)`,
    `user.password_hash = password`, `{"hashed_password": form["password"]}`. Reading the text through
    `.get_secret_value()`, `.strip()`, `.encode()` or `str()` still counts as the password as typed; any
    other call around it (a hashing function) is trusted, and so is a name last assigned from such a call
    (`password = hasher.hash(password)`).

    ## Why is this bad?
    The field's name promises a hash, so nobody looks twice, but the database now holds every user's
    password in clear text. One leaked backup, log line or SQL injection exposes them all, including the
    accounts those users protect with the same password elsewhere. Login usually breaks too, since the
    verification step compares a hash with the stored plain text. Hash with a slow password hash
    (Argon2 or bcrypt, through `pwdlib` for instance) before storing.

    ## Example
    ```python
    from pydantic import BaseModel


    class UserCreate(BaseModel):
        email: str
        password: str


    class UserRow(BaseModel):
        email: str
        hashed_password: str


    def register(payload: UserCreate) -> UserRow:
        return UserRow(email=payload.email, hashed_password=payload.password)
    ```

    Use instead:
    ```python
    from pydantic import BaseModel
    from pwdlib import PasswordHash

    password_hash = PasswordHash.recommended()


    class UserCreate(BaseModel):
        email: str
        password: str


    class UserRow(BaseModel):
        email: str
        hashed_password: str


    def register(payload: UserCreate) -> UserRow:
        return UserRow(email=payload.email, hashed_password=password_hash.hash(payload.password))
    ```
    """

    code = "FAP412"
    name = "plaintext-password-stored"
    message = "`{target}` receives the plain `{source}`: hash the password before storing it"
    severity = Severity.ERROR
    node_types = (ast.Call, ast.Assign, ast.AnnAssign, ast.Dict)
    trigger_words = ("hash", "Hash", "HASH")

    VALID = (
        Valid(_M + "from app.security import hash_password\n"
              "def create(payload):\n    return User(hashed_password=hash_password(payload.password))\n"),
        Valid(_M + "def create(payload, hasher):\n    return User(hashed_password=hasher.hash(payload.password))\n"),
        Valid(_M + "def create(payload):\n    return User(password=payload.password)\n"),
        Valid(_M + "def create(payload, digest):\n    return User(hashed_password=digest)\n"),
        Valid(_M + "def create(payload):\n    return User(hashed_password=payload.hashed_password)\n"),
        Valid("def update(user, pw):\n    user.hashed_password = pw.password_hash\n"),
        Valid("def check(user, password):\n    return user.hashed_password == password\n"),
        Valid("def f(form):\n    file_hash = form.password\n    return file_hash\n"),
        Valid("def f(user, password):\n    return verify(password, user.hashed_password)\n"),
        Valid("def f(form):\n    return {'hashed_password': '...', 'password': form.password}\n"),
        Valid(_M + "def f(form):\n    return User(content_hash=form.password_confirmation)\n"),
        Valid(_M + "from app.security import hasher\ndef create(password):\n    password = hasher.hash(password)\n"
              "    return User(hashed_password=password)\n"),
        Valid("class Row:\n    def __init__(self, password_hash):\n        self.password_hash = password_hash\n"),
    )
    INVALID = (
        Invalid(_M + "def create(payload):\n    return User(hashed_password=payload.password)\n"),
        Invalid(_M + "def create(password: str):\n    return User(email='a', password_hash=password)\n"),
        Invalid("def update(user, form):\n    user.hashed_password = form.password\n"),
        Invalid("def update(user, plain_password):\n    user.pw_hash: str = plain_password\n"),
        Invalid("def build(form):\n    return {'hashed_password': form['password']}\n"),
        Invalid(_M + "def create(form):\n    password = form.password.strip()\n    return User(hashed_password=password)\n"),
        Invalid("def build(row, data):\n    row['password_hash'] = data.get('raw_password')\n"),
        Invalid(_M + "def create(payload):\n    return User(hashed_password=payload.password.get_secret_value())\n"),
        Invalid("from sqlalchemy import insert\nfrom app.tables import users\n"
                "def q(body):\n    return insert(users).values(Hashed_Password=str(body.password))\n"),
        Invalid(_M + "class Service:\n    async def signup(self, data):\n        user = User(\n"
                "            email=data.email,\n            hashed_password=data.password,  # TODO\n        )\n"
                "        user.password_hash = data.password\n        return user\n", count=2),
    )

    def visit(self, node: ast.AST, ctx: RuleContext) -> None:
        for target, value in _assignments(node):
            if not _is_hash_name(target):
                continue
            source = _password_read(value, ctx.names)
            if source is not None:
                ctx.report(value, target=target, source=source)


def _assignments(node: ast.AST) -> Iterator[tuple[str, ast.expr]]:
    """(name the value is stored under, value) pairs a node makes: keywords, attribute/item targets, dict keys."""
    if isinstance(node, ast.Call):
        for keyword in node.keywords:
            if keyword.arg is not None:
                yield keyword.arg, keyword.value
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield key.value, value
    elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            name = _stored_name(target)
            if name is not None:
                yield name, node.value


def _stored_name(target: ast.expr) -> Optional[str]:
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        key = target.slice.value
        return key if isinstance(key, str) else None
    return None


def _is_hash_name(name: str) -> bool:
    lowered = name.lower()
    return lowered in _HASH_NAMES or lowered.endswith("_hash")


def _password_read(value: ast.expr, names: SymbolTable) -> Optional[str]:
    """The spelling of the password read when `value` is one (possibly unwrapped but not transformed)."""
    while isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr in _TRANSPARENT_METHODS:
            value = func.value
        elif names.qualified_name(func) == "builtins.str" and len(value.args) == 1 and not value.keywords:
            value = value.args[0]
        elif (isinstance(func, ast.Attribute) and func.attr == "get" and value.args
              and isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str)):
            return ast.unparse(value) if value.args[0].value.lower() in _PASSWORD_NAMES else None
        else:
            return None
    name: Optional[str] = None
    if isinstance(value, ast.Name):
        binding = names.binding_of(value)
        assigned = binding.value if binding is not None and binding.kind is BindingKind.ASSIGNMENT else None
        if isinstance(assigned, ast.Call) and _password_read(assigned, names) is None:
            return None  # `password = hasher.hash(password)`: the name now holds something computed
        name = value.id
    elif isinstance(value, ast.Attribute):
        name = value.attr
    elif isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Constant) and isinstance(value.slice.value, str):
        name = value.slice.value
    return ast.unparse(value) if name is not None and name.lower() in _PASSWORD_NAMES else None
