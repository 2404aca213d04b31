"""FAP301 sensitive-field-in-response: a response model carries a password, secret or key field."""

from __future__ import annotations

import ast
import fnmatch
from typing import Iterable, Optional

from ..engine.fastapi_model import PathOperation, annotated_parts, keyword_value
from ..engine.names import SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity
from ._pydantic_models import (
    ClassLookup, LocalModels, ModelField, all_fields, annotation_members, declared_fields, field_call, local_models,
    response_annotation, response_models, same_file_lookup,
)
from ._remote_response_models import remote_responders

_M = "from pydantic import BaseModel\n"
_ROUTES = "from fastapi import APIRouter\nrouter = APIRouter()\n"
_H = "from fastapi import FastAPI\nfrom pydantic import BaseModel\napp = FastAPI()\n"
_USER = "class User(BaseModel):\n    email: str\n    hashed_password: str\n"
# Fields a token endpoint answers with by design (OAuth2's token response).
_TOKEN_RESPONSE_FIELDS = frozenset({"access_token", "refresh_token", "id_token", "token_type", "expires_in"})
_UNKNOWN: frozenset[str] = frozenset({"<computed>"})
_MASKED_TYPES = frozenset({"pydantic.SecretStr", "pydantic.SecretBytes", "pydantic.types.SecretStr",
                           "pydantic.types.SecretBytes"})


