"""Moving a blocking call off the event loop: where a call sits in a coroutine, and the edits that offload it.

Shared by the rules that flag blocking work inside `async def`. `placement_of` tells whether a call may be
rewritten as an `await` expression at all (not inside a generator expression, an f-string or the argument list
of a function that already offloads), whether it needs parentheses (`(await ...).read()`), and whether it is
used as a context manager (wrapping would change what the `with` block manages). `offload_edits` wraps the
call in the configured style (`run_in_executor`, `to_thread` or `run_in_threadpool`) keeping the argument
text verbatim; `sleep_edits` turns `time.sleep(x)` into `await asyncio.sleep(x)`. Both add the imports they
need, reuse existing aliases, and give up when the name they would use is shadowed where the call is. Both
also rewrite the coroutine's `async` keyword as itself: a no-op that makes them overlap the "convert to
`def`" fix of the same function, so fix-all never applies both (an `await` in a plain `def` does not compile).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional

from ..engine.blocking import AncestorPath
from ..engine.fixes import FixContext
from ..engine.names import BindingKind, FunctionNode, SymbolTable
from ..engine.types import Edit, Position, Span

OFFLOAD_FUNCTIONS = frozenset(
    {"asyncio.to_thread", "starlette.concurrency.run_in_threadpool", "fastapi.concurrency.run_in_threadpool",
     "anyio.to_thread.run_sync"}
)
_THREADPOOL_SOURCES = ("starlette.concurrency.run_in_threadpool", "fastapi.concurrency.run_in_threadpool")


@dataclass(frozen=True)
class CallPlacement:
    """How a call sits in its coroutine, as far as rewriting it into `await ...` is concerned."""

    awaited: bool  # already the operand of `await`
    context_manager: bool  # `with f(...) as x:`
    needs_parentheses: bool  # `f(...).attr`, `f(...)[i]`, `f(...)(...)`
    await_allowed: bool  # False in generator expressions, f-strings and arguments of an offloading call


def placement_of(call: ast.Call, ancestors: AncestorPath, names: SymbolTable) -> CallPlacement:
    parent = ancestors[-1] if ancestors else None
    needs_parentheses = (
        (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is call)
        or (isinstance(parent, ast.Call) and parent.func is call)
    )
    blocked = any(
        isinstance(a, (ast.GeneratorExp, ast.JoinedStr)) or (isinstance(a, ast.Call) and is_offload_call(a, names))
        for a in ancestors
    )
    return CallPlacement(
        awaited=isinstance(parent, ast.Await),
        context_manager=isinstance(parent, ast.withitem) and parent.context_expr is call,
        needs_parentheses=needs_parentheses,
        await_allowed=not blocked,
    )


def is_offload_call(call: ast.Call, names: SymbolTable) -> bool:
    """`asyncio.to_thread(...)`, `run_in_threadpool(...)`, `anyio.to_thread.run_sync(...)`, `x.run_in_executor(...)`."""
    if isinstance(call.func, ast.Attribute) and call.func.attr == "run_in_executor":
        return True
    return names.qualified_name(call.func) in OFFLOAD_FUNCTIONS


# -- edits -----------------------------------------------------------------------------------------------


def sleep_edits(fixer: FixContext, function: FunctionNode, call: ast.Call,
                placement: CallPlacement) -> Optional[list[Edit]]:
    """`time.sleep(x)` → `await asyncio.sleep(x)`, or None when the call cannot become an `await`."""
    arguments = _parenthesized_arguments(fixer, call)
    if arguments is None or not placement.await_allowed:
        return None
    edits: list[Edit] = []
    sleep = _usable(fixer, function, call, fixer.bound_name("asyncio.sleep"), "asyncio.sleep")
    if sleep is None:
        asyncio = _import_module(fixer, function, call, "asyncio", edits)
        if asyncio is None:
            return None
        sleep = f"{asyncio}.sleep"
    replacement = fixer.replace(call, _awaited(f"{sleep}{arguments}", placement))
    return [*edits, *_async_keyword_anchor(fixer, function), replacement]


def offload_edits(fixer: FixContext, function: FunctionNode, call: ast.Call, placement: CallPlacement,
                  style: str) -> Optional[list[Edit]]:
    """Wrap the call so it runs in a worker thread, in the configured style; None when that is not possible."""
    if not placement.await_allowed or placement.context_manager:
        return None
    arguments = _parenthesized_arguments(fixer, call)
    if arguments is None:
        return None
    inner = arguments[1:-1]
    if len(call.args) == 1 and not call.keywords and isinstance(call.args[0], ast.GeneratorExp):
        inner = f"({inner})"  # a bare generator argument must be parenthesized once it is not alone
    target = fixer.text(call.func)
    if inner.strip():
        separator = "," if inner.lstrip(" \t").startswith(("\n", "\r", "#")) else ", "
        target_and_arguments = f"{target}{separator}{inner}"
    else:
        target_and_arguments = target
    edits: list[Edit] = []
    if style == "run_in_threadpool":
        if any(k.arg == "func" for k in call.keywords):
            return None  # would collide with run_in_threadpool's own parameter
        runner = _threadpool_runner(fixer, function, call, edits)
        expression = f"{runner}({target_and_arguments})" if runner else None
    else:
        asyncio = _import_module(fixer, function, call, "asyncio", edits)
        if asyncio is None:
            return None
        if style == "to_thread":
            expression = f"{asyncio}.to_thread({target_and_arguments})"
        elif call.keywords:
            partial = _partial(fixer, function, call, edits)
            expression = (f"{asyncio}.get_running_loop().run_in_executor(None, {partial}({target_and_arguments}))"
                          if partial else None)
        else:
            expression = f"{asyncio}.get_running_loop().run_in_executor(None, {target_and_arguments})"
    if expression is None:
        return None
    anchor = _async_keyword_anchor(fixer, function)
    return [*_merge_insertions(edits), *anchor, fixer.replace(call, _awaited(expression, placement))]


def _async_keyword_anchor(fixer: FixContext, function: FunctionNode) -> list[Edit]:
    """The `async` keyword replaced by itself (see the module docstring)."""
    if not isinstance(function, ast.AsyncFunctionDef):
        return []
    start = fixer.span(function).start
    return [Edit(Span(start, Position(start.line, start.column + len("async"))), "async")]


def _awaited(expression: str, placement: CallPlacement) -> str:
    return f"(await {expression})" if placement.needs_parentheses else f"await {expression}"


def _parenthesized_arguments(fixer: FixContext, call: ast.Call) -> Optional[str]:
    """The call's `(...)` exactly as written, or None when something other than space precedes the `(`."""
    document = fixer.document
    text = document.text(Span(fixer.span(call.func).end, fixer.span(call).end)).lstrip(" \t\r\n")
    return text if text.startswith("(") and text.endswith(")") else None


