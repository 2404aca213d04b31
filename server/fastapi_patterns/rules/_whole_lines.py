"""Whole-line edits for fixes that cut a decorator or a statement out of its place (and paste it elsewhere).

Owns one question shared by the fixes that move or delete decorators and statements: does the node stand
alone on its lines, with nothing before it but indentation (and the `@` of a decorator) and nothing after
it but a comment? Only then can its lines be cut without touching neighbouring code.
"""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.types import Edit, Position, Span


def own_lines(fixer: FixContext, node: ast.AST, opener: str = "") -> Optional[tuple[int, int]]:
    """First and last 0-based line of `node` when it owns them; `opener` is what may precede it ("@")."""
    document = fixer.document
    span = fixer.span(node)
    before = document.line_text(span.start.line)[: span.start.column]
    after = document.line_text(span.end.line)[span.end.column :].strip()
    if before.strip() != opener or not (after == "" or after.startswith("#")):
        return None
    if span.end.line + 1 >= len(document.lines):
        return None  # the last line of a file without a final line break
    return span.start.line, span.end.line


def lines_text(fixer: FixContext, first: int, last: int) -> str:
    """The text of lines `first` to `last`, each ending with the document's line break."""
    newline = fixer.document.newline
    return "".join(line + newline for line in fixer.document.lines[first : last + 1])


def delete_lines(fixer: FixContext, first: int, last: int) -> Edit:
    return fixer.delete(Span(Position(first, 0), Position(last + 1, 0)))
