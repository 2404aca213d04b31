"""ORM queries as one function builds and runs them, for the database rules (FAP501, FAP503).

Owns the backward trace of an expression, inside one function (or the module body), through local
assignments, `await`, statement methods (`.where(...)`, `.options(...)`) and result methods (`.scalars()`,
`.unique()`, `.all()`), to the `select(...)` or legacy `session.query(...)` that made it. The trace says what
the expression is at that point: a statement, a legacy query, a result of rows, a result of model instances,
or a list of either; which loader options the statement carries; and whether `.unique()` was applied on the
way. It also answers the ORM relationships of a class named in the code, wherever the workspace declares it.
"""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass
from typing import Iterator, Optional, Union

from ..engine.document import Document
from ..engine.names import BindingKind
from ..engine.rule import RuleContext
from ..engine.types import Position
from ..engine.workspace.summary import RelationshipSummary

SQLMODEL_SELECT = frozenset({"sqlmodel.select", "sqlmodel.sql.expression.select"})
SELECT_FUNCTIONS = SQLMODEL_SELECT | {
    "sqlalchemy.select", "sqlalchemy.sql.select", "sqlalchemy.sql.expression.select", "sqlalchemy.future.select",
}
STATEMENT_METHODS = frozenset({
    "where", "filter", "filter_by", "order_by", "limit", "offset", "options", "join", "outerjoin", "join_from",
    "outerjoin_from", "select_from", "distinct", "group_by", "having", "execution_options", "slice", "params",
    "with_for_update", "correlate", "populate_existing", "enable_eagerloads", "autoflush",
})
ROWS_METHODS = frozenset({"execute", "stream"})  # session methods returning a result of rows
INSTANCES_METHODS = frozenset({"scalars", "stream_scalars"})  # session methods returning model instances
SESSION_METHODS = ROWS_METHODS | INSTANCES_METHODS | {"exec"}  # `exec`: SQLModel's session
LIST_BUILTINS = frozenset({"builtins.list", "builtins.tuple", "builtins.set", "builtins.sorted"})
MAX_DEPTH = 16

# what a traced expression is
STATEMENT, QUERY, ROWS, INSTANCES, ROW_LIST, INSTANCE_LIST = (
    "statement", "query", "rows", "instances", "row-list", "instance-list")
RESULTS = (ROWS, INSTANCES)
YIELDS_INSTANCES = (QUERY, INSTANCES, INSTANCE_LIST)

Loop = Union[ast.For, ast.AsyncFor, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp]
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass(frozen=True)
class Traced:
    """What an expression is, traced back to the statement or query that made it."""

    root: ast.Call  # the `select(...)` or `session.query(...)` call
    entity: Optional[ast.expr]  # the one thing selected (a class, maybe a column), None for several
    kind: str
    options: tuple[ast.expr, ...] = ()  # arguments of the `.options(...)` calls met on the way
    sqlmodel: bool = False  # built with `sqlmodel.select`: `session.exec` yields its instances
    unique: bool = False  # `.unique()` was applied to the result
    scalars_call: Optional[ast.Call] = None  # the `.scalars()` that turned a result of rows into instances