def _threadpool_runner(fixer: FixContext, function: FunctionNode, call: ast.Call, edits: list[Edit]) -> Optional[str]:
    for source in _THREADPOOL_SOURCES:
        existing = _usable(fixer, function, call, fixer.bound_name(source), source)
        if existing is not None:
            return existing
    local, new = fixer.add_import("starlette.concurrency", "run_in_threadpool")
    if _usable(fixer, function, call, local, "starlette.concurrency.run_in_threadpool", adding=True) is None:
        return None
    edits.extend(new)
    return local


def _partial(fixer: FixContext, function: FunctionNode, call: ast.Call, edits: list[Edit]) -> Optional[str]:
    existing = _usable(fixer, function, call, fixer.bound_name("functools.partial"), "functools.partial")
    if existing is not None:
        return existing
    functools = _import_module(fixer, function, call, "functools", edits)
    return f"{functools}.partial" if functools else None


def _import_module(fixer: FixContext, function: FunctionNode, call: ast.Call, module: str,
                   edits: list[Edit]) -> Optional[str]:
    local, new = fixer.add_import(module)
    if _usable(fixer, function, call, local, module, adding=bool(new)) is None:
        return None
    edits.extend(new)
    return local


def _usable(fixer: FixContext, function: FunctionNode, call: ast.Call, local: Optional[str], qualified: str,
            adding: bool = False) -> Optional[str]:
    """`local` when, read at the call, it means `qualified` (or will, once a module-level import is added)."""
    names = fixer.names
    if local is None or names is None:
        return None
    scope = names.scope_owned_by(function) or names.module_scope
    binding = names.lookup(local, scope, (call.lineno, call.col_offset))
    if binding is None:
        return local if adding else None
    if binding.kind is BindingKind.IMPORT and binding.qualified_name == qualified:
        return local
    return None


def _merge_insertions(edits: list[Edit]) -> list[Edit]:
    """Several import lines inserted at one point become one edit, so their order is the order asked for."""
    merged: list[Edit] = []
    for edit in edits:
        previous = merged[-1] if merged else None
        if previous is not None and previous.span == edit.span and edit.span.start == edit.span.end:
            merged[-1] = Edit(edit.span, previous.new_text + edit.new_text)
        else:
            merged.append(edit)
    return merged
