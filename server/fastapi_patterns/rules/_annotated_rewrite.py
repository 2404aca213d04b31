"""Rewriting `name: T = Depends(f)` / `Query(...)` parameters to `name: Annotated[T, ...]`, for FAP205.

Owns the plan and the text of one parameter: whether its default is a FastAPI marker, what default (if any)
it keeps once the marker moves into `Annotated` (`Query("x")` keeps `"x"`, `Query(...)` and `Depends(f)` keep
none), how `Annotated` and `Any` are spelled in the file (and the imports they need), and the rewritten
parameter's text, which is re-parsed before it is offered. Reordering a signature lives in `_signature_order`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional

from ..engine.fastapi_model import DEPENDS, PARAM_MARKERS, annotated_parts, keyword_value
from ..engine.fixes import FixContext
from ..engine.names import SymbolTable
from ..engine.types import Edit, Position, Span


@dataclass(frozen=True)
class MarkerParameter:
    """A parameter whose default is a FastAPI marker call, and how it is rewritten."""

    arg: ast.arg
    marker: ast.Call
    kept_default: Optional[ast.expr]  # the default that stays after the rewrite, None when it becomes required
    removed: Optional[ast.AST]  # the argument taken out of the marker call (a positional or `default=` default)
    rewritable: bool

    @property
    def keeps_default(self) -> bool:
        return self.kept_default is not None or not self.rewritable


def marker_parameter(arg: ast.arg, default: Optional[ast.expr], names: SymbolTable) -> Optional[MarkerParameter]:
    """The plan for one parameter, or None when its default is not a FastAPI marker."""
    if not isinstance(default, ast.Call):
        return None
    kind = names.qualified_name(default.func)
    if kind not in DEPENDS and kind not in PARAM_MARKERS:
        return None
    dynamic = any(isinstance(a, ast.Starred) for a in default.args) or any(k.arg is None for k in default.keywords)
    already_annotated = bool(annotated_parts(arg.annotation, names)[1])
    rewritable = not dynamic and not already_annotated
    if kind in DEPENDS:
        target = default.args[0] if default.args else keyword_value(default, "dependency")
        if target is None and arg.annotation is None:
            rewritable = False  # `Depends()` takes its callable from the annotation: `Any` would break it
        return MarkerParameter(arg, default, None, None, rewritable)
    if len(default.args) > 1:
        return MarkerParameter(arg, default, None, None, False)
    value = default.args[0] if default.args else keyword_value(default, "default")
    removed: Optional[ast.AST] = None
    if value is not None:
        removed = value if default.args else next(k for k in default.keywords if k.arg == "default")
    required = value is None or (isinstance(value, ast.Constant) and value.value is Ellipsis)
    return MarkerParameter(arg, default, None if required else value, removed, rewritable)


@dataclass(frozen=True)
class TypingNames:
    annotated: str
    any: str
    edits: tuple[Edit, ...]


def typing_names(fixer: FixContext, need_any: bool) -> TypingNames:
    """Local spellings of `Annotated` (typing or typing_extensions, as the file has it) and `Any`, plus imports."""
    missing: list[str] = []
    annotated = _spelling(fixer, "Annotated")
    if annotated is None:
        annotated = "Annotated"
        missing.append("Annotated")
    any_name = _spelling(fixer, "Any") if need_any else "Any"
    if any_name is None:
        any_name = "Any"
        missing.append("Any")
    edits: tuple[Edit, ...] = ()
    if missing:
        edits = tuple(fixer.add_import("typing", ", ".join(missing))[1])
    return TypingNames(annotated, any_name, edits)


def _spelling(fixer: FixContext, name: str) -> Optional[str]:
    for module in ("typing", "typing_extensions"):
        bound = fixer.bound_name(f"{module}.{name}")
        if bound is not None:
            return bound
    for module in ("typing", "typing_extensions"):
        bound = fixer.bound_name(module)
        if bound is not None:
            return f"{bound}.{name}"
    return None


def parameter_span(fixer: FixContext, plan: MarkerParameter) -> Span:
    """From the parameter's name to the end of its default, parentheses around the default included."""
    return Span(fixer.span(plan.arg).start, item_end(fixer, plan.arg, plan.marker))


def rewritten_text(fixer: FixContext, plan: MarkerParameter, names: TypingNames) -> Optional[str]:
    """`name: Annotated[T, Marker(...)] = default` for one parameter; None when the text would not parse."""
    annotation = fixer.text(plan.arg.annotation) if plan.arg.annotation is not None else names.any
    text = f"{plan.arg.arg}: {names.annotated}[{annotation}, {_marker_text(fixer, plan)}]"
    if plan.kept_default is not None:
        text += f" = {fixer.text(plan.kept_default)}"
    try:
        ast.parse(f"def _({text}): pass")
    except SyntaxError:
        return None
    return text


def _marker_text(fixer: FixContext, plan: MarkerParameter) -> str:
    """The marker call's source without its default argument (keeping the rest as written)."""
    document = fixer.document
    call_start = document.offset(fixer.span(plan.marker).start)
    text = fixer.text(plan.marker)
    if plan.removed is None:
        return text
    items = sorted([*plan.marker.args, *plan.marker.keywords], key=lambda n: fixer.span(n).start)
    index = items.index(plan.removed)

    def offset(position: Position) -> int:
        return document.offset(position) - call_start

    if index + 1 < len(items):
        start, end = offset(fixer.span(plan.removed).start), offset(fixer.span(items[index + 1]).start)
    elif index > 0:
        start, end = offset(fixer.span(items[index - 1]).end), offset(fixer.span(plan.removed).end)
    else:
        start, end = offset(fixer.span(plan.removed).start), len(text) - 1
    return text[:start] + text[end:]


def item_end(fixer: FixContext, arg: ast.arg, default: Optional[ast.expr]) -> Position:
    """Where a parameter ends: after its default and any parentheses written around that default."""
    if default is None:
        return fixer.span(arg).end
    document = fixer.document
    source = document.source
    opened = source.count("(", document.offset(fixer.span(arg).end), document.offset(fixer.span(default).start))
    end = document.offset(fixer.span(default).end)
    while opened and end < len(source):
        if source[end] == ")":
            opened -= 1
        elif not source[end].isspace():
            break
        end += 1
    return document.position_at(end)
