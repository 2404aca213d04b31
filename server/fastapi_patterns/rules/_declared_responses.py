"""Which status codes a route documents through `responses=`, and adding one, for FAP209.

Owns reading the `responses=` mappings that apply to one path operation (its decorator's, and through
`RouterChain` its router's, the `include_router(...)` calls' and the app's in the same module) into a set of
codes. Keys may be int literals, `status.HTTP_*` constants, numeric strings, OpenAPI ranges (`"4XX"`) or
`"default"`. A mapping that cannot be read completely (a value computed at run time, a `**spread` of
something unknown, a key that is a variable) makes the answer unknown (None): callers then stay silent.
Writing adds `code: {"description": ...}` to a decorator's `responses=` literal, or the keyword itself, with
the key spelled as the raise spells it when that spelling means the same at the decorator.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Optional

from ..engine.fastapi_model import PathOperation
from ..engine.fixes import FixContext
from ..engine.names import BindingKind, SymbolTable
from ..engine.types import Edit
from ._call_arguments import append_dict_entry, append_keyword
from ._router_chain import RouterChain
from ._status_codes import status_code_of

_RANGE = re.compile(r"([1-5])XX", re.IGNORECASE)
_MAX_DEPTH = 5


@dataclass
class DeclaredCodes:
    """Codes a route documents: exact codes, ranges by their first digit, or everything (`"default"`)."""

    codes: set[int] = field(default_factory=set)
    ranges: set[int] = field(default_factory=set)
    everything: bool = False

    def covers(self, code: int) -> bool:
        return self.everything or code in self.codes or code // 100 in self.ranges


def declared_codes(operation: PathOperation, chain: RouterChain, names: SymbolTable) -> Optional[DeclaredCodes]:
    """The codes documented for the operation, or None when some `responses=` cannot be read."""
    if any(keyword.arg is None for keyword in operation.decorator.keywords):
        return None  # `**options` may carry responses
    declared = DeclaredCodes()
    own = operation.keyword("responses")
    for mapping in ([own] if own is not None else []) + chain.inherited(operation, "responses"):
        if not _read(mapping, names, declared, depth=0):
            return None
    return declared


def _read(node: ast.expr, names: SymbolTable, declared: DeclaredCodes, depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return False
    if isinstance(node, ast.Constant) and node.value is None:
        return True
    if isinstance(node, ast.Name):
        binding = names.binding_of(node)
        if binding is None or binding.kind is not BindingKind.ASSIGNMENT or binding.value is None:
            return False
        return _read(binding.value, names, declared, depth + 1)
    if not isinstance(node, ast.Dict):
        return False
    for key, value in zip(node.keys, node.values, strict=True):
        if key is None:
            if not _read(value, names, declared, depth + 1):
                return False
        elif not _add_key(key, names, declared):
            return False
    return True


def _add_key(key: ast.expr, names: SymbolTable, declared: DeclaredCodes) -> bool:
    code = status_code_of(key, names)
    if code is not None:
        declared.codes.add(code)
        return True
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        text = key.value.strip()
        if text.isdigit():
            declared.codes.add(int(text))
        elif _RANGE.fullmatch(text):
            declared.ranges.add(int(text[0]))
        elif text == "default":
            declared.everything = True
        return True
    return False


# -- writing: document one more code on the decorators that lack it ------------------------------------------


def can_document(operations: list[PathOperation]) -> bool:
    """Whether every decorator's `responses=` is absent or a dict literal, so an entry can be added to it."""
    return all(isinstance(operation.keyword("responses"), (ast.Dict, type(None))) for operation in operations)


def document_code(fixer: FixContext, operations: list[PathOperation], code: int, code_node: ast.expr,
                  description: str) -> Optional[list[Edit]]:
    """Edits adding `code: {"description": ...}` to each decorator's `responses=` (creating it when absent)."""
    edits: list[Edit] = []
    text = _string_literal(description)
    for operation in operations:
        entry = f"{_key_text(fixer, operation, code, code_node)}: {{\"description\": {text}}}"
        existing = operation.keyword("responses")
        if existing is None:
            added = append_keyword(fixer, operation.decorator, f"responses={{{entry}}}")
        elif isinstance(existing, ast.Dict):
            added = append_dict_entry(fixer, existing, entry)
        else:
            return None
        if added is None:
            return None
        edits.extend(added)
    return edits


def _string_literal(text: str) -> str:
    """A double-quoted Python literal for `text`, escaping what is not printable (as `repr` does)."""
    quoted = repr(text)
    if quoted.startswith("'") and '"' not in text:
        quoted = '"' + quoted[1:-1].replace("\\'", "'") + '"'
    return quoted


def _key_text(fixer: FixContext, operation: PathOperation, code: int, code_node: ast.expr) -> str:
    """The code as the raise writes it, when that spelling means the same at the decorator; else the number."""
    names = fixer.names
    root = code_node
    while isinstance(root, ast.Attribute):
        root = root.value
    if names is None or not isinstance(root, ast.Name):
        return str(code)
    anchor = operation.decorator.func
    while isinstance(anchor, ast.Attribute):
        anchor = anchor.value
    scope = names.scope_of(anchor) if isinstance(anchor, ast.Name) else names.module_scope
    at_decorator = names.lookup(root.id, scope, (operation.decorator.lineno, operation.decorator.col_offset))
    if at_decorator is not None and at_decorator is names.binding_of(root):
        return fixer.text(code_node)
    return str(code)
