"""Calls that go through a database session or connection, which serves one statement at a time.

Owns the question FAP105 asks before suggesting `asyncio.gather`: could these calls run concurrently at all?
Not when they share a SQLAlchemy `AsyncSession` or an asyncpg connection: both refuse concurrent operations.
A call counts as going through one when its receiver or an argument is a session known by its type, when one
of them is a parameter injected with `Depends(...)` that is not annotated as an HTTP client (in FastAPI code
that is most often the database session), when it uses a database-style method (`execute`, `scalars`,
`commit`...) on anything but a known HTTP client, when it runs a query string (`conn.fetchrow("select ...")`),
or when it looks up a model class (`db.get(User, id)`).
"""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fastapi_model import DEPENDS, annotated_parts, iter_parameters
from ..engine.names import BindingKind
from ..engine.rule import RuleContext
from ._none_flow import names_a_class
from ._sessions import session_value
from .http_client_per_request import HTTP_CLIENTS

_DATABASE_METHODS = frozenset(
    {"execute", "executemany", "scalar", "scalars", "scalar_one", "scalar_one_or_none", "stream", "stream_scalars",
     "merge", "refresh", "flush", "commit", "run_sync", "exec"}
)
_QUERY_METHODS = frozenset({"fetch", "fetchrow", "fetchval", "fetchone", "fetchall", "fetchmany"})

def through_database(call: ast.Call, ctx: RuleContext) -> bool:
    """The call goes through a session or connection, which runs one statement at a time: a session (known by
    its type), a value injected with `Depends` that is not an HTTP client, or a database-style method."""
    func = call.func
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if isinstance(func, ast.Attribute) and func.attr in _DATABASE_METHODS and not _is_http_client(receiver, ctx):
        return True
    query = call.args[0] if call.args else None
    if isinstance(func, ast.Attribute) and func.attr in _QUERY_METHODS and isinstance(query, (ast.JoinedStr, ast.Constant)):
        return True  # `conn.fetchrow("select ...", item)`
    if isinstance(func, ast.Attribute) and func.attr == "get" and call.args and names_a_class(call.args[0], ctx.names):
        return True  # `db.get(User, id)`
    values = [*call.args, *(k.value for k in call.keywords), *([receiver] if receiver is not None else [])]
    for value in values:
        root = _root_name(value)
        if root is None:
            continue
        if session_value(root, ctx.names) is not None or _injected_non_client(root, ctx):
            return True
    return False


def _root_name(node: ast.expr) -> Optional[ast.Name]:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return node if isinstance(node, ast.Name) else None


def _injected_non_client(name: ast.Name, ctx: RuleContext) -> bool:
    """A parameter that FastAPI fills through `Depends(...)` and that is not annotated as an HTTP client."""
    binding = ctx.names.binding_of(name)
    if binding is None or binding.kind is not BindingKind.PARAMETER:
        return False
    function = binding.scope.node
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for arg, default in iter_parameters(function):
        if arg is binding.node:
            annotation, markers = annotated_parts(arg.annotation, ctx.names)
            injected = any(isinstance(m, ast.Call) and ctx.qualified_name(m.func) in DEPENDS
                           for m in [*markers, *([default] if default is not None else [])])
            return injected and not (annotation is not None and ctx.qualified_name(annotation) in HTTP_CLIENTS)
    return False


def _is_http_client(node: Optional[ast.expr], ctx: RuleContext) -> bool:
    root = _root_name(node) if node is not None else None
    binding = ctx.names.binding_of(root) if root is not None else None
    if binding is None:
        return False
    if binding.annotation is not None:
        annotation = annotated_parts(binding.annotation, ctx.names)[0]
        return annotation is not None and ctx.qualified_name(annotation) in HTTP_CLIENTS
    value = binding.value
    return isinstance(value, ast.Call) and ctx.qualified_name(value.func) in HTTP_CLIENTS
