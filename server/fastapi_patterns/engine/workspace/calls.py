"""Calls across modules: which functions block the event loop and through what chain, and who calls whom.

`blocking_chain` answers "does calling this function block, and how?" with the shortest chain of calls from the
function to a blocking call of the catalog (`get_user -> load_profile -> requests.get()`), following calls into
the user's other modules. A call that only creates a coroutine (an async function called without `await`) is not
followed: it runs later, elsewhere. `callers_of` lists every call of a function in the workspace, with whether it
is awaited, which is what deciding "nothing awaits it" needs.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Optional

from .resolve import Resolver
from .summary import CallUse, FunctionSummary

MAX_CHAIN = 8


@dataclass(frozen=True)
class ChainStep:
    """One function on a blocking chain; `line` is where it makes the next call (or the blocking call)."""

    file: str
    function: str
    line: int


@dataclass(frozen=True)
class BlockingChain:
    steps: tuple[ChainStep, ...]  # from the function asked about to the one that makes the blocking call
    blocking_call: str  # `requests.get()`

    def describe(self) -> str:
        return " -> ".join([*(step.function for step in self.steps), self.blocking_call])


def _function(resolver: Resolver, path: str, name: str) -> Optional[FunctionSummary]:
    summary = resolver.summaries.get(path)
    return summary.function_named(name) if summary is not None else None


def blocking_chain(resolver: Resolver, path: str, function: str) -> Optional[BlockingChain]:
    """The shortest chain of calls from `function` (in the module at `path`) to a blocking call, if any."""
    start = _function(resolver, path, function)
    if start is None:
        return None
    queue: deque[tuple[str, FunctionSummary, tuple[ChainStep, ...]]] = deque([(path, start, ())])
    seen = {(path, function)}
    while queue:
        current_path, current, steps = queue.popleft()
        if current.blocking:
            first = current.blocking[0]
            return BlockingChain((*steps, ChainStep(current_path, current.name, first.line)), first.label)
        if len(steps) >= MAX_CHAIN:
            continue
        for call in current.calls:
            target = resolver.resolve(current_path, call.ref)
            if target is None or target.kind != "symbol" or target.path is None or target.attributes:
                continue
            callee = _function(resolver, target.path, target.name)
            if callee is None or (callee.is_async and not call.awaited) or (target.path, callee.name) in seen:
                continue
            seen.add((target.path, callee.name))
            queue.append((target.path, callee, (*steps, ChainStep(current_path, current.name, call.line))))
    return None


@dataclass(frozen=True)
class CallSite:
    file: str
    caller: Optional[str]  # the calling function, None at module level
    call: CallUse


def callers_of(resolver: Resolver, path: str, function: str) -> list[CallSite]:
    """Every call of the function anywhere in the workspace."""
    found: list[CallSite] = []
    for caller_path, summary in resolver.summaries.items():
        uses: list[tuple[Optional[str], CallUse]] = [(None, call) for call in summary.calls]
        uses += [(f.name, call) for f in summary.functions for call in f.calls]
        for caller, call in uses:
            target = resolver.resolve(caller_path, call.ref)
            if target is not None and target.path == path and target.name == function and not target.attributes:
                found.append(CallSite(caller_path, caller, call))
    return found
