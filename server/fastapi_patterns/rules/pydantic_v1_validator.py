"""FAP303 pydantic-v1-validator: `@validator` / `@root_validator` where Pydantic v2 has its own decorators."""

from __future__ import annotations

import ast
import functools
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.names import FunctionNode
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Position
from ._pydantic_models import deliberate_v1_nodes

_V1_MODULES = ("pydantic", "pydantic.class_validators", "pydantic.deprecated.class_validators")
FIELD_VALIDATORS = frozenset(f"{module}.validator" for module in _V1_MODULES)
ROOT_VALIDATORS = frozenset(f"{module}.root_validator" for module in _V1_MODULES)
_DROPPED = frozenset({"allow_reuse", "skip_on_failure"})
_M = "from pydantic import BaseModel, validator\n"
_F = "from pydantic import BaseModel, validator, field_validator\n"
_R = "from pydantic import BaseModel, root_validator\n"
_RM = "from pydantic import BaseModel, root_validator, model_validator\n"
_BODY = "    def check(cls, v):\n        return v\n"


class PydanticV1Validator(Rule):
    """
    ## What it does
    Flags the Pydantic v1 decorators `@validator` and `@root_validator` imported from `pydantic`.

    Code that imports them from `pydantic.v1` is written for v1 on purpose and is left alone, as are
    validators under a version check (`if PYDANTIC_V2: ... else: ...`) or in an `except ImportError:` branch.

    ## Why is this bad?
    Pydantic v2 keeps the v1 decorators only as deprecated shims that warn on import of the model. Their
    replacements, `@field_validator` and `@model_validator`, say when they run (`mode="before"` or
    `"after"`), are explicit class methods, and receive a `ValidationInfo` instead of the v1 `values` dict.
    Moving to them now avoids a break when the shims go away.

    ## Example
    ```python
    from pydantic import BaseModel, validator


    class User(BaseModel):
        name: str

        @validator("name")
        def strip_name(cls, value: str) -> str:
            return value.strip()
    ```

    Use instead:
    ```python
    from pydantic import BaseModel, field_validator


    class User(BaseModel):
        name: str

        @field_validator("name")
        @classmethod
        def strip_name(cls, value: str) -> str:
            return value.strip()
    ```

    ## Fix safety
    Unsafe: v1 and v2 validators differ in details (what a "before" validator receives, error types), so the
    result deserves a look. `@validator(...)` becomes `@field_validator(...)` with `@classmethod` under it
    (`pre=True` becomes `mode="before"`, `allow_reuse` goes); `@root_validator(pre=True)` becomes
    `@model_validator(mode="before")`. No fix is offered for a field validator using `each_item`, `always`
    or more parameters than `(cls, value)` (its `values`, `field` or `config` need `ValidationInfo`), nor for
    a root validator that runs after validation: in v2 it receives the model instance, not a dict of values,
    so its body has to be rewritten by hand.
    """

    code = "FAP303"
    name = "pydantic-v1-validator"
    message = "Pydantic v1 `@{decorator}`: use `@{replacement}`"
    fix_title = "Rewrite as a Pydantic v2 validator"
    fix_safety = FixSafety.UNSAFE
    node_types = (ast.Module,)
    trigger_words = ("validator",)

    VALID = (
        Valid("from pydantic import BaseModel, field_validator\nclass U(BaseModel):\n    n: str\n"
              "    @field_validator('n')\n    @classmethod\n" + _BODY),
        Valid("from pydantic.v1 import BaseModel, validator\nclass U(BaseModel):\n    n: str\n"
              "    @validator('n')\n" + _BODY),
        Valid("from pydantic import v1\nclass U(v1.BaseModel):\n    n: str\n    @v1.root_validator\n"
              "    def check(cls, values):\n        return values\n"),
        Valid("from app.checks import validator\nclass U:\n    @validator('n')\n" + _BODY),
        Valid("import pydantic\nfrom pydantic import BaseModel\nclass U(BaseModel):\n    n: str\n"
              "    if pydantic.VERSION.startswith('1'):\n"
              "        @pydantic.validator('n')\n" + _BODY.replace("    ", "        ")),
        Valid("from pydantic import BaseModel\ntry:\n    from pydantic import field_validator\nexcept ImportError:\n"
              "    from pydantic import validator\n    class U(BaseModel):\n        @validator('n')\n"
              "        def check(cls, v):\n            return v\n"),
        Valid(_M + "def validator_factory():\n    validator = lambda *a: (lambda f: f)\n    class U(BaseModel):\n"
              "        @validator('n')\n        def check(cls, v):\n            return v\n    return U\n"),
        Valid(_M + "class U(BaseModel):\n    n: str\n    def validator(self): ...\n"),
        Valid(_M + "import pytest\ndef test_shim():\n    with pytest.warns(DeprecationWarning):\n"
              "        class U(BaseModel):\n            @validator('n')\n            def check(cls, v):\n"
              "                return v\n"),
        Valid("import pydantic as p\nclass U(p.BaseModel):\n    @p.field_validator('n', mode='before')\n"
              "    @classmethod\n" + _BODY + "    @p.model_validator(mode='after')\n    def whole(self):\n"
              "        return self\n"),
    )
    INVALID = (
        Invalid(_M + "class U(BaseModel):\n    n: str\n    @validator('n')\n" + _BODY,
                _F + "class U(BaseModel):\n    n: str\n    @field_validator('n')\n"
                "    @classmethod\n" + _BODY, unsafe=True),
        Invalid(_M + "class U(BaseModel):\n    @validator('a', 'b', pre=True, allow_reuse=True)  # trim\n" + _BODY,
                _F + "class U(BaseModel):\n    @field_validator('a', 'b', mode=\"before\")  # trim\n    @classmethod\n"
                + _BODY, unsafe=True),
        Invalid(_M + "class U(BaseModel):\n    @validator('n', check_fields=False)\n    @classmethod\n" + _BODY,
                _F + "class U(BaseModel):\n    @field_validator('n', check_fields=False)\n    @classmethod\n" + _BODY,
                unsafe=True),
        Invalid(_M + "class U(BaseModel):\n    @validator('n', each_item=True)\n" + _BODY),
        Invalid(_M + "class U(BaseModel):\n    @validator('n', pre=False)\n    @staticmethod\n"
                "    def check(v, w):\n        return v\n"),
        Invalid(_M + "class U(BaseModel):\n    @validator('n', pre=False)\n" + _BODY,
                _F + "class U(BaseModel):\n    @field_validator('n')\n    @classmethod\n" + _BODY, unsafe=True),
        Invalid(_M + "class U(BaseModel):\n    @validator('n', always=True)\n" + _BODY),
        Invalid(_M + "class U(BaseModel):\n    @validator('n')\n    def check(cls, v, values):\n        return v\n"),
        Invalid(_M + "class U(BaseModel):\n    @validator('n')\n    def check(cls, v, **kwargs):\n        return v\n"),
        Invalid(_R + "class U(BaseModel):\n    @root_validator(pre=True)\n    def fill(cls, values):\n"
                "        return values\n",
                _RM + "class U(BaseModel):\n    @model_validator(mode=\"before\")\n    @classmethod\n"
                "    def fill(cls, values):\n        return values\n", unsafe=True),
        Invalid(_R + "class U(BaseModel):\n    @root_validator\n    def check(cls, values):\n        return values\n"),
        Invalid(_R + "class U(BaseModel):\n    @root_validator(skip_on_failure=True)\n"
                "    def check(cls, values):\n        return values\n"),
        Invalid("import pydantic as p\nclass U(p.BaseModel):\n    @p.validator('n')\n" + _BODY,
                "import pydantic as p\nfrom pydantic import field_validator\nclass U(p.BaseModel):\n"
                "    @field_validator('n')\n    @classmethod\n" + _BODY, unsafe=True),
        Invalid("from pydantic.class_validators import validator as v1v\nfrom app.base import Base\nclass U(Base):\n"
                "    @v1v('x')\n    async def check(cls, v):\n        return v\n",
                "from pydantic import field_validator\nfrom pydantic.class_validators import validator as v1v\n"
                "from app.base import Base\nclass U(Base):\n"
                "    @field_validator('x')\n    @classmethod\n    async def check(cls, v):\n"
                "        return v\n", unsafe=True),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        guarded: Optional[set[int]] = None
        for function, scope in ctx.names.visit_order:
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or not scope.is_class:
                continue
            for decorator in function.decorator_list:
                callee = decorator.func if isinstance(decorator, ast.Call) else decorator
                qualified = ctx.qualified_name(callee)
                root = qualified in ROOT_VALIDATORS
                if not root and qualified not in FIELD_VALIDATORS:
                    continue
                if guarded is None:
                    guarded = deliberate_v1_nodes(node, ctx.document, ctx.names)
                if id(function) in guarded:
                    continue
                replacement = "model_validator" if root else "field_validator"
                plan = _plan(function, decorator, root, ctx)
                fix = functools.partial(_edits, plan=plan) if plan is not None else None
                ctx.report(decorator, fix, decorator="root_validator" if root else "validator",
                           replacement=replacement)


_Plan = tuple[ast.Call, str, list[str], bool]


def _plan(function: FunctionNode, decorator: ast.expr, root: bool, ctx: RuleContext) -> Optional[_Plan]:
    """(decorator call, new decorator name, its argument texts, whether `@classmethod` must be added)."""
    if not isinstance(decorator, ast.Call) or any(isinstance(a, ast.Starred) for a in decorator.args):
        return None
    arguments = [ctx.document.node_text(a) for a in decorator.args]
    mode: Optional[str] = None
    for keyword in decorator.keywords:
        value = keyword.value
        if keyword.arg == "pre" and isinstance(value, ast.Constant) and isinstance(value.value, bool):
            mode = "before" if value.value else None
        elif keyword.arg == "check_fields" and not root:
            arguments.append(ctx.document.node_text(keyword))
        elif keyword.arg not in _DROPPED:
            return None  # each_item, always, whole, **options: no faithful v2 spelling
    if root and (mode is None or decorator.args):
        return None  # an "after" root validator gets the model, not the values dict
    if mode is not None:
        arguments.append(f'mode="{mode}"')
    args = function.args
    if len([*args.posonlyargs, *args.args]) != 2 or args.vararg or args.kwarg or args.kwonlyargs:
        return None
    methods = [i for i, d in enumerate(function.decorator_list) if ctx.qualified_name(d) in
               ("builtins.classmethod", "builtins.staticmethod")]
    position = function.decorator_list.index(decorator)
    if any(i < position or ctx.qualified_name(function.decorator_list[i]) == "builtins.staticmethod" for i in methods):
        return None
    return decorator, "model_validator" if root else "field_validator", arguments, not methods


def _edits(fixer: FixContext, plan: _Plan) -> list[Edit]:
    decorator, name, arguments, add_classmethod = plan
    local, edits = fixer.add_import("pydantic", name)
    edits.append(fixer.replace(decorator, f"{local}({', '.join(arguments)})"))
    if add_classmethod:
        end_line = fixer.span(decorator).end.line
        indent = fixer.document.line_indent(fixer.span(decorator).start.line)
        edits.append(fixer.insert(Position(end_line + 1, 0), f"{indent}@classmethod{fixer.document.newline}"))
    return edits
