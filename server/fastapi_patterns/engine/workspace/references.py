"""Turning expressions of one module into the values a summary keeps: references, literal values, ranges.

A `Ref` says where a name comes from as this module sees it, using the symbol table's scoping: an import (its
path as written, relative or not), a module-level name, an object bound inside a function, or a function's
parameter. Aliases bound inside functions (`r = users.router`) are followed here; module-level ones are kept as
names, for the index follows them across modules anyway. Nothing here knows other modules.
"""

from __future__ import annotations

import ast
import re
import sys
from typing import Optional

from ..document import Document
from ..fastapi_model import DEPENDS, keyword_value
from ..names import Binding, BindingKind, Scope, SymbolTable
from .summary import Ref, RefKind, TextRange, Value

MAX_TEXT = 160
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
STDLIB_ROOTS = frozenset(sys.stdlib_module_names)
_DEFINITION = re.compile(r"(?:async\s+)?(?:def|class)\s+(\w+)")


def qualified_scope_name(owners: tuple[ast.AST, ...]) -> str:
    """Python's `__qualname__` of the innermost owner: `Service.get`, `create_app.<locals>.helper`."""
    parts: list[str] = []
    for index, owner in enumerate(owners):
        parts.append(getattr(owner, "name", "<lambda>"))
        if index < len(owners) - 1 and isinstance(owner, _FUNCTIONS):
            parts.append("<locals>")
    return ".".join(parts)


def local_name(scope: Scope, name: str) -> str:
    """The summary's name for `name` bound in `scope`: itself at module level, qualified inside functions."""
    if not scope.owners:
        return name
    owner = scope.owners[-1]
    joiner = ".<locals>." if isinstance(owner, _FUNCTIONS) else "."
    return f"{qualified_scope_name(scope.owners)}{joiner}{name}"


def reference(node: Optional[ast.AST], names: SymbolTable, depth: int = 0) -> Optional[Ref]:
    """Where the object an expression names comes from; None for anything but a name or an attribute chain."""
    if depth > 12 or node is None:
        return None
    if isinstance(node, ast.Attribute):
        base = reference(node.value, names, depth + 1)
        return base.with_attribute(node.attr) if base is not None else None
    if isinstance(node, ast.Name):
        binding = names.binding_of(node)
        if binding is None:  # unbound here: maybe from a star import, unless it is a builtin
            builtin = (names.qualified_name(node) or "").startswith("builtins.")
            return None if builtin else Ref(RefKind.MODULE, node.id)
        return binding_reference(binding, node, names, depth)
    return None


def binding_reference(binding: Optional[Binding], node: ast.AST, names: SymbolTable, depth: int = 0) -> Optional[Ref]:
    if binding is None:
        return None
    if binding.kind is BindingKind.IMPORT:
        return Ref(RefKind.IMPORTED, binding.qualified_name) if binding.qualified_name else None
    if binding.scope is names.module_scope:
        return Ref(RefKind.MODULE, binding.name)
    if binding.kind is BindingKind.PARAMETER:
        return Ref(RefKind.PARAMETER, qualified_scope_name(binding.scope.owners), binding.name)
    value = binding.value
    if binding.kind is BindingKind.ASSIGNMENT and isinstance(value, (ast.Name, ast.Attribute)) and value is not node:
        return reference(value, names, depth + 1)
    return Ref(RefKind.LOCAL, local_name(binding.scope, binding.name))


def is_library_ref(ref: Optional[Ref]) -> bool:
    """An import from the standard library: never one of the user's modules."""
    return ref is not None and ref.kind is RefKind.IMPORTED and ref.target.split(".", 1)[0] in STDLIB_ROOTS


def text_of(node: ast.AST, document: Document) -> str:
    text = " ".join(document.node_text(node).split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def value_of(node: ast.expr, document: Document, names: SymbolTable) -> Value:
    text = text_of(node, document)
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, bool)):
        return Value(text, node.value, True)
    if isinstance(node, ast.Constant) and node.value is None:
        return Value(text, None, True)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    ):
        return Value(text, tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)),
                     True)
    if isinstance(node, (ast.List, ast.Tuple)):
        return Value(text, depends=tuple(t for t in (depends_target(e, document, names) for e in node.elts) if t))
    if isinstance(node, ast.Dict) and all(key is not None for key in node.keys):
        return Value(text, keys=tuple(document.node_text(key) for key in node.keys if key is not None))
    return Value(text, ref=reference(node, names))


def depends_target(node: ast.AST, document: Document, names: SymbolTable,
                   annotation: Optional[ast.expr] = None) -> Optional[str]:
    """The dependency a `Depends(x)`/`Security(x)` call names; `Depends()` means the annotation's class."""
    if not isinstance(node, ast.Call) or names.qualified_name(node.func) not in DEPENDS:
        return None
    target = node.args[0] if node.args else keyword_value(node, "dependency")
    chosen = target if target is not None else annotation
    return text_of(chosen, document) if chosen is not None else None


def keywords_of(call: ast.Call, document: Document, names: SymbolTable) -> tuple[tuple[str, Value], ...]:
    return tuple((k.arg, value_of(k.value, document, names)) for k in call.keywords if k.arg is not None)


def first_line_range(node: ast.AST, document: Document) -> TextRange:
    """The part of the node's first line that the node covers (a decorator includes its `@`)."""
    span = document.node_span(node)
    line = span.start.line
    text = document.line_text(line)
    start = span.start.column
    before = text[:start].rstrip()
    if before.endswith("@"):
        start = len(before) - 1
    end = span.end.column if span.end.line == line else len(text.rstrip())
    return TextRange(line, start, max(end, start), text)


def name_range(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, document: Document) -> TextRange:
    """The range of the name in `def name(` / `class name`."""
    line = function.lineno - 1
    text = document.line_text(line)
    start_column = document.byte_to_column(line, function.col_offset)
    found = _DEFINITION.match(text, start_column)
    if found is None or found.group(1) != function.name:
        return TextRange(line, start_column, start_column, text)
    return TextRange(line, found.start(1), found.end(1), text)
