"""HTTP status codes as the rules read and write them: literals, `status.HTTP_*` constants and reason phrases.

Owns the table from a numeric code to the constant name `fastapi.status` (Starlette's `status` module) gives it,
the reason phrase a code documents itself with, reading a status code out of an expression (`404`,
`status.HTTP_404_NOT_FOUND`, `HTTP_404_NOT_FOUND` imported by name), the qualified names of `HTTPException`, and
how to spell the `status` module at a given place in a file. Four constants were renamed in Starlette 0.48
(413, 414, 416, 422): older releases lack the new names and newer ones deprecate the old, so their spelling is
chosen only from what the file itself already writes.
"""

from __future__ import annotations

import ast
import http
import re
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.names import BindingKind, SymbolTable
from ..engine.types import Edit

STATUS_MODULES = ("fastapi.status", "starlette.status")
HTTP_EXCEPTIONS = frozenset(
    {"fastapi.HTTPException", "fastapi.exceptions.HTTPException", "starlette.exceptions.HTTPException"}
)
_CONSTANT = re.compile(r"HTTP_([1-5]\d\d)_[A-Z0-9_]+")

# Codes whose constant changed name in Starlette 0.48: (name before, name after, RFC 9110 reason phrase).
_RENAMED = {
    413: ("HTTP_413_REQUEST_ENTITY_TOO_LARGE", "HTTP_413_CONTENT_TOO_LARGE", "Content Too Large"),
    414: ("HTTP_414_REQUEST_URI_TOO_LONG", "HTTP_414_URI_TOO_LONG", "URI Too Long"),
    416: ("HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE", "HTTP_416_RANGE_NOT_SATISFIABLE", "Range Not Satisfiable"),
    422: ("HTTP_422_UNPROCESSABLE_ENTITY", "HTTP_422_UNPROCESSABLE_CONTENT", "Unprocessable Content"),
}
_STABLE_NAMES: dict[int, str] = {
    status.value: f"HTTP_{status.value}_{status.name}" for status in http.HTTPStatus if status.value not in _RENAMED
}
_STABLE_NAMES[306] = "HTTP_306_RESERVED"


def constant_name(code: int, source: str) -> Optional[str]:
    """The `status` constant for `code`, or None when there is none (or no spelling safe for this file)."""
    if code in _RENAMED:
        before, after, _ = _RENAMED[code]
        newer = any(names[1] in source for names in _RENAMED.values())
        older = any(names[0] in source for names in _RENAMED.values())
        if newer != older:
            return after if newer else before
        return None
    return _STABLE_NAMES.get(code)


def renamed_constants(code: int) -> Optional[tuple[str, str]]:
    """For a code whose constant Starlette 0.48 renamed: (name before, name after); None for the others."""
    names = _RENAMED.get(code)
    return (names[0], names[1]) if names is not None else None


def reason_phrase(code: int) -> Optional[str]:
    """The standard reason phrase of a code (`Not Found`), the same on every Python version."""
    if code in _RENAMED:
        return _RENAMED[code][2]
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return None


def status_code_of(node: Optional[ast.expr], names: SymbolTable) -> Optional[int]:
    """The code an expression stands for: an int literal or a `status.HTTP_xxx_...` constant; else None."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, (ast.Name, ast.Attribute)):
        qualified = names.qualified_name(node) or ""
        module, _, constant = qualified.rpartition(".")
        match = _CONSTANT.fullmatch(constant)
        if module in STATUS_MODULES and match:
            return int(match.group(1))
    return None


def http_exception_code(call: ast.Call) -> Optional[ast.expr]:
    """The status-code argument of an `HTTPException(...)` call: first positional or `status_code=`."""
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    for keyword in call.keywords:
        if keyword.arg == "status_code":
            return keyword.value
    return None


def status_reference(fixer: FixContext, anchor: ast.Call, module: str = "fastapi") -> Optional[tuple[str, list[Edit]]]:
    """How to spell the `status` module inside the call `anchor` (its scope is that of the names it reads),
    with the edits that import it from `module` when needed; None when a local `status` hides it and no
    other spelling (`fastapi.status` through `import fastapi`) reaches it."""
    names = fixer.names
    if names is None:
        return None
    first_name = next((n for n in ast.walk(anchor) if isinstance(n, ast.Name)), None)
    scope = names.scope_of(first_name) if first_name is not None else names.module_scope
    position = (anchor.lineno, anchor.col_offset)
    existing = names.lookup("status", scope, position)
    if existing is not None and existing.kind is BindingKind.IMPORT and existing.qualified_name in STATUS_MODULES:
        return "status", []
    local, edits = fixer.add_import(module, "status")
    bound = names.lookup(local, scope, position)
    if bound is None or (bound.kind is BindingKind.IMPORT and bound.qualified_name in STATUS_MODULES):
        return local, edits
    for binding in names.imports():
        if binding.qualified_name in ("fastapi", "starlette") and binding.scope is names.module_scope:
            if names.lookup(binding.name, scope, position) is binding:
                return f"{binding.name}.status", []
    return None
