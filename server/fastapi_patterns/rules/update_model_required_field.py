"""FAP306 update-model-required-field: a PATCH body or `*Update` model with required fields."""

from __future__ import annotations

import ast
import functools
import re
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Position, Span
from ._optional_field_rewrite import field_edits, override_text, overrides_edit
from ._pydantic_models import (
    ClassLookup, ModelField, admits_none, all_fields, deliberate_v1_nodes, explicitly_required, has_default,
    is_explicit_v1, is_table_model, local_models, parameter_models, same_file_lookup,
)

_UPDATE_SUFFIXES = ("Update", "Patch")
_IDENTITY = re.compile(r"id|uuid|pk|\w+_(id|uuid|pk)")
_M = "from pydantic import BaseModel, Field\n"
_F = "from fastapi import FastAPI\n" + _M + "app = FastAPI()\n"


class UpdateModelRequiredField(Rule):
    """
    ## What it does
    Flags required fields in a model meant for partial updates: a model used as the request body of a
    PATCH path operation, or a model named `*Update` or `*Patch`. A field is required when it has no
    default (`name: str`, `name: str = ...`, `name: str = Field(min_length=1)`). A required field the model
    inherits is reported on the class name. A field annotated `X | None` without a default is left to
    FAP305 while that rule is enabled, so it is not reported twice.

    Fields naming the record to change (`id`, `uuid`, `pk`, `*_id`) are required on purpose and are not
    reported. In a model recognised only by its name, a declared field is not reported when other fields
    declared beside it have defaults: its author chose field by field, so the fields left required mean to
    be (`strategy: str` next to `notes: str = ""`). Required fields it inherits are still reported.

    Models from `pydantic.v1`, SQLModel table classes and classes under a Pydantic version check are left
    alone; models and bases from other modules are not followed yet.

    ## Why is this bad?
    A partial update sends only the fields that change. A required field forces every client to send it
    (or get `422 Field required`), so the endpoint behaves like a full replacement. Give every field of an
    update model the default `None` and apply only the fields the client set, with
    `model_dump(exclude_unset=True)`.

    ## Example
    ```python
    from pydantic import BaseModel


    class ItemUpdate(BaseModel):
        name: str
        price: float
    ```

    Use instead:
    ```python
    from pydantic import BaseModel


    class ItemUpdate(BaseModel):
        name: str | None = None
        price: float | None = None
    ```

    ## Fix safety
    Unsafe: the field becomes optional and may now be `None`, which the code applying the update has to
    handle. The fix writes `X | None` (`Optional[X]` when the module already imports `Optional`) and the
    default `None`, keeping the options of a `Field(...)` call; an inherited field is re-declared that way
    at the top of the update model (one fix declares all of them).
    """

    code = "FAP306"
    name = "update-model-required-field"
    message = "Required field `{field}`{origin} in update model `{model}`: a partial update has to send it"
    fix_title = "Make the field optional with a `None` default"
    fix_safety = FixSafety.UNSAFE
    node_types = (ast.Module,)
    trigger_words = ("Update", "Patch", "patch", "PATCH")

    VALID = (
        Valid(_M + "class ItemUpdate(BaseModel):\n    name: str | None = None\n"
              "    tags: list[str] = Field(default_factory=list)\n"
              "    price: float | None = Field(None, ge=0)\n    note: str = ''\n"),
        Valid(_M + "class ItemCreate(BaseModel):\n    name: str\n"),
        Valid(_F + "class Item(BaseModel):\n    name: str\n@app.put('/items/{i}')\n"
              "def put(i: int, item: Item) -> None: ...\n"),
        Valid(_F + "from fastapi import Depends\nclass User(BaseModel):\n    name: str\ndef me() -> User: ...\n"
              "@app.patch('/items/{i}')\ndef patch(i: int, user: User = Depends(me)) -> User: ...\n"),
        Valid("from pydantic.v1 import BaseModel\nclass ItemUpdate(BaseModel):\n    name: str\n"),
        Valid("from sqlmodel import SQLModel\nclass StatusUpdate(SQLModel, table=True):\n    name: str\n"),
        Valid("from dataclasses import dataclass\n@dataclass\nclass ItemUpdate:\n    name: str\n"),
        Valid(_M + "class ItemUpdate(BaseModel):\n    name: str | None\n"),
        Valid(_M + "from typing import ClassVar\nclass ItemUpdate(BaseModel):\n    kind: ClassVar[str]\n"
              "    _seen: int\n"),
        Valid(_M + "class Updater(BaseModel):\n    name: str\n"),
        Valid(_F + "class Item(BaseModel):\n    name: str\n@app.patch('/items/{i}')\ndef patch(i: int) -> Item: ...\n"),
        Valid(_M + "class MetadataUpdate(BaseModel):\n    strategy: str\n    notes: str = ''\n"),
        Valid(_M + "class ItemUpdate(BaseModel):\n    id: int\n    item_id: int\n    name: str | None = None\n"),
    )
    INVALID = (
        Invalid(_M + "class ItemUpdate(BaseModel):\n    name: str\n    price: float = Field(..., gt=0)\n",
                _M + "class ItemUpdate(BaseModel):\n    name: str | None = None\n"
                "    price: float | None = Field(None, gt=0)\n",
                count=2, unsafe=True),
        Invalid(_F + "class Item(BaseModel):\n    name: str = Field(min_length=1)\n"
                "@app.patch('/items/{i}')\ndef patch(i: int, item: Item) -> None: ...\n",
                _F + "class Item(BaseModel):\n    name: str | None = Field(min_length=1, default=None)\n"
                "@app.patch('/items/{i}')\ndef patch(i: int, item: Item) -> None: ...\n", unsafe=True),
        Invalid("from typing import Optional\n" + _M + "class ItemPatch(BaseModel):\n    name: str = ...\n",
                "from typing import Optional\n" + _M + "class ItemPatch(BaseModel):\n    name: Optional[str] = None\n",
                unsafe=True),
        Invalid(_M + "class ItemBase(BaseModel):\n    name: str\n    price: float = Field(..., gt=0)\n"
                "    note: str = ''\nclass ItemUpdate(ItemBase):\n    \"\"\"Changes.\"\"\"\n    pass\n",
                _M + "class ItemBase(BaseModel):\n    name: str\n    price: float = Field(..., gt=0)\n"
                "    note: str = ''\nclass ItemUpdate(ItemBase):\n    \"\"\"Changes.\"\"\"\n"
                "    name: str | None = None\n"
                "    price: float | None = Field(None, gt=0)\n    pass\n", count=2, unsafe=True),
        Invalid(_M + "class ItemBase(BaseModel):\n    name: str\n    size: int\nclass ItemUpdate(ItemBase):\n"
                "    name: str | None = None\n",
                _M + "class ItemBase(BaseModel):\n    name: str\n    size: int\nclass ItemUpdate(ItemBase):\n"
                "    size: int | None = None\n    name: str | None = None\n", unsafe=True),
        Invalid("import fastapi as f\nimport pydantic as p\nfrom typing import Annotated\nrouter = f.APIRouter()\n"
                "class Changes(p.BaseModel):\n    title: str\n"
                "@router.api_route('/a', methods=['PATCH'])\n"
                "def change(c: Annotated[Changes, f.Body(embed=True)]): ...\n",
                "import fastapi as f\nimport pydantic as p\nfrom typing import Annotated\nrouter = f.APIRouter()\n"
                "class Changes(p.BaseModel):\n    title: str | None = None\n"
                "@router.api_route('/a', methods=['PATCH'])\n"
                "def change(c: Annotated[Changes, f.Body(embed=True)]): ...\n",
                unsafe=True),
        Invalid(_M + "class ItemUpdate(BaseModel):\n    name: str | None\n",
                _M + "class ItemUpdate(BaseModel):\n    name: str | None = None\n", unsafe=True,
                config={"ignore": ["FAP305"]}),
        Invalid(_M + "class ItemUpdate(BaseModel):\n    name: 'Name'\n"),
        Invalid("from sqlmodel import SQLModel\nclass HeroUpdate(SQLModel):\n    age: int\n",
                "from sqlmodel import SQLModel\nclass HeroUpdate(SQLModel):\n"
                "    age: int | None = None\n", unsafe=True),
        Invalid(_M + "class A(BaseModel):\n    x: int\nclass B(A): pass\nclass ItemUpdate(B): pass\n"),
        Invalid(_F + "class Item(BaseModel):\n    name: str\n    note: str = ''\n"
                "@app.patch('/items/{i}')\ndef patch(i: int, item: Item) -> None: ...\n",
                _F + "class Item(BaseModel):\n    name: str | None = None\n    note: str = ''\n"
                "@app.patch('/items/{i}')\ndef patch(i: int, item: Item) -> None: ...\n", unsafe=True),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        lookup = same_file_lookup(ctx)
        targets = _update_models(ctx, lookup)
        if not targets:
            return
        leave_to_fap305 = ctx.config.is_enabled("FAP305", path=ctx.path) and not ctx.config.is_test_file(ctx.path)
        guarded = deliberate_v1_nodes(node, ctx.document, ctx.names)
        for cls, patch_body in targets:
            if id(cls) in guarded:
                continue
            fields = [f for f in all_fields(cls, lookup, ctx.names) if not _IDENTITY.fullmatch(f.name)]
            required = [f for f in fields if not has_default(f, ctx.names)]
            own = [f for f in fields if f.owner is cls]
            if not patch_body and any(has_default(f, ctx.names) for f in own):
                required = [f for f in required if f.owner is not cls]  # chosen field by field
            if leave_to_fap305:
                required = [f for f in required
                            if not admits_none(f.annotation, ctx.names) or explicitly_required(f, ctx.names)]
            inherited = [f for f in required if f.owner is not cls and not any(f.owner is t for t, _ in targets)]
            for field in required:
                if field.owner is cls:
                    ctx.report(_field_span(field, ctx), functools.partial(_declared_fix, field=field),
                               field=field.name, origin="", model=cls.name)
                elif field in inherited:
                    ctx.report(_name_span(cls, ctx), functools.partial(_inherited_fix, cls=cls, fields=inherited),
                               field=field.name, origin=f" (from `{field.owner.name}`)", model=cls.name)


def _update_models(ctx: RuleContext, lookup: ClassLookup) -> list[tuple[ast.ClassDef, bool]]:
    """Model classes of the file received as the body of a PATCH operation (True) or named `*Update`/`*Patch`
    (False)."""
    found: dict[int, tuple[ast.ClassDef, bool]] = {}
    for operation in ctx.model.path_operations:
        if "PATCH" in operation.methods:
            for parameter in parameter_models(operation.function, lookup, ctx.names):
                if parameter.is_body:
                    found[id(parameter.model)] = (parameter.model, True)
    for cls in local_models(ctx.names).classes.values():
        if cls.name.endswith(_UPDATE_SUFFIXES) and cls.name not in _UPDATE_SUFFIXES:
            found.setdefault(id(cls), (cls, False))
    return [(cls, patch_body) for cls, patch_body in found.values()
            if not is_explicit_v1(cls, lookup, ctx.names) and not is_table_model(cls)]


def _field_span(field: ModelField, ctx: RuleContext) -> Span:
    return Span(ctx.document.node_span(field.node).start, ctx.document.node_span(field.annotation).end)


def _name_span(cls: ast.ClassDef, ctx: RuleContext) -> Span:
    start = ctx.document.node_span(cls).start
    line = ctx.document.line_text(start.line)
    match = re.compile(r"class\s+(\w+)").match(line, start.column)
    if match is None:
        return Span(start, start)
    return Span(Position(start.line, match.start(1)), Position(start.line, match.end(1)))


def _declared_fix(fixer: FixContext, field: ModelField) -> Optional[list[Edit]]:
    return field_edits(fixer, field, fixer.names) if fixer.names is not None else None


def _inherited_fix(fixer: FixContext, cls: ast.ClassDef, fields: list[ModelField]) -> Optional[list[Edit]]:
    if fixer.names is None:
        return None
    lines = [override_text(fixer, field, fixer.names) for field in fields]
    if any(line is None for line in lines):
        return None
    edit = overrides_edit(fixer, cls, [line for line in lines if line is not None])
    return None if edit is None else [edit]
