"""The lifespan rewrite behind FAP401: every `on_event`/`add_event_handler` handler of one app becomes a call
inside a single `@asynccontextmanager` lifespan passed to the app's constructor.

Owns the reading of event registrations (`app.on_event("startup")`, `app.add_event_handler("shutdown", f)`)
and the whole fix: which registrations a file holds, whether all of them can move (module-level functions
registered once, on the app created in the file), the lifespan's text and where it goes, and the edits that
remove the old registrations. The handlers stay defined and are called from the lifespan in registration
order (`await f()` for coroutines, `f()` otherwise), so early returns, `global` statements and callers
elsewhere keep working.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator, Optional

from ..engine.fastapi_model import RouterInfo, keyword_value
from ..engine.fixes import FixContext
from ..engine.names import BindingKind, FunctionNode, SymbolTable
from ..engine.types import Edit, Position
from ._call_arguments import append_keyword
from ._whole_lines import delete_lines, own_lines

EVENTS = ("startup", "shutdown")
_LIFESPAN_NAMES = ("lifespan", "app_lifespan")
_BLOCKING_KEYWORDS = frozenset({"lifespan", "on_startup", "on_shutdown"})
_INDENT = "    "


@dataclass(frozen=True)
class Registration:
    """One `X.on_event(event)` or `X.add_event_handler(event, handler)` call."""

    call: ast.Call
    receiver: ast.expr
    event: str
    handler: Optional[ast.expr]  # the function given to add_event_handler; None for on_event

    @property
    def is_decorator_form(self) -> bool:
        return self.handler is None


def registration_of(call: ast.Call) -> Optional[Registration]:
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in ("on_event", "add_event_handler"):
        return None
    event = call.args[0] if call.args else keyword_value(call, "event_type")
    if not (isinstance(event, ast.Constant) and event.value in EVENTS):
        return None
    handler: Optional[ast.expr] = None
    if func.attr == "add_event_handler":
        handler = call.args[1] if len(call.args) > 1 else keyword_value(call, "func")
        if handler is None:
            return None
    return Registration(call, func.value, event.value, handler)


def registrations_in(names: SymbolTable) -> Iterator[Registration]:
    for node, _scope in names.visit_order:
        if isinstance(node, ast.Call):
            found = registration_of(node)
            if found is not None:
                yield found


def is_app_reference(receiver: ast.expr, app: RouterInfo, names: SymbolTable) -> bool:
    """The receiver is the module-level name the app was created under (not a re-binding or a local)."""
    if not isinstance(receiver, ast.Name):
        return False
    binding = names.binding_of(receiver)
    return binding is not None and binding.kind is BindingKind.ASSIGNMENT and binding.value is app.call


def lifespan_edits(fixer: FixContext, app: RouterInfo) -> Optional[list[Edit]]:
    """All edits of the rewrite, or None when any handler of the file cannot move safely."""
    names, tree = fixer.names, fixer.document.tree
    if names is None or tree is None:
        return None
    statement = next((s for s in tree.body if isinstance(s, (ast.Assign, ast.AnnAssign)) and s.value is app.call), None)
    if statement is None or _constructor_blocks(app.call):
        return None
    registrations = sorted(registrations_in(names), key=lambda r: (r.call.lineno, r.call.col_offset))
    if not registrations or not all(is_app_reference(r.receiver, app, names) for r in registrations):
        return None  # handlers on other objects (routers included into the app) would silently stop running
    calls: dict[str, list[str]] = {event: [] for event in EVENTS}
    removals: list[Edit] = []
    for registration in registrations:
        planned = _plan(fixer, tree, names, registration)
        if planned is None:
            return None
        calls[registration.event].append(planned[0])
        removals.append(planned[1])
    spelled = _decorator_spelling(fixer, names)
    name = next((n for n in _LIFESPAN_NAMES if n not in names.module_scope.bindings), None)
    keyword = append_keyword(fixer, app.call, f"lifespan={name}") if name else None
    if spelled is None or name is None or keyword is None:
        return None
    decorator, import_edits = spelled
    definition = _definition_text(fixer, decorator, name, fixer.text(app.call.func), calls)
    return _merge_insertions([*import_edits, _insert_before(fixer, statement, definition), *keyword, *removals])


def _constructor_blocks(call: ast.Call) -> bool:
    """The app already has a lifespan or startup/shutdown lists (or may have, through ** or positionals)."""
    return any(k.arg is None or k.arg in _BLOCKING_KEYWORDS for k in call.keywords) or len(call.args) > 4


def _plan(fixer: FixContext, tree: ast.Module, names: SymbolTable,
          registration: Registration) -> Optional[tuple[str, Edit]]:
    """The call the lifespan makes for this handler and the edit removing its registration."""
    if registration.is_decorator_form:
        function = next((s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                         and s.decorator_list == [registration.call]), None)
        lines = own_lines(fixer, registration.call, "@")
    else:
        statement = next((s for s in tree.body if isinstance(s, ast.Expr) and s.value is registration.call), None)
        function = _module_function(registration.handler, tree, names)
        lines = own_lines(fixer, statement) if statement is not None else None
        if function is not None and function.decorator_list:
            return None  # a decorator may turn it into a coroutine function, or out of one
    if function is None or lines is None or len(names.module_scope.bindings.get(function.name, [])) != 1:
        return None
    awaited = "await " if isinstance(function, ast.AsyncFunctionDef) else ""
    return f"{awaited}{function.name}()", delete_lines(fixer, *lines)


def _module_function(handler: Optional[ast.expr], tree: ast.Module, names: SymbolTable) -> Optional[FunctionNode]:
    if not isinstance(handler, ast.Name):
        return None
    binding = names.binding_of(handler)
    if binding is None or binding.kind is not BindingKind.FUNCTION or binding.node not in tree.body:
        return None
    return binding.node if isinstance(binding.node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _decorator_spelling(fixer: FixContext, names: SymbolTable) -> Optional[tuple[str, list[Edit]]]:
    """How to write `asynccontextmanager` at module level, and the import edits it needs."""
    local = fixer.bound_name("contextlib.asynccontextmanager")
    if local is not None:
        return local, []
    module = fixer.bound_name("contextlib")
    if module is not None:
        return f"{module}.asynccontextmanager", []
    if "asynccontextmanager" in names.module_scope.bindings:
        return None
    return fixer.add_import("contextlib", "asynccontextmanager")


def _definition_text(fixer: FixContext, decorator: str, name: str, app_class: str, calls: dict[str, list[str]]) -> str:
    body = [*calls["startup"], "yield", *calls["shutdown"]]
    lines = [f"@{decorator}", f"async def {name}(app: {app_class}):", *(_INDENT + line for line in body)]
    newline = fixer.document.newline
    return newline.join(lines) + newline * 3


def _insert_before(fixer: FixContext, statement: ast.stmt, text: str) -> Edit:
    """Insert above the statement and the comment lines that introduce it, two blank lines apart from both."""
    document = fixer.document
    line = statement.lineno - 1
    while line > 0 and document.line_text(line - 1).lstrip().startswith("#"):
        line -= 1
    blank = 0
    while line - blank > 0 and not document.line_text(line - blank - 1).strip():
        blank += 1
    padding = document.newline * max(0, 2 - blank) if line - blank > 0 else ""
    return fixer.insert(Position(line, 0), padding + text)


def _merge_insertions(edits: list[Edit]) -> list[Edit]:
    """Insertions at one point become one edit, in the order given, so the result does not depend on sorting."""
    merged: list[Edit] = []
    for edit in edits:
        twin = next((i for i, m in enumerate(merged) if m.span == edit.span and edit.span.start == edit.span.end), None)
        if twin is None:
            merged.append(edit)
        else:
            merged[twin] = Edit(edit.span, merged[twin].new_text + edit.new_text)
    return merged