class SensitiveFieldInResponse(Rule):
    """
    ## What it does
    Flags a field whose name is sensitive (`password`, `hashed_password`, `secret`, `api_key`, `ssn`, ...:
    the `sensitive-fields` setting, which also accepts patterns such as `*_secret`) in a Pydantic model that a
    path operation answers with, through `response_model=` or its return annotation. Containers and unions
    (`list[User]`, `Optional[User]`, `User | None`, `Sequence[User]`) are looked into, and fields inherited
    from base classes count. The finding sits on the field and names the path operation.

    Left alone: models only used as request bodies, the fields of an OAuth2 token response (`access_token`,
    `refresh_token`, `token_type`), fields typed `SecretStr`/`SecretBytes` (Pydantic masks them), fields
    declared with `Field(exclude=True)`, and fields kept out by a literal `response_model_exclude=` or
    `response_model_include=`. Models defined in another module are not followed yet.

    ## Why is this bad?
    FastAPI serialises every field of the response model. A password hash, an API key or a client secret
    in it goes to every client that calls the route, and into logs, caches and browser tools on the way.
    Keep one model for what the server stores and a separate, smaller one for what clients may see.

    ## Example
    ```python
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()


    class User(BaseModel):
        email: str
        hashed_password: str


    @app.get("/users/{user_id}", response_model=User)
    def read_user(user_id: int) -> User:
        return User(email="ada@example.com", hashed_password="x")
    ```

    Use instead:
    ```python
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()


    class UserPublic(BaseModel):
        email: str


    class UserInDB(UserPublic):
        hashed_password: str


    @app.get("/users/{user_id}", response_model=UserPublic)
    def read_user(user_id: int) -> UserInDB:
        return UserInDB(email="ada@example.com", hashed_password="x")
    ```
    """

    code = "FAP301"
    name = "sensitive-field-in-response"
    message = "Sensitive field `{field}` of `{model}` is sent to clients by {operation}{others}"
    severity = Severity.ERROR
    node_types = (ast.Module,)

    VALID = (
        Valid(_H + "class UserOut(BaseModel):\n    email: str\nclass UserIn(UserOut):\n    password: str\n"
              "@app.post('/users', response_model=UserOut)\ndef create(user: UserIn) -> UserIn: ...\n"),
        Valid(_H + "class Token(BaseModel):\n    access_token: str\n    token_type: str\n"
              "@app.post('/token')\ndef login() -> Token: ...\n"),
        Valid(_H + _USER + "@app.get('/u', response_model_exclude={'hashed_password'})\ndef read() -> User: ...\n"),
        Valid(_H + _USER + "@app.get('/u', response_model_include={'email'})\ndef read() -> User: ...\n"),
        Valid(_H + "from pydantic import SecretStr\nclass Creds(BaseModel):\n    api_key: SecretStr\n"
              "    secret: SecretStr | None = None\n@app.get('/c')\ndef read() -> Creds: ...\n"),
        Valid(_H + "from pydantic import Field\nclass U(BaseModel):\n    password: str = Field(exclude=True)\n"
              "@app.get('/u')\ndef read() -> U: ...\n"),
        Valid(_H + "from typing import Annotated\nfrom pydantic import Field\nclass U(BaseModel):\n"
              "    secret: Annotated[str, Field(exclude=True)]\n@app.get('/u')\ndef read() -> U: ...\n"),
        Valid(_H + _USER + "@app.get('/u', response_model=None)\ndef read() -> User: ...\n"),
        Valid(_H + _USER + "@app.websocket('/ws')\nasync def feed(ws) -> User: ...\n"),
        Valid(_H + _USER + "def helper() -> User: ...\n"),
        Valid("from dataclasses import dataclass\nfrom fastapi import FastAPI\napp = FastAPI()\n@dataclass\n"
              "class User:\n    password: str\n@app.get('/u')\ndef read() -> User: ...\n"),
        Valid(_H + "class Key(BaseModel):\n    key_id: str\n@app.get('/keys', response_model=list[Key])\n"
              "def keys(): ...\n"),
        Valid(_H + _USER + "@app.get('/u')\ndef read() -> User: ...\n", config={"sensitive-fields": ["ssn"]}),
        Valid(_M + "class UserIn(BaseModel):\n    password: str\nclass UserOut(BaseModel):\n    email: str\n",
              path="app/schemas.py",
              files={"app/users.py": _ROUTES + "from app.schemas import UserIn, UserOut\n"
                                     "@router.post('/users', response_model=UserOut)\ndef create(u: UserIn): ...\n"}),
        Valid(_M + "class User(BaseModel):\n    password: str\n", path="app/schemas.py",
              files={"app/users.py": _ROUTES + "from app.schemas import User\n"
                                     "@router.get('/u', response_model=User, response_model_exclude={'password'})\n"
                                     "def read(): ...\n"}),
    )
    INVALID = (
        Invalid(_H + _USER + "@app.get('/users/{user_id}', response_model=User)\ndef read_user(user_id: int): ...\n"),
        Invalid(_H + _USER + "@app.get('/users')\ndef list_users() -> list[User]: ...\n"),
        Invalid("import fastapi as f\nimport pydantic as p\nimport typing as t\napp = f.FastAPI()\n"
                "class User(p.BaseModel):\n    password: str\n@app.get('/u')\ndef read() -> t.Optional[User]: ...\n"),
        Invalid(_H + "from typing import List\nclass Base(BaseModel):\n    secret_key: str\nclass Out(Base):\n"
                "    name: str\n@app.get('/o', response_model=List[Out])\nasync def read(): ...\n"),
        Invalid(_H + _USER + "@app.get('/a', response_model=User | None)\ndef a(): ...\n"
                "@app.get('/b', response_model=User)\ndef b(): ...\n"),
        Invalid(_H + "class U(BaseModel):\n    password: str\n    api_key: str\n    ssn: str\n"
                "@app.get('/u')\ndef read() -> 'U': ...\n", count=3),
        Invalid("from fastapi import APIRouter\nfrom sqlmodel import SQLModel\nrouter = APIRouter()\n"
                "class Account(SQLModel):\n    client_secret: str\n@router.get('/a')\ndef a() -> Account: ...\n"),
        Invalid(_H + "class Node(BaseModel):\n    db_secret: str\n@app.get('/n')\ndef n() -> Node: ...\n",
                config={"sensitive-fields": ["*_secret"]}),
        Invalid(_H + _USER + "@app.get('/u', response_model_exclude={'email'})\ndef read() -> User: ...\n"),
        Invalid(_H + "class U(BaseModel):\n    PASSWORD: str\n@app.get('/u', response_model=dict[str, U])\n"
                "def read(): ...\n"),
        Invalid(_M + "class UserBase(BaseModel):\n    password: str\nclass UserOut(UserBase):\n    email: str\n",
                path="app/schemas.py",
                files={"app/users.py": _ROUTES + "from app.schemas import UserOut\n"
                                       "@router.get('/me')\ndef me() -> UserOut: ...\n"}),
        Invalid(_M + "class User(BaseModel):\n    api_key: str\n", path="app/schemas.py",
                files={"app/__init__.py": "", "app/users.py": _ROUTES + "from app import schemas\n"
                       "@router.get('/a', response_model=list[schemas.User])\ndef a(): ...\n"
                       "@router.get('/b')\ndef b() -> 'schemas.User': ...\n"}),
        Invalid(_M + "class Keyed(BaseModel):\n    private_key: str\n", path="app/base.py",
                files={"app/schemas.py": "from app.base import Keyed\nclass Out(Keyed):\n    name: str\n",
                       "app/users.py": _ROUTES + "from app.schemas import Out\n@router.get('/o')\ndef o() -> Out: ...\n"}),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        patterns = tuple(p.lower() for p in ctx.config.sensitive_fields)
        local = local_models(ctx.names)
        exposed = exposed_fields(ctx.model.path_operations, same_file_lookup(ctx), ctx.names, patterns)
        senders: dict[int, tuple[ModelField, list[str]]] = {}
        for field, operations in exposed:
            if local.is_model(field.owner):  # else declared in another module: reported there
                senders[id(field.node)] = (field, [_describe(operation) for operation in operations])
        candidates = {(cls.name, field.name): field for cls in _module_models(ctx, local)
                      for field in declared_fields(cls, ctx.names) if _is_sensitive(field, ctx.names, patterns)}
        if candidates:
            remote = remote_responders(ctx.workspace, {name for name, _field in candidates})
            for key, routes in remote.items():
                field = candidates[key]
                entry = senders.setdefault(id(field.node), (field, []))
                entry[1].extend(f"`{route.handler}` ({route.method} {route.path}, in {route.module})"
                                for route in routes)
        for field, described in sorted(senders.values(), key=lambda entry: entry[0].node.lineno):
            others = f" and {len(described) - 1} other route(s)" if len(described) > 1 else ""
            ctx.report(field.node.target, field=field.name, model=field.owner.name, operation=described[0],
                       others=others)


def _module_models(ctx: RuleContext, local: LocalModels) -> list[ast.ClassDef]:
    """The file's top-level Pydantic model classes (the ones other modules can import)."""
    return [statement for statement in ctx.document.tree.body  # type: ignore[union-attr]
            if isinstance(statement, ast.ClassDef) and local.is_model(statement)]


def exposed_fields(operations: Iterable[PathOperation], lookup: ClassLookup, names: SymbolTable,
                   patterns: tuple[str, ...]) -> list[tuple[ModelField, list[PathOperation]]]:
    """Sensitive fields reachable from the operations' response models, with the operations that send them."""
    found: dict[int, tuple[ModelField, list[PathOperation]]] = {}
    for operation in operations:
        if response_annotation(operation) is None:
            continue
        included = _literal_names(operation, "response_model_include")
        excluded = _literal_names(operation, "response_model_exclude")
        if included is _UNKNOWN or excluded is _UNKNOWN:
            continue  # computed include/exclude sets: cannot tell what is sent
        for model in response_models(operation, lookup, names):
            for field in all_fields(model, lookup, names):
                if not _is_sensitive(field, names, patterns):
                    continue
                if (included is not None and field.name not in included) or field.name in (excluded or ()):
                    continue
                entry = found.setdefault(id(field.node), (field, []))
                if operation not in entry[1]:
                    entry[1].append(operation)
    return list(found.values())


def _is_sensitive(field: ModelField, names: SymbolTable, patterns: tuple[str, ...]) -> bool:
    name = field.name.lower()
    if name in _TOKEN_RESPONSE_FIELDS or not any(fnmatch.fnmatchcase(name, p) for p in patterns):
        return False
    members = [m for m in annotation_members(field.annotation, names)
               if not (isinstance(m, ast.Constant) and m.value is None)]
    if members and all(names.qualified_name(m) in _MASKED_TYPES for m in members):
        return False
    metadata = annotated_parts(field.annotation, names)[1]
    calls = [field_call(field.value, names), *(field_call(item, names) for item in metadata)]
    excludes = [keyword_value(call, "exclude") for call in calls if call is not None]
    return not any(isinstance(exclude, ast.Constant) and exclude.value is True for exclude in excludes)


def _literal_names(operation: PathOperation, keyword: str) -> Optional[frozenset[str]]:
    """Field names in a literal set/list/tuple/dict given to `keyword`; None when absent, `_UNKNOWN` when the
    value is not a literal."""
    value = operation.keyword(keyword)
    if value is None or (isinstance(value, ast.Constant) and value.value is None):
        return None
    if isinstance(value, ast.Dict):
        elements = [k for k in value.keys if k is not None]
    elif isinstance(value, (ast.Set, ast.List, ast.Tuple)):
        elements = list(value.elts)
    else:
        return _UNKNOWN
    return frozenset(e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str))


def _describe(operation: PathOperation) -> str:
    method = operation.methods[0] if operation.methods else operation.attribute.upper()
    route = f"{method} {operation.path}" if operation.path is not None else method
    return f"`{operation.function.name}` ({route})"
