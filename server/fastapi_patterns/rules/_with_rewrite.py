"""Text edits that put the rest of a block under a new `with` statement, keeping the code's own layout.

Owns the rewrite used when a resource assigned to a name must be managed by a context manager:
`x = make()` followed by the rest of its block becomes `with make() as x:` with that rest indented one level
below it. The assignment's own text (and any comment after it) stays as written; following lines get one
indentation unit more, blank lines stay blank, and an ending `x.close()` that the `with` now does is dropped.
Nothing is offered when re-indenting could change a value: a string literal spanning several lines, or a line
continued with a backslash.
"""

from __future__ import annotations

import ast
from typing import Optional, Sequence

from ..engine.fixes import FixContext
from ..engine.names import FunctionNode
from ..engine.types import Edit, Position, Span


def indent_unit(fixer: FixContext, function: FunctionNode) -> str:
    """One level of indentation as this function writes it (four spaces when it cannot tell)."""
    document = fixer.document
    outer = document.line_indent(function.lineno - 1)
    inner = document.line_indent(function.body[0].lineno - 1)
    if inner.startswith(outer) and len(inner) > len(outer):
        return inner[len(outer):]
    return "    "


def wrap_rest_in_with(fixer: FixContext, block: Sequence[ast.stmt], index: int, header: str,
                      unit: str, closing_name: Optional[str]) -> Optional[list[Edit]]:
    """Replace `block[index]` (an assignment) and everything after it in `block` by `header` + the rest indented.

    `header` is the new first line without its colon (`with make() as x`). A last statement that only calls
    `closing_name.close()` is dropped.
    """
    document = fixer.document
    assignment = block[index]
    start = fixer.span(assignment).start
    if document.line_text(start.line)[: start.column].strip():
        return None  # something else precedes the assignment on its line
    rest = list(block[index + 1:])
    if not rest:
        return None
    dropped = rest[-1] if len(rest) > 1 and _is_close(rest[-1], closing_name) else None
    kept = rest[:-1] if dropped is not None else rest
    if any(_unsafe_to_reindent(fixer, statement) for statement in kept):
        return None
    assignment_end = fixer.span(assignment).end
    tail = document.line_text(assignment_end.line)[assignment_end.column:]
    if tail.strip() and not tail.strip().startswith("#"):
        return None  # `x = make(); other()` on one line
    first_line = assignment_end.line + 1
    last_line = (kept[-1].end_lineno or kept[-1].lineno) - 1
    if dropped is not None:
        last_line = max(last_line, (dropped.lineno - 1) - 1)
    lines = [document.line_text(n) for n in range(first_line, last_line + 1)]
    while lines and not lines[-1].strip():
        lines.pop()
    body = document.newline.join(unit + line if line.strip() else "" for line in lines)
    end_line = (dropped.end_lineno or dropped.lineno) - 1 if dropped is not None else last_line
    end = Position(end_line, len(document.line_text(end_line)))
    text = f"{header}:{tail.rstrip()}{document.newline}{body}"
    return [Edit(Span(start, end), text)]


def _is_close(statement: ast.stmt, name: Optional[str]) -> bool:
    if name is None or not isinstance(statement, ast.Expr):
        return False
    call = statement.value.value if isinstance(statement.value, ast.Await) else statement.value
    return (isinstance(call, ast.Call) and not call.args and isinstance(call.func, ast.Attribute)
            and call.func.attr == "close" and isinstance(call.func.value, ast.Name) and call.func.value.id == name)


def _unsafe_to_reindent(fixer: FixContext, statement: ast.stmt) -> bool:
    for node in ast.walk(statement):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and node.lineno != node.end_lineno:
            if not isinstance(node, ast.Constant) or isinstance(node.value, (str, bytes)):
                return True
    first, last = statement.lineno - 1, (statement.end_lineno or statement.lineno) - 1
    return any(fixer.document.line_text(n).rstrip().endswith("\\") for n in range(first, last + 1))
