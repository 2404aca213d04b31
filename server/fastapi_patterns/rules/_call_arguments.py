"""Text edits that add an argument to an existing call while keeping its layout.

Owns one job shared by fixes that extend a decorator call: finding where the last argument really ends
(after any parentheses around it and before a trailing comma or comment), and inserting a keyword there in
the style the call already uses: on the same line for a one-line call, on a new line with the arguments'
indentation for a call spread over lines, keeping or leaving out a trailing comma as the call does.
"""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.types import Edit, Position

_INDENT_STEP = "    "


def append_keyword(fixer: FixContext, call: ast.Call, keyword: str) -> Optional[list[Edit]]:
    """Edits that add `keyword` (e.g. ``status_code=201``) after the last argument of `call`."""
    document = fixer.document
    source = document.source
    close = document.offset(fixer.span(call).end) - 1
    if close < 0 or source[close] != ")":
        return None
    arguments: list[ast.AST] = [*call.args, *call.keywords]
    if not arguments:
        return [fixer.insert(document.position_at(close), keyword)]
    last = max(arguments, key=lambda node: fixer.span(node).end)
    last_end = document.offset(fixer.span(last).end)
    end, comma = _scan_tail(source, last_end, close)
    newline = document.newline
    if not _has_line_break(source[end:close]):
        if comma is not None:
            return [fixer.insert(document.position_at(comma + 1), f" {keyword}")]
        return [fixer.insert(document.position_at(end), f", {keyword}")]
    indent = _argument_indent(fixer, call, last)
    if comma is not None:
        comma_line = document.position_at(comma).line
        if comma_line < document.position_at(close).line:
            return [fixer.insert(Position(comma_line + 1, 0), f"{indent}{keyword},{newline}")]
        return [fixer.insert(document.position_at(comma + 1), f" {keyword}")]
    end_line = document.position_at(end).line
    return [
        fixer.insert(document.position_at(end), ","),
        fixer.insert(Position(end_line + 1, 0), f"{indent}{keyword}{newline}"),
    ]


def _scan_tail(source: str, start: int, close: int) -> tuple[int, Optional[int]]:
    """Where the last argument ends (after closing parentheses) and the offset of a trailing comma, if any."""
    end, index = start, start
    while index < close:
        char = source[index]
        if char == "#":
            while index < close and source[index] not in "\r\n":
                index += 1
            continue
        if char == ")":
            end = index + 1
        elif char == ",":
            return end, index
        index += 1
    return end, None


def _has_line_break(text: str) -> bool:
    return "\n" in text or "\r" in text


def _argument_indent(fixer: FixContext, call: ast.Call, last: ast.AST) -> str:
    """The indentation a new argument line should get: that of the last argument when it opens its line."""
    document = fixer.document
    start = fixer.span(last).start
    before = document.line_text(start.line)[: start.column]
    if not before.strip():
        return before
    if start.line == fixer.span(call).start.line:
        return document.line_indent(start.line) + _INDENT_STEP
    return document.line_indent(start.line)
