"""SQLAlchemy and SQLModel sessions as the database rules see them: what creates one and what holds one.

Owns the qualified names of the session classes and session factories, and two questions about an
expression: does this call create a session (`Session(engine)`, `AsyncSession(engine)`, `SessionLocal()`
where `SessionLocal = sessionmaker(...)` or `async_sessionmaker(...)` in the same file, `sessionmaker(...)()`),
and is this value a session (a parameter annotated with a session class, directly, in `Annotated[...]`,
`Optional[...]`, a string, or through a module-level alias such as `SessionDep = Annotated[Session, ...]`; a
variable assigned from, or a `with` target of, a session-creating call). Each answer says whether the session is
synchronous or asynchronous, which decides between `with` and `async with`.
"""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fastapi_model import keyword_value
from ..engine.names import BindingKind, SymbolTable

SYNC, ASYNC = "sync", "async"

SESSION_CLASSES: dict[str, str] = {
    "sqlalchemy.orm.Session": SYNC,
    "sqlalchemy.orm.session.Session": SYNC,
    "sqlmodel.Session": SYNC,
    "sqlmodel.orm.session.Session": SYNC,
    "sqlalchemy.ext.asyncio.AsyncSession": ASYNC,
    "sqlalchemy.ext.asyncio.session.AsyncSession": ASYNC,
    "sqlmodel.ext.asyncio.session.AsyncSession": ASYNC,
}
SESSION_FACTORIES: dict[str, str] = {
    "sqlalchemy.orm.sessionmaker": SYNC,
    "sqlalchemy.orm.session.sessionmaker": SYNC,
    "sqlalchemy.ext.asyncio.async_sessionmaker": ASYNC,
    "sqlalchemy.ext.asyncio.session.async_sessionmaker": ASYNC,
}
SCOPED_REGISTRIES = frozenset(
    {"sqlalchemy.orm.scoped_session", "sqlalchemy.orm.scoping.scoped_session",
     "sqlalchemy.ext.asyncio.async_scoped_session", "sqlalchemy.ext.asyncio.scoping.async_scoped_session"}
)
_ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})


def factory_kind(call: ast.expr, names: SymbolTable) -> Optional[str]:
    """SYNC or ASYNC when `call` builds a session factory (`sessionmaker(...)`, `scoped_session(sessionmaker())`)."""
    if not isinstance(call, ast.Call):
        return None
    qualified = names.qualified_name(call.func)
    if qualified in SCOPED_REGISTRIES:
        inner = call.args[0] if call.args else keyword_value(call, "session_factory")
        return factory_kind(inner, names) if inner is not None else None
    kind = SESSION_FACTORIES.get(qualified or "")
    if kind is None:
        return None
    chosen = keyword_value(call, "class_")
    if chosen is not None:
        return SESSION_CLASSES.get(names.qualified_name(chosen) or "", kind)
    return kind


def created_session(call: ast.Call, names: SymbolTable) -> Optional[str]:
    """SYNC or ASYNC when the call creates a session, None otherwise."""
    qualified = names.qualified_name(call.func)
    if qualified in SESSION_CLASSES:
        return SESSION_CLASSES[qualified]
    if isinstance(call.func, ast.Call):
        return factory_kind(call.func, names)
    if isinstance(call.func, ast.Name):
        binding = names.binding_of(call.func)
        if binding is not None and binding.kind is BindingKind.ASSIGNMENT and binding.value is not None:
            return factory_kind(binding.value, names)
    return None


def session_value(node: ast.expr, names: SymbolTable, depth: int = 0) -> Optional[str]:
    """SYNC or ASYNC when the expression is known to hold a session, None when unknown."""
    if depth > 6:
        return None
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call):
        return created_session(node, names)
    if not isinstance(node, ast.Name):
        return None
    binding = names.binding_of(node)
    if binding is None:
        return None
    if binding.annotation is not None and binding.kind in (BindingKind.PARAMETER, BindingKind.ASSIGNMENT):
        kind = annotation_session(binding.annotation, names)
        if kind is not None:
            return kind
    if binding.kind is BindingKind.ASSIGNMENT and binding.value is not None and binding.value is not node:
        return session_value(binding.value, names, depth + 1)
    return None


def annotation_session(annotation: Optional[ast.expr], names: SymbolTable) -> Optional[str]:
    """SYNC or ASYNC when an annotation names a session class, through wrappers and module-level aliases."""
    node, detached = annotation, False
    for _ in range(8):
        if node is None:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and not detached:
            node, detached = _parse(node.value), True
            continue
        qualified = _resolve(node.value if isinstance(node, ast.Subscript) else node, names, detached)
        if isinstance(node, ast.Subscript) and qualified in _ANNOTATED | _OPTIONAL:
            inner = node.slice
            node = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            node = _non_none(node)
        elif qualified in SESSION_CLASSES:
            return SESSION_CLASSES[qualified or ""]
        elif isinstance(node, ast.Name):
            alias = names.lookup(node.id, names.module_scope) if detached else names.binding_of(node)
            if alias is None or alias.kind is not BindingKind.ASSIGNMENT or alias.scope is not names.module_scope:
                return None
            node, detached = alias.value, False  # `SessionDep = Annotated[Session, Depends(get_session)]`
        else:
            return None
    return None


def _resolve(node: ast.expr, names: SymbolTable, detached: bool) -> Optional[str]:
    if not detached:
        return names.qualified_name(node)
    if isinstance(node, ast.Attribute):  # a string annotation: its names are read at module level
        base = _resolve(node.value, names, detached)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, ast.Name):
        binding = names.lookup(node.id, names.module_scope)
        if binding is not None and binding.kind is BindingKind.IMPORT:
            return binding.qualified_name
    return None


def _non_none(union: ast.BinOp) -> Optional[ast.expr]:
    for side, other in ((union.left, union.right), (union.right, union.left)):
        if isinstance(other, ast.Constant) and other.value is None:
            return side
    return None


def _parse(text: str) -> Optional[ast.expr]:
    try:
        return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return None
