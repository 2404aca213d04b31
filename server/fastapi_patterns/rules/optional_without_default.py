"""FAP305 optional-without-default: `x: int | None` with no default is required in Pydantic v2."""

from __future__ import annotations

import ast
import functools
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Span
from ._call_arguments import append_keyword
from ._pydantic_models import (
    ModelField, admits_none, declared_fields, deliberate_v1_nodes, explicitly_required, field_call, has_default,
    input_models, is_explicit_v1, is_table_model, local_models, same_file_lookup,
)

_M = "from typing import Optional\nfrom pydantic import BaseModel, Field\n"
_F = _M + "from fastapi import Depends, FastAPI\napp = FastAPI()\n"


class OptionalWithoutDefault(Rule):
    """
    ## What it does
    Flags a Pydantic model field annotated `X | None`, `Optional[X]` or `Union[X, None]` that has no
    default value (also when its `Field(...)` call sets none, as in `Field(description="...")`).

    Only models known to validate input are checked, since a required field that admits `None` is a
    deliberate, accurate choice in a model the server only answers with: settings classes, models a path
    operation or dependency of the file receives (a body, `Annotated[Model, Depends()]`, `Query()`, ...),
    models named like inputs (`*Create`, `*Update`, `*Patch`, `*In`, `*Input`, `*Request`, `*Payload`,
    `*Form`, `*Params`), and their base classes. Also left alone: fields marked required on purpose with
    `= ...` or `Field(...)`, models from `pydantic.v1` (where `Optional` still implied a `None` default),
    SQLModel table classes (`table=True`), which are not validated on creation, classes under a Pydantic
    version check, and test files (the `test-patterns` setting), whose models often pin down exactly this
    behaviour. Models used from other modules are not followed yet.

    ## Why is this bad?
    In Pydantic v1 an `Optional` field without a default defaulted to `None`. In v2 the annotation only
    says that `None` is an accepted value: the field is still required, so a request that leaves it out
    fails with `422 Field required`, and the OpenAPI schema lists it as required. Write `= None` when the
    field may be left out.

    ## Example
    ```python
    from pydantic import BaseModel


    class ItemCreate(BaseModel):
        name: str
        description: str | None
    ```

    Use instead:
    ```python
    from pydantic import BaseModel


    class ItemCreate(BaseModel):
        name: str
        description: str | None = None
    ```

    ## Fix safety
    Unsafe: the field stops being required, so requests that omit it are accepted from then on, which may
    not be what the author meant. The fix adds `= None`, or `default=None` to an existing `Field(...)`.
    """

    code = "FAP305"
    name = "optional-without-default"
    message = "`{field}` is annotated `{annotation}` but has no default: Pydantic v2 makes it required"
    fix_title = "Add the default `None`"
    fix_safety = FixSafety.UNSAFE
    node_types = (ast.Module,)
    trigger_words = ("Optional", "None")

    VALID = (
        Valid(_M + "class ItemCreate(BaseModel):\n    a: int | None = None\n    b: Optional[int] = Field(None)\n"
              "    c: Optional[int] = Field(default=None, ge=0)\n"
              "    d: list[int] | None = Field(default_factory=list)\n"),
        Valid(_M + "class ItemCreate(BaseModel):\n    a: int | None = ...\n    b: Optional[int] = Field(..., ge=0)\n"),
        Valid(_M + "from typing import Annotated\nclass ItemIn(BaseModel):\n"
              "    a: Annotated[int | None, Field(default=None)]\n"),
        Valid("from typing import Optional\nfrom pydantic.v1 import BaseModel\nclass ItemIn(BaseModel):\n"
              "    a: Optional[int]\n"),
        Valid("from typing import Optional\nfrom dataclasses import dataclass\n@dataclass\nclass ItemIn:\n"
              "    a: Optional[int]\n"),
        Valid(_M + "from typing import ClassVar\nclass ItemIn(BaseModel):\n    _cache: Optional[int]\n"
              "    registry: ClassVar[Optional[dict]]\n    def f(self):\n        x: Optional[int]\n"),
        Valid("from typing import Optional\nfrom sqlmodel import SQLModel\nclass HeroCreate(SQLModel, table=True):\n"
              "    nickname: Optional[str]\n"),
        Valid(_M + "PYDANTIC_V2 = True\nif not PYDANTIC_V2:\n    class ItemIn(BaseModel):\n        a: Optional[int]\n"),
        Valid(_F + "class Item(BaseModel):\n    a: int | None\n@app.get('/items')\ndef read() -> list[Item]: ...\n"),
        Valid(_F + "class User(BaseModel):\n    a: int | None\ndef current() -> User: ...\n"
              "@app.get('/me')\ndef me(user: User = Depends(current)) -> dict: ...\n"),
        Valid(_M + "class Row(BaseModel):\n    a: int | None\n"),
        Valid(_M + "class ItemCreate(BaseModel):\n    a: int | None\n", path="tests/test_items.py"),
    )
    INVALID = (
        Invalid(_M + "class ItemCreate(BaseModel):\n    a: int | None\n",
                _M + "class ItemCreate(BaseModel):\n    a: int | None = None\n", unsafe=True),
        Invalid(_M + "class ItemIn(BaseModel):\n    a: Optional[int]  # the count\n",
                _M + "class ItemIn(BaseModel):\n    a: Optional[int] = None  # the count\n", unsafe=True),
        Invalid(_F + "class Item(BaseModel):\n    a: Optional[int] = Field(description='n')\n"
                "@app.post('/items')\ndef add(item: Item) -> None: ...\n",
                _F + "class Item(BaseModel):\n    a: Optional[int] = Field(description='n', default=None)\n"
                "@app.post('/items')\ndef add(item: Item) -> None: ...\n", unsafe=True),
        Invalid("import typing as t\nimport pydantic as p\nclass ItemUpdate(p.BaseModel):\n    a: t.Union[int, None]\n"
                "    b: t.Union[None, str]\n",
                "import typing as t\nimport pydantic as p\nclass ItemUpdate(p.BaseModel):\n"
                "    a: t.Union[int, None] = None\n    b: t.Union[None, str] = None\n", count=2, unsafe=True),
        Invalid(_F + "from typing import Annotated\nclass Filters(BaseModel):\n"
                "    a: Annotated[Optional[int], Field(ge=0)]\n"
                "@app.get('/items')\ndef find(f: Annotated[Filters, Depends()]) -> None: ...\n",
                _F + "from typing import Annotated\nclass Filters(BaseModel):\n"
                "    a: Annotated[Optional[int], Field(ge=0)] = None\n"
                "@app.get('/items')\ndef find(f: Annotated[Filters, Depends()]) -> None: ...\n", unsafe=True),
        Invalid(_M + "class Base(BaseModel):\n    a: None | str\nclass ItemCreate(Base):\n    pass\n",
                _M + "class Base(BaseModel):\n    a: None | str = None\nclass ItemCreate(Base):\n"
                "    pass\n", unsafe=True),
        Invalid("from typing import Optional\nfrom pydantic_settings import BaseSettings\nclass S(BaseSettings):\n"
                "    redis_url: Optional[str]\n",
                "from typing import Optional\nfrom pydantic_settings import BaseSettings\nclass S(BaseSettings):\n"
                "    redis_url: Optional[str] = None\n", unsafe=True),
        Invalid("from typing import Optional\nfrom sqlmodel import SQLModel\nclass HeroCreate(SQLModel):\n"
                "    nickname: Optional[str]\n",
                "from typing import Optional\nfrom sqlmodel import SQLModel\nclass HeroCreate(SQLModel):\n"
                "    nickname: Optional[str] = None\n", unsafe=True),
        Invalid(_M + "def build():\n    class ItemIn(BaseModel):\n        a: Optional[int]\n    return ItemIn\n",
                _M + "def build():\n    class ItemIn(BaseModel):\n        a: Optional[int] = None\n    return ItemIn\n",
                unsafe=True),
        Invalid(_M + "class ItemIn(BaseModel):\n    a: Optional[int] = Field(\n        description='n',\n    )\n",
                _M + "class ItemIn(BaseModel):\n    a: Optional[int] = Field(\n        description='n',\n"
                "        default=None,\n    )\n", unsafe=True),
        Invalid(_F + "class Item(BaseModel):\n    a: int | None\n@app.post('/items')\n"
                "def add(items: list[Item]) -> list[Item]: ...\n",
                _F + "class Item(BaseModel):\n    a: int | None = None\n@app.post('/items')\n"
                "def add(items: list[Item]) -> list[Item]: ...\n", unsafe=True),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        if ctx.config.is_test_file(ctx.path):
            return
        lookup = same_file_lookup(ctx)
        guarded: Optional[set[int]] = None
        inputs: Optional[set[int]] = None
        for cls in local_models(ctx.names).classes.values():
            if is_explicit_v1(cls, lookup, ctx.names) or is_table_model(cls):
                continue
            if inputs is None:
                inputs = input_models(ctx, lookup)
            if id(cls) not in inputs:
                continue
            for field in declared_fields(cls, ctx.names):
                if not missing_none_default(field, ctx):
                    continue
                if guarded is None:
                    guarded = deliberate_v1_nodes(node, ctx.document, ctx.names)
                if id(cls) in guarded:
                    break
                ctx.report(field_span(field, ctx), functools.partial(_fix, field=field),
                           field=field.name, annotation=ctx.document.node_text(field.annotation))


def missing_none_default(field: ModelField, ctx: RuleContext) -> bool:
    """`X | None` with no default and no explicit `...`: required, probably by mistake."""
    return (admits_none(field.annotation, ctx.names) and not has_default(field, ctx.names)
            and not explicitly_required(field, ctx.names))


def field_span(field: ModelField, ctx: RuleContext) -> Span:
    """`name: annotation`, without the value."""
    return Span(ctx.document.node_span(field.node).start, ctx.document.node_span(field.annotation).end)


def _fix(fixer: FixContext, field: ModelField) -> Optional[list[Edit]]:
    if field.value is None:
        return [fixer.insert_after(field.annotation, " = None")]
    call = field_call(field.value, fixer.names) if fixer.names is not None else None
    return append_keyword(fixer, call, "default=None") if call is not None else None
