"""FAP302 pydantic-v1-config: a nested `class Config:` in a Pydantic model instead of `model_config`."""

from __future__ import annotations

import ast
import functools
import re
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.rule import FixFactory, Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Position, Span
from ._config_rewrite import ConfigPlan, plan_config
from ._pydantic_models import class_chain, deliberate_v1_nodes, is_explicit_v1, local_models, same_file_lookup

_M = "from pydantic import BaseModel\n"
_MC = "from pydantic import BaseModel, ConfigDict\n"
_S = "from pydantic_settings import BaseSettings\n"
_SC = "from pydantic_settings import BaseSettings, SettingsConfigDict\n"
_CLASS_CONFIG = re.compile(r"class\s+Config\b")


class PydanticV1Config(Rule):
    """
    ## What it does
    Flags a nested `class Config:` inside a Pydantic model (`BaseModel`, `SQLModel`) or settings class
    (`BaseSettings`), the Pydantic v1 way of configuring a model.

    Code written for Pydantic v1 on purpose is left alone: models deriving from `pydantic.v1`, and classes
    under a version check (`if PYDANTIC_V2: ... else: class Config: ...`) or in an `except ImportError:`
    fallback.

    ## Why is this bad?
    Pydantic v2 configures a model with `model_config = ConfigDict(...)`. It still reads `class Config`,
    but with a deprecation warning, and several v1 keys changed names: `orm_mode` is now `from_attributes`,
    `schema_extra` is `json_schema_extra`, `allow_population_by_field_name` is `populate_by_name`. A
    renamed key under its old name is not applied, so `orm_mode = True` no longer lets FastAPI read ORM
    objects. `ConfigDict` is also typed, so editors and type checkers catch misspelt keys.

    ## Example
    ```python
    from pydantic import BaseModel


    class Item(BaseModel):
        name: str

        class Config:
            orm_mode = True
    ```

    Use instead:
    ```python
    from pydantic import BaseModel, ConfigDict


    class Item(BaseModel):
        model_config = ConfigDict(from_attributes=True)

        name: str
    ```

    ## Fix safety
    The fix writes `model_config = ConfigDict(...)` (`SettingsConfigDict` from pydantic-settings for a
    settings class), renames the v1 keys, turns `allow_mutation = False` into `frozen=True` and
    `Extra.forbid` into `"forbid"`, keeps every value's source text and the block's comments, and imports
    what it uses. It is safe when every key is known to Pydantic v2; with a key it does not know (or one v2
    removed, such as `fields` or `underscore_attrs_are_private`) the key is kept as written and the fix is
    unsafe. A block holding methods or a docstring, a class that also sets `model_config`, and a settings
    class still importing `BaseSettings` from `pydantic` get no fix.
    """

    code = "FAP302"
    name = "pydantic-v1-config"
    message = "Pydantic v1 `class Config` in `{model}`: use `model_config = {factory}(...)`"
    fix_title = "Replace `class Config` with `model_config`"
    fix_safety = FixSafety.SAFE
    mixed_fix_safety = True
    node_types = (ast.Module,)
    trigger_words = ("Config",)

    VALID = (
        Valid(_MC + "class Item(BaseModel):\n    model_config = ConfigDict(from_attributes=True)\n"),
        Valid("from pydantic.v1 import BaseModel\nclass Item(BaseModel):\n    class Config:\n"
              "        orm_mode = True\n"),
        Valid("import pydantic\nclass Item(pydantic.v1.BaseModel):\n    class Config:\n        orm_mode = True\n"),
        Valid(_M + "PYDANTIC_V2 = True\nclass Item(BaseModel):\n    if PYDANTIC_V2:\n        model_config = {}\n"
              "    else:\n        class Config:\n            orm_mode = True\n"),
        Valid(_M + "import pydantic\nif pydantic.VERSION.startswith('2'):\n    Base = BaseModel\nelse:\n"
              "    class Base(BaseModel):\n        class Config:\n            orm_mode = True\n"),
        Valid("class Settings:\n    class Config:\n        env_file = '.env'\n"),
        Valid(_M + "class Item:\n    class Config:\n        orm_mode = True\n"),
        Valid("from app.base import Model\nclass Item(Model):\n    class Config:\n        orm_mode = True\n"),
        Valid(_M + "class Item(BaseModel):\n    name: str\n    Config = dict\n"),
        Valid(_M + "class Item(BaseModel):\n    def f(self):\n        class Config:\n            x = 1\n"),
    )
    INVALID = (
        Invalid(_M + "class Item(BaseModel):\n    name: str\n\n    class Config:\n        orm_mode = True\n",
                _MC + "class Item(BaseModel):\n    name: str\n\n    model_config = ConfigDict(from_attributes=True)\n"),
        Invalid(_S + "class Settings(BaseSettings):\n    class Config:\n        env_file = '.env'\n"
                "        case_sensitive = True\n",
                _SC + "class Settings(BaseSettings):\n"
                "    model_config = SettingsConfigDict(env_file='.env', case_sensitive=True)\n"),
        Invalid(_M + "class Item(BaseModel):\n    class Config:  # v1\n        # read ORM rows\n"
                "        orm_mode = True  # keep\n        schema_extra = {\n            'example': {'a': 1},\n"
                "        }\n        allow_mutation = False\n",
                _MC + "class Item(BaseModel):\n    model_config = ConfigDict(  # v1\n        # read ORM rows\n"
                "        from_attributes=True,  # keep\n        json_schema_extra={\n            'example': {'a': 1},\n"
                "        },\n        frozen=True,\n    )\n"),
        Invalid(_M + "class Item(BaseModel):\n    class Config:\n        fields = {'a': 'b'}\n"
                "        orm_mode = True\n",
                _MC + "class Item(BaseModel):\n"
                "    model_config = ConfigDict(fields={'a': 'b'}, from_attributes=True)\n",
                unsafe=True),
        Invalid(_M + "class Item(BaseModel):\n    class Config:\n        fields = {'a': 'b'}\n"),
        Invalid("import pydantic as pd\nfrom pydantic import Extra\nclass Base(pd.BaseModel):\n    pass\n"
                "class Item(Base):\n    class Config:\n        extra = Extra.forbid\n",
                "import pydantic as pd\nfrom pydantic import Extra, ConfigDict\nclass Base(pd.BaseModel):\n    pass\n"
                "class Item(Base):\n    model_config = ConfigDict(extra=\"forbid\")\n"),
        Invalid(_M + "class Item(BaseModel):\n    class Config:\n        @staticmethod\n"
                "        def schema_extra(schema, model): ...\n"),
        Invalid("from pydantic import BaseSettings\nclass S(BaseSettings):\n    class Config:\n"
                "        env_file = '.env'\n"),
        Invalid("from sqlmodel import SQLModel\ndef build():\n    class Hero(SQLModel):\n        class Config:\n"
                "            validate_all = True\n    return Hero\n",
                "from pydantic import ConfigDict\nfrom sqlmodel import SQLModel\ndef build():\n"
                "    class Hero(SQLModel):\n"
                "        model_config = ConfigDict(validate_default=True)\n    return Hero\n"),
        Invalid(_MC + "class Item(BaseModel):\n    model_config = ConfigDict()\n    class Config:\n"
                "        orm_mode = True\n"),
        Invalid(_M + "class A(BaseModel):\n    class Config:\n        orm_mode = True\n"
                "class B(A):\n    class Config:\n        allow_population_by_field_name = True\n",
                _MC + "class A(BaseModel):\n    model_config = ConfigDict(from_attributes=True)\n"
                "class B(A):\n    model_config = ConfigDict(populate_by_name=True)\n", count=2),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        models = local_models(ctx.names)
        guarded: Optional[set[int]] = None
        lookup = same_file_lookup(ctx)
        for cls in models.classes.values():
            config = next((s for s in cls.body if isinstance(s, ast.ClassDef) and s.name == "Config"), None)
            if config is None or is_explicit_v1(cls, lookup, ctx.names):
                continue
            if guarded is None:
                guarded = deliberate_v1_nodes(node, ctx.document, ctx.names)
            if id(cls) in guarded:
                continue
            settings = models.is_settings(cls)
            factory = "SettingsConfigDict" if settings else "ConfigDict"
            fix, safety = _fix_for(cls, config, ctx, settings)
            ctx.report(_header_span(config, ctx), fix, fix_safety=safety, model=cls.name, factory=factory)


def _fix_for(cls: ast.ClassDef, config: ast.ClassDef, ctx: RuleContext,
             settings: bool) -> tuple[Optional[FixFactory], Optional[FixSafety]]:
    has_model_config = any(
        isinstance(s, (ast.Assign, ast.AnnAssign)) and any(
            isinstance(t, ast.Name) and t.id == "model_config"
            for t in (s.targets if isinstance(s, ast.Assign) else [s.target]))
        for s in cls.body
    )
    v1_settings_import = settings and any(
        ctx.qualified_name(base) == "pydantic.BaseSettings"
        for member in class_chain(cls, same_file_lookup(ctx)) for base in member.bases
    )
    plan = plan_config(config, ctx.document, ctx.names, settings)
    if plan is None or has_model_config or v1_settings_import:
        return None, None
    module, factory = ("pydantic_settings", "SettingsConfigDict") if settings else ("pydantic", "ConfigDict")
    return (functools.partial(_edits, plan=plan, module=module, factory=factory),
            FixSafety.SAFE if plan.all_known else FixSafety.UNSAFE)


def _edits(fixer: FixContext, plan: ConfigPlan, module: str, factory: str) -> list[Edit]:
    local, imports = fixer.add_import(module, factory)
    return [*imports, Edit(plan.span, plan.text(local, fixer.document.newline))]


def _header_span(config: ast.ClassDef, ctx: RuleContext) -> Span:
    """`class Config`, without the block under it."""
    start = ctx.document.node_span(config).start
    match = _CLASS_CONFIG.match(ctx.document.line_text(start.line), start.column)
    if match is None:
        return ctx.document.node_span(config)
    return Span(start, Position(start.line, match.end()))
