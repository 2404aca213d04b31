"""FAP304 pydantic-v1-method: `.dict()`, `.parse_obj()` and the other v1 methods on a known Pydantic model."""

from __future__ import annotations

import ast
import functools
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.names import BindingKind
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Position, Span
from ._call_arguments import append_keyword
from ._model_receivers import Kind, Receiver, ReceiverResolver
from ._pydantic_models import class_chain, deliberate_v1_nodes, local_models, same_file_lookup

_DUMP_KEYWORDS = frozenset({"include", "exclude", "by_alias", "exclude_unset", "exclude_defaults", "exclude_none"})
# v1 name -> (v2 name, keywords the v2 method accepts, positional arguments allowed, instance-only method)
_METHODS: dict[str, tuple[str, Optional[frozenset[str]], int, bool]] = {
    "dict": ("model_dump", _DUMP_KEYWORDS, 0, True),
    "json": ("model_dump_json", _DUMP_KEYWORDS, 0, True),
    "copy": ("model_copy", frozenset({"update", "deep"}), 0, True),
    "parse_obj": ("model_validate", frozenset(), 1, False),
    "parse_raw": ("model_validate_json", frozenset(), 1, False),
    "from_orm": ("model_validate", frozenset(), 1, False),
    "schema": ("model_json_schema", frozenset({"by_alias", "ref_template"}), 2, False),
    "schema_json": ("model_json_schema", None, 0, False),
    "construct": ("model_construct", None, 1, False),
    "update_forward_refs": ("model_rebuild", frozenset(), 0, False),
}
_SCHEMA_KEYWORDS = frozenset({"by_alias", "ref_template"})
_M = "from pydantic import BaseModel\nclass User(BaseModel):\n    name: str\n"