def trace(node: ast.expr, ctx: RuleContext, depth: int = 0) -> Optional[Traced]:
    """What `node` is, when the code of its own function shows where it comes from; None otherwise."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, ast.Await):
        return trace(node.value, ctx, depth + 1)
    if isinstance(node, ast.Name):
        value = local_value(node, ctx)
        found = trace(value, ctx, depth + 1) if value is not None else None
        if found is not None and found.kind in RESULTS and not found.unique and _made_unique_in_place(node, ctx):
            found = dataclasses.replace(found, unique=True)
        return found
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    qualified = ctx.qualified_name(func)
    entity = node.args[0] if len(node.args) == 1 and not node.keywords else None
    if qualified in SELECT_FUNCTIONS:
        return Traced(node, entity, STATEMENT, sqlmodel=qualified in SQLMODEL_SELECT)
    if qualified in LIST_BUILTINS and len(node.args) == 1:
        return _as_list(trace(node.args[0], ctx, depth + 1))
    if not isinstance(func, ast.Attribute):
        return None
    method = func.attr
    if method == "query" and node.args:
        return Traced(node, entity, QUERY)
    if method in SESSION_METHODS and node.args:
        statement = trace(node.args[0], ctx, depth + 1)
        if statement is None or statement.kind != STATEMENT:
            return None
        yields_instances = method in INSTANCES_METHODS or (method == "exec" and statement.sqlmodel
                                                           and statement.entity is not None)
        return dataclasses.replace(statement, kind=INSTANCES if yields_instances else ROWS)
    receiver = trace(func.value, ctx, depth + 1)
    return _method(receiver, method, node) if receiver is not None else None


def _method(receiver: Traced, method: str, call: ast.Call) -> Optional[Traced]:
    kind = receiver.kind
    if kind in (STATEMENT, QUERY) and method in STATEMENT_METHODS:
        added = tuple(call.args) if method == "options" else ()
        return dataclasses.replace(receiver, options=receiver.options + added)
    if kind == QUERY and method == "all":
        return dataclasses.replace(receiver, kind=INSTANCE_LIST)
    if kind in RESULTS and method == "unique":
        return dataclasses.replace(receiver, unique=True)
    if kind == ROWS and method == "scalars" and not call.args and not call.keywords:
        return dataclasses.replace(receiver, kind=INSTANCES, scalars_call=call)
    if kind in RESULTS and method in ("all", "fetchall"):
        return _as_list(receiver)
    return None


def _as_list(found: Optional[Traced]) -> Optional[Traced]:
    if found is None:
        return None
    if found.kind in YIELDS_INSTANCES:
        return dataclasses.replace(found, kind=INSTANCE_LIST)
    return dataclasses.replace(found, kind=ROW_LIST) if found.kind in (ROWS, ROW_LIST) else None


def local_value(name: ast.Name, ctx: RuleContext) -> Optional[ast.expr]:
    """The value last assigned to `name` in its own scope before it is read (None for parameters, loop
    targets, names from enclosing scopes, or when the last binding is not a plain assignment)."""
    scope = ctx.names.scope_of(name)
    if isinstance(scope.node, ast.comprehension) or name.id in scope.globals or name.id in scope.nonlocals:
        return None
    read_at = (name.lineno, name.col_offset)
    earlier = [b for b in scope.bindings.get(name.id, ()) if _bound_before(b.node, b.value, read_at)]
    if not earlier or earlier[-1].kind is not BindingKind.ASSIGNMENT:
        return None
    return earlier[-1].value


def _bound_before(target: ast.AST, value: Optional[ast.expr], read_at: tuple[int, int]) -> bool:
    end = value if value is not None else target
    if not hasattr(end, "end_lineno"):
        return False
    return (end.end_lineno or 0, end.end_col_offset or 0) <= read_at  # type: ignore[attr-defined]


def _made_unique_in_place(name: ast.Name, ctx: RuleContext) -> bool:
    """`result.unique()` as a statement of its own: the result is made unique in place."""
    scope = ctx.names.scope_of(name)
    for node in walk_scope(scope.node):
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and not node.value.args
                and isinstance(node.value.func, ast.Attribute) and node.value.func.attr == "unique"
                and isinstance(node.value.func.value, ast.Name) and node.value.func.value.id == name.id):
            return True
    return False


def walk_scope(owner: ast.AST) -> Iterator[ast.AST]:
    """Every node of a function's (or module's) own body, nested functions, lambdas and classes left out."""
    pending: list[ast.AST] = []
    if isinstance(owner, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)):
        pending.extend(owner.body)
    while pending:
        node = pending.pop()
        yield node
        pending.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, _NESTED))


def body_owner(ctx: RuleContext) -> Optional[ast.AST]:
    """The function whose body the current node runs in, or the module; None inside a class body or lambda."""
    if not ctx.scope_stack:
        return ctx.document.tree
    owner = ctx.enclosing_function()
    return owner if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


# -- loops --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoopOver:
    """One loop variable and what it iterates, with the nodes that run once per item."""

    variable: ast.Name
    iterable: ast.expr
    per_item: tuple[ast.AST, ...]


def loops_of(loop: Loop, ctx: RuleContext) -> Iterator[LoopOver]:
    """The loop variables of a `for` or comprehension (`for x in xs`, `for i, x in enumerate(xs)`)."""
    generators: list[tuple[ast.expr, ast.expr, tuple[ast.AST, ...]]] = []
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        generators.append((loop.target, loop.iter, tuple(loop.body)))
    else:
        tail: tuple[ast.AST, ...] = (loop.key, loop.value) if isinstance(loop, ast.DictComp) else (loop.elt,)
        for index, generator in enumerate(loop.generators):
            later: list[ast.AST] = [part for g in loop.generators[index + 1:] for part in (g.iter, *g.ifs)]
            generators.append((generator.target, generator.iter, (*generator.ifs, *later, *tail)))
    for target, iterable, per_item in generators:
        if (isinstance(target, ast.Tuple) and len(target.elts) == 2 and isinstance(iterable, ast.Call)
                and len(iterable.args) == 1 and not iterable.keywords
                and ctx.qualified_name(iterable.func) == "builtins.enumerate"):
            target, iterable = target.elts[1], iterable.args[0]
        if isinstance(target, ast.Name):
            yield LoopOver(target, iterable, per_item)


def walk_per_item(nodes: tuple[ast.AST, ...]) -> Iterator[ast.AST]:
    pending = list(nodes)
    while pending:
        node = pending.pop()
        yield node
        pending.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, _NESTED))


# -- loader options and relationships ------------------------------------------------------------------------


def relationships_of(class_expr: ast.expr, ctx: RuleContext) -> dict[str, RelationshipSummary]:
    """The relationships of the ORM class an expression names, inherited ones included ({} when unknown)."""
    view = ctx.workspace
    found = view.class_(view.target_of(class_expr, ctx.names))
    return view.relationships(*found) if found is not None else {}


def loader_calls(options: tuple[ast.expr, ...], ctx: RuleContext, name: str) -> Iterator[tuple[ast.Call, ast.expr]]:
    """Every `name(Model.attr)` loader call in option arguments (`joinedload(...)`, chained
    `selectinload(A.b).joinedload(B.c)`, `Load(A).joinedload(A.b)`), with the `Model.attr` it loads."""
    for option in options:
        for node in ast.walk(option):
            if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Attribute):
                continue
            func = node.func
            qualified = ctx.qualified_name(func) or ""
            direct = qualified.startswith("sqlalchemy.orm.") and qualified.rsplit(".", 1)[-1] == name
            chained = isinstance(func, ast.Attribute) and func.attr == name and isinstance(func.value, ast.Call)
            if direct or chained:
                yield node, node.args[0]


def attribute_name_start(attribute: ast.Attribute, document: Document) -> Position:
    """Where the attribute's name (after the dot) starts."""
    end = document.node_span(attribute).end
    return Position(end.line, end.column - len(attribute.attr))
