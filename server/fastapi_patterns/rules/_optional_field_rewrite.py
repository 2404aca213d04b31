"""Text edits that turn a required Pydantic field into `X | None = None`, for FAP306.

Owns the spelling of the optional annotation (`X | None`, or `Optional[X]` when the module already imports
`typing.Optional`), the `None` default in every form a field may take (no value, `...`, `Field(...)`,
`Field(default=...)`, `Field(min_length=1)`), and the override lines a subclass gets for a field it inherits.
"""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.names import SymbolTable
from ..engine.types import Edit, Position
from ._call_arguments import append_keyword
from ._pydantic_models import ModelField, admits_none, field_call


def optional_annotation(fixer: FixContext, annotation: ast.expr, names: SymbolTable) -> Optional[str]:
    """The annotation text admitting None; None when it cannot be written safely (a quoted annotation)."""
    text = fixer.text(annotation)
    if admits_none(annotation, names):
        return text
    if isinstance(annotation, ast.Constant) or "\n" in text:
        return None
    optional = fixer.bound_name("typing.Optional") or fixer.bound_name("typing_extensions.Optional")
    return f"{optional}[{text}]" if optional else f"{text} | None"


def field_edits(fixer: FixContext, field: ModelField, names: SymbolTable) -> Optional[list[Edit]]:
    """Edits that make a declared field optional with a `None` default, where it stands."""
    annotation = optional_annotation(fixer, field.annotation, names)
    if annotation is None:
        return None
    edits = [] if annotation == fixer.text(field.annotation) else [fixer.replace(field.annotation, annotation)]
    value = field.value
    if value is None:
        edits.append(fixer.insert_after(field.annotation, " = None"))
        return edits
    call = field_call(value, names)
    if call is None:
        edits.append(fixer.replace(value, "None"))  # `...`
        return edits
    default = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "default"), None)
    if default is not None:
        edits.append(fixer.replace(default, "None"))
        return edits
    keyword = append_keyword(fixer, call, "default=None")
    return None if keyword is None else [*edits, *keyword]


def override_text(fixer: FixContext, field: ModelField, names: SymbolTable) -> Optional[str]:
    """`name: X | None = ...` re-declaring an inherited field as optional, keeping its `Field(...)` options."""
    annotation = optional_annotation(fixer, field.annotation, names)
    if annotation is None:
        return None
    call = field_call(field.value, names)
    if call is None:
        return f"{field.name}: {annotation} = None"
    text = fixer.text(call)
    if "\n" in text:
        return None
    start = fixer.document.offset(fixer.span(call).start)

    def local(node: ast.AST) -> tuple[int, int]:
        span = fixer.span(node)
        return fixer.document.offset(span.start) - start, fixer.document.offset(span.end) - start

    default = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "default"), None)
    if default is not None:
        begin, end = local(default)
        new_call = f"{text[:begin]}None{text[end:]}"
    else:
        opening = len(fixer.text(call.func))
        rest = text[opening + 1:]
        new_call = f"{text[:opening + 1]}default=None{', ' if rest.strip() != ')' else ''}{rest}"
    return f"{field.name}: {annotation} = {new_call}"


def overrides_edit(fixer: FixContext, cls: ast.ClassDef, lines: list[str]) -> Optional[Edit]:
    """Insert field declarations at the top of a class body (after its docstring)."""
    body = cls.body
    first = 1 if _is_docstring(body[0]) and len(body) > 1 else 0
    if _is_docstring(body[0]) and len(body) == 1:
        return None
    statement = body[first]
    decorators = getattr(statement, "decorator_list", [])
    line = min([statement.lineno, *(d.lineno for d in decorators)]) - 1
    if line <= cls.lineno - 1:
        return None  # `class A(B): ...` on one line
    indent = fixer.document.line_indent(line)
    newline = fixer.document.newline
    return fixer.insert(Position(line, 0), "".join(f"{indent}{text}{newline}" for text in lines))


def _is_docstring(statement: ast.stmt) -> bool:
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str))