class PydanticV1Method(Rule):
    """
    ## What it does
    Flags the Pydantic v1 methods `.dict()`, `.json()`, `.copy()`, `.parse_obj()`, `.parse_raw()`,
    `.from_orm()`, `.schema()`, `.schema_json()`, `.construct()` and `.update_forward_refs()` called on a
    value known to be a Pydantic model: a model class of the file, a call of one, a parameter or variable
    annotated with one (or with `BaseModel`), a variable assigned from such a call, or `self`/`cls` in a
    model's method.

    A receiver that is not known to be a model is never flagged: `.copy()` on a dict or `.json()` on an
    HTTP response are other methods. Models from `pydantic.v1`, models overriding the method, code under a
    Pydantic version check and code inside `with pytest.warns(...)` (a test of the deprecation itself) are
    left alone. Models imported from other modules are not followed yet.

    ## Why is this bad?
    Pydantic v2 renamed these methods (`model_dump`, `model_validate`, ...); the v1 names remain as
    deprecated aliases that warn at every call and will be removed. The `model_` prefix also keeps the
    methods out of the way of field names.

    ## Example
    ```python
    from pydantic import BaseModel


    class User(BaseModel):
        name: str


    def export(user: User) -> dict[str, str]:
        return user.dict()
    ```

    Use instead:
    ```python
    from pydantic import BaseModel


    class User(BaseModel):
        name: str


    def export(user: User) -> dict[str, str]:
        return user.model_dump()
    ```

    ## Fix safety
    Safe: in Pydantic v2 each old name simply calls the new method with the same arguments. `.from_orm(x)`
    becomes `.model_validate(x, from_attributes=True)` and `.schema_json()` becomes
    `json.dumps(Model.model_json_schema())`. Calls passing arguments the new method does not take
    (`.copy(include=...)`, `.parse_raw(data, content_type=...)`, `.update_forward_refs(Item=Item)`) get no fix.
    """

    code = "FAP304"
    name = "pydantic-v1-method"
    message = "Pydantic v1 method `.{method}()`: use `.{replacement}()`"
    fix_title = "Use the Pydantic v2 method"
    fix_safety = FixSafety.SAFE
    node_types = (ast.Module,)

    VALID = (
        Valid(_M + "def f(data: dict):\n    return data.copy()\n"),
        Valid(_M + "import httpx\ndef f():\n    return httpx.get('/').json()\n"),
        Valid(_M + "def f(user):\n    return user.dict()\n"),
        Valid(_M + "def f(user: User):\n    user = {}\n    return user.copy()\n"),
        Valid("from pydantic.v1 import BaseModel\nclass U(BaseModel):\n    n: str\nU(n='a').dict()\n"),
        Valid(_M + "    def dict(self, **kw):\n        return {}\ndef f(u: User):\n    return u.dict()\n"),
        Valid(_M + "PYDANTIC_V2 = False\ndef f(u: User):\n    if PYDANTIC_V2:\n        return u.model_dump()\n"
              "    else:\n        return u.dict()\n"),
        Valid(_M + "def f(users: list[User]):\n    return users.copy()\n"),
        Valid(_M + "class Helper:\n    def dict(self): ...\n    def run(self):\n        return self.dict()\n"),
        Valid(_M + "def f(u: User):\n    return u.model_dump()\n"),
        Valid("class User:\n    def dict(self): ...\nUser().dict()\n"),
        Valid(_M + "import pytest\ndef test_shim():\n    with pytest.warns(DeprecationWarning):\n"
              "        assert User(name='a').dict() == {'name': 'a'}\n"),
    )
    INVALID = (
        Invalid(_M + "def f(u: User):\n    return u.dict(exclude_unset=True)\n",
                _M + "def f(u: User):\n    return u.model_dump(exclude_unset=True)\n"),
        Invalid(_M + "data = User.parse_obj({'name': 'a'}).json()\n",
                _M + "data = User.model_validate({'name': 'a'}).model_dump_json()\n", count=2),
        Invalid(_M + "def f(row):\n    return User.from_orm(row)\n",
                _M + "def f(row):\n    return User.model_validate(row, from_attributes=True)\n"),
        Invalid(_M + "u = User(name='a')\nv = u.copy(update={'name': 'b'})\n",
                _M + "u = User(name='a')\nv = u.model_copy(update={'name': 'b'})\n"),
        Invalid(_M + "text = User.schema_json(indent=2)\n",
                "import json\n\n" + _M + "text = json.dumps(User.model_json_schema(), indent=2)\n"),
        Invalid(_M + "    def export(self):\n        return self.dict()\n    @classmethod\n    def load(cls, raw):\n"
                "        return cls.parse_raw(raw)\n",
                _M + "    def export(self):\n        return self.model_dump()\n    @classmethod\n"
                "    def load(cls, raw):\n"
                "        return cls.model_validate_json(raw)\n", count=2),
        Invalid(_M + "User.update_forward_refs()\nUser.schema()\n",
                _M + "User.model_rebuild()\nUser.model_json_schema()\n", count=2),
        Invalid(_M + "def f(u: User):\n    return u.copy(include={'name'})\n"),
        Invalid("import pydantic as p\nimport typing as t\ndef f(m: t.Optional[p.BaseModel]):\n    return m.json()\n",
                "import pydantic as p\nimport typing as t\ndef f(m: t.Optional[p.BaseModel]):\n"
                "    return m.model_dump_json()\n"),
        Invalid(_M + "from typing import Annotated\nfrom fastapi import Body\n"
                "def f(u: Annotated[User, Body()], kind: type[User]):\n    return kind.construct(**u.dict())\n",
                _M + "from typing import Annotated\nfrom fastapi import Body\n"
                "def f(u: Annotated[User, Body()], kind: type[User]):\n"
                "    return kind.model_construct(**u.model_dump())\n",
                count=2),
        Invalid("from sqlmodel import SQLModel\nclass Hero(SQLModel):\n    name: str\nhero: Hero = load()\n"
                "print(hero.dict())\n",
                "from sqlmodel import SQLModel\nclass Hero(SQLModel):\n    name: str\nhero: Hero = load()\n"
                "print(hero.model_dump())\n"),
        Invalid(_M + "json = 1\nUser.schema_json()\n"),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        models = local_models(ctx.names)
        resolver = ReceiverResolver(ctx.names, same_file_lookup(ctx), models.is_model)
        guarded: Optional[set[int]] = None
        for call, _scope in ctx.names.visit_order:
            if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
                continue
            method = call.func.attr
            entry = _METHODS.get(method)
            if entry is None:
                continue
            receiver = resolver.receiver(call.func.value)
            if receiver is None or (entry[3] and receiver.kind is not Kind.INSTANCE):
                continue
            if receiver.model is not None and _overrides(receiver, method, resolver):
                continue
            if guarded is None:
                guarded = deliberate_v1_nodes(node, ctx.document, ctx.names)
            if id(call) in guarded:
                continue
            attribute_start = _attribute_start(call.func, ctx)
            fix = functools.partial(_fix, call=call, start=attribute_start) if _fixable(call, entry, ctx) else None
            replacement = "json.dumps(model_json_schema())" if method == "schema_json" else entry[0]
            ctx.report(Span(attribute_start, ctx.document.node_span(call).end), fix, method=method,
                       replacement=replacement.removesuffix("()"))


def _overrides(receiver: Receiver, method: str, resolver: ReceiverResolver) -> bool:
    """The model (or a base in the file) defines its own attribute of that name."""
    assert receiver.model is not None
    for cls in class_chain(receiver.model, resolver.lookup):
        for statement in cls.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == method:
                return True
            targets = statement.targets if isinstance(statement, ast.Assign) else (
                [statement.target] if isinstance(statement, ast.AnnAssign) else [])
            if any(isinstance(t, ast.Name) and t.id == method for t in targets):
                return True
    return False


def _fixable(call: ast.Call, entry: tuple[str, Optional[frozenset[str]], int, bool], ctx: RuleContext) -> bool:
    _, keywords, positional, _ = entry
    schema_json = isinstance(call.func, ast.Attribute) and call.func.attr == "schema_json"
    if len(call.args) > positional or any(isinstance(a, ast.Starred) for a in call.args):
        return False
    if any(k.arg is None for k in call.keywords) and (keywords is not None or schema_json):
        return False
    if keywords is not None and any(k.arg not in keywords for k in call.keywords):
        return False
    if schema_json:
        bound = ctx.names.lookup("json", ctx.names.scope_of(_first_name(call)), (call.lineno, call.col_offset))
        return bound is None or (bound.kind is BindingKind.IMPORT and bound.qualified_name == "json")
    return True


def _first_name(call: ast.Call) -> ast.AST:
    return next((n for n in ast.walk(call) if isinstance(n, ast.Name)), call)


def _attribute_start(attribute: ast.Attribute, ctx: RuleContext) -> Position:
    end = ctx.document.node_span(attribute).end
    return Position(end.line, end.column - len(attribute.attr))


def _fix(fixer: FixContext, call: ast.Call, start: Position) -> Optional[list[Edit]]:
    assert isinstance(call.func, ast.Attribute)
    method = call.func.attr
    new_name = _METHODS[method][0]
    if method == "schema_json":
        return _schema_json(fixer, call, new_name)
    name_span = Span(start, fixer.span(call.func).end)
    edits = [Edit(name_span, new_name)]
    if method == "from_orm":
        keyword = append_keyword(fixer, call, "from_attributes=True")
        if keyword is None:
            return None
        edits.extend(keyword)
    return edits


def _schema_json(fixer: FixContext, call: ast.Call, new_name: str) -> list[Edit]:
    assert isinstance(call.func, ast.Attribute)
    local, edits = fixer.add_import("json")
    schema_arguments = [fixer.text(k) for k in call.keywords if k.arg in _SCHEMA_KEYWORDS]
    dumps_arguments = [fixer.text(k) for k in call.keywords if k.arg not in _SCHEMA_KEYWORDS]
    inner = f"{fixer.text(call.func.value)}.{new_name}({', '.join(schema_arguments)})"
    return [*edits, fixer.replace(call, f"{local}.dumps({', '.join([inner, *dumps_arguments])})")]
