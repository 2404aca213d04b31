"""Which `return` statements of a function may hand back `None` from a database lookup nobody checked.

Owns two things for FAP210. First, what a *nullable lookup* is: `session.get(Model, id)` on a value known to be
a session (or any receiver, when the first argument is a class), and `.scalar_one_or_none()`,
`.one_or_none()`, `.first()`, `.scalar()` calls, awaited or not; a count or `exists()` query never gives
`None` and is not one. Second, a small path-sensitive walk over the function's statements that tracks which
variables still hold an unchecked lookup result: an assignment starts tracking, `if x is None: raise ...`,
`if not x: return ...`, `assert x`, `if x is not None: ... else: raise ...` (and `and`/`or` combinations,
walrus tests) stop it on the paths where `x` cannot be `None`; branches merge by union, loops may run zero
times. A branch that ends by calling a plain function (`abort_404()`) counts as leaving, since such helpers
usually raise. A `.first()` assigned in a `try` whose handlers all leave is taken as checked: some ORMs (ormar)
raise for a missing row there, and the handler is the check. Nested functions and classes are not entered.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Optional

from ..engine.names import BindingKind, SymbolTable
from ._sessions import session_value

State = dict[str, ast.Call]  # variable -> the lookup call whose unchecked result it holds
_ALWAYS_NULLABLE = frozenset({"scalar_one_or_none", "one_or_none"})
_AGGREGATES = frozenset({"count", "exists"})


@dataclass(frozen=True)
class NullableReturn:
    statement: ast.Return
    lookup: ast.Call
    variable: Optional[str]  # None when the lookup itself is returned


def nullable_lookup(node: Optional[ast.expr], names: SymbolTable) -> Optional[ast.Call]:
    """The lookup call when `node` (possibly awaited) may evaluate to None for a missing row."""
    if isinstance(node, ast.Await):
        node = node.value
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    method, receiver = node.func.attr, node.func.value
    if method in _ALWAYS_NULLABLE and not node.args and not node.keywords:
        return node
    if method == "first" and not node.args and not node.keywords:
        return None if _aggregate(receiver, names, 0) else node
    if method == "scalar" and len(node.args) <= 1 and not node.keywords:
        return None if _aggregate(node, names, 0) else node
    if method == "get" and len(node.args) >= 2 and not node.keywords:
        if session_value(receiver, names) is not None or names_a_class(node.args[0], names):
            return node
    return None


def names_a_class(node: ast.expr, names: SymbolTable) -> bool:
    """A class defined in the file, or an imported name or module attribute spelled like one (`User`)."""
    if isinstance(node, ast.Name):
        binding = names.binding_of(node)
        if binding is not None and binding.kind is BindingKind.CLASS:
            return True
        return binding is not None and binding.kind is BindingKind.IMPORT and node.id[:1].isupper()
    return isinstance(node, ast.Attribute) and node.attr[:1].isupper() and isinstance(node.value, ast.Name)


def _aggregate(node: ast.expr, names: SymbolTable, depth: int) -> bool:
    """A count or `exists()` somewhere in the query, following local variables a few steps back."""
    if depth > 4:
        return False
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute) and child.attr in _AGGREGATES:
            return True
        if isinstance(child, ast.Name) and child.id in _AGGREGATES:
            return True
        if isinstance(child, ast.Name) and child is not node:
            binding = names.binding_of(child)
            if binding is not None and binding.kind is BindingKind.ASSIGNMENT and binding.value is not None:
                if binding.scope is not names.module_scope and _aggregate(binding.value, names, depth + 1):
                    return True
    if isinstance(node, ast.Name):
        binding = names.binding_of(node)
        if binding is not None and binding.kind is BindingKind.ASSIGNMENT and binding.value is not None:
            return _aggregate(binding.value, names, depth + 1)
    return False


# -- the walk ---------------------------------------------------------------------------------------------


class NoneFlow:
    """Walks one function body and collects the returns that may give back an unchecked lookup result."""

    def __init__(self, names: SymbolTable) -> None:
        self.names = names
        self.found: list[NullableReturn] = []

    def run(self, body: list[ast.stmt]) -> list[NullableReturn]:
        self.block(body, {})
        return self.found

    def block(self, statements: list[ast.stmt], state: Optional[State]) -> Optional[State]:
        """The state after the block, or None when no path falls through its end."""
        for statement in statements:
            if state is None:
                return None
            state = self.statement(statement, state)
        return state

    def statement(self, node: ast.stmt, state: State) -> Optional[State]:
        handler: Optional[Callable[[ast.stmt, State], Optional[State]]] = getattr(self, f"_{type(node).__name__}", None)
        if handler is not None:
            return handler(node, state)
        if isinstance(node, (ast.Raise, ast.Continue, ast.Break)):
            return None
        return state

    def _Return(self, node: ast.Return, state: State) -> None:
        value = node.value
        if isinstance(value, ast.Name) and value.id in state:
            self.found.append(NullableReturn(node, state[value.id], value.id))
        else:
            lookup = nullable_lookup(value, self.names)
            if lookup is not None:
                self.found.append(NullableReturn(node, lookup, None))

    def _Assign(self, node: ast.Assign, state: State) -> State:
        state = self._walrus(node.value, state)
        names = [n.id for target in node.targets for n in ast.walk(target) if isinstance(n, ast.Name)]
        return self._bind(names, node.value if len(node.targets) == 1 else None, state)

    def _AnnAssign(self, node: ast.AnnAssign, state: State) -> State:
        return self._bind([node.target.id] if isinstance(node.target, ast.Name) else [], node.value, state)

    def _AugAssign(self, node: ast.AugAssign, state: State) -> State:
        return self._bind([node.target.id] if isinstance(node.target, ast.Name) else [], None, state)

    def _Delete(self, node: ast.Delete, state: State) -> State:
        return self._bind([n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)], None, state)

    def _Expr(self, node: ast.Expr, state: State) -> State:
        return self._walrus(node.value, state)

    def _Assert(self, node: ast.Assert, state: State) -> State:
        state = self._walrus(node.test, state)
        return _without(state, non_none_when(node.test, True))

    def _If(self, node: ast.If, state: State) -> Optional[State]:
        state = self._walrus(node.test, state)
        body = self.block(node.body, _without(state, non_none_when(node.test, True)))
        if body is not None and _ends_in_helper_call(node.body, self.names) and non_none_when(node.test, False):
            body = None
        orelse = self.block(node.orelse, _without(state, non_none_when(node.test, False)))
        return _merge(body, orelse)

    def _While(self, node: ast.While, state: State) -> Optional[State]:
        return self._loop(node, state, ())

    def _For(self, node: ast.For, state: State) -> Optional[State]:
        return self._loop(node, state, [n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)])

    _AsyncFor = _For

    def _loop(self, node: ast.For | ast.AsyncFor | ast.While, state: State, targets: object) -> Optional[State]:
        entry = self._bind(list(targets), None, state)  # type: ignore[call-overload]
        body = self.block(node.body, dict(entry))
        after = _merge(state, body)
        return self.block(node.orelse, after) if node.orelse and after is not None else after

    def _With(self, node: ast.With | ast.AsyncWith, state: State) -> Optional[State]:
        targets = [n.id for item in node.items if item.optional_vars is not None
                   for n in ast.walk(item.optional_vars) if isinstance(n, ast.Name)]
        return self.block(node.body, self._bind(targets, None, state))

    _AsyncWith = _With

    def _Try(self, node: ast.Try, state: State) -> Optional[State]:
        body = self.block(node.body, dict(state))
        entry = _merge(state, body) or state
        handler_ends = [self.block(handler.body, dict(entry)) for handler in node.handlers]
        if body is not None and handler_ends and all(end is None for end in handler_ends):
            body = {k: v for k, v in body.items() if state.get(k) is v or not _calls_method(v, "first")}
        body = self.block(node.orelse, body) if body is not None else None
        ends = [body, *handler_ends]
        merged: Optional[State] = None
        for end in ends:
            merged = _merge(merged, end)
        if not node.finalbody:
            return merged
        final = self.block(node.finalbody, dict(merged if merged is not None else entry))
        return final if merged is not None else None

    _TryStar = _Try

    def _Match(self, node: ast.Match, state: State) -> Optional[State]:
        merged: Optional[State] = state
        for case in node.cases:
            merged = _merge(merged, self.block(case.body, dict(state)))
        return merged

    def _FunctionDef(self, node: ast.FunctionDef, state: State) -> State:
        return self._bind([node.name], None, state)

    _AsyncFunctionDef = _FunctionDef
    _ClassDef = _FunctionDef

    def _bind(self, targets: list[str], value: Optional[ast.expr], state: State) -> State:
        state = {k: v for k, v in state.items() if k not in targets}
        lookup = nullable_lookup(value, self.names) if len(targets) == 1 else None
        if lookup is not None:
            state[targets[0]] = lookup
        return state

    def _walrus(self, node: ast.expr, state: State) -> State:
        for child in ast.walk(node):
            if isinstance(child, ast.NamedExpr):
                state = self._bind([child.target.id], child.value, state)
        return state


def non_none_when(test: ast.expr, truth: bool) -> set[str]:
    """Variables known not to be None when `test` evaluates to `truth`."""
    if isinstance(test, ast.NamedExpr):
        return {test.target.id} if truth else set()
    if isinstance(test, ast.Name):
        return {test.id} if truth else set()
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return non_none_when(test.operand, not truth)
    if isinstance(test, ast.BoolOp):
        parts = [non_none_when(value, truth) for value in test.values]
        if isinstance(test.op, ast.And) == truth:
            return set().union(*parts)
        return set.intersection(*parts) if parts else set()
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, right, op = test.left, test.comparators[0], test.ops[0]
        subject = left if _is_none(right) else right if _is_none(left) else None
        name = _subject_name(subject)
        if name is not None:
            negative = isinstance(op, (ast.IsNot, ast.NotEq))
            positive = isinstance(op, (ast.Is, ast.Eq))
            if (negative and truth) or (positive and not truth):
                return {name}
        return set()
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance" and test.args:
        name = _subject_name(test.args[0])
        return {name} if name is not None and truth else set()
    return set()


def _subject_name(node: Optional[ast.expr]) -> Optional[str]:
    if isinstance(node, ast.NamedExpr):
        return node.target.id
    return node.id if isinstance(node, ast.Name) else None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _calls_method(call: ast.Call, method: str) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == method


def _without(state: State, checked: set[str]) -> State:
    return {k: v for k, v in state.items() if k not in checked}


def _merge(first: Optional[State], second: Optional[State]) -> Optional[State]:
    if first is None:
        return None if second is None else dict(second)
    if second is None:
        return dict(first)
    return {**first, **second}


def _ends_in_helper_call(body: list[ast.stmt], names: SymbolTable) -> bool:
    """The branch ends by calling a plain function of the project (`abort_not_found()`), which likely raises."""
    last = body[-1] if body else None
    if not (isinstance(last, ast.Expr) and isinstance(last.value, (ast.Call, ast.Await))):
        return False
    call = last.value.value if isinstance(last.value, ast.Await) else last.value
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
        return False
    return not (names.qualified_name(call.func) or "").startswith("builtins.")
