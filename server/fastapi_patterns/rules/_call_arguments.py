"""Text edits that add an argument to an existing call (or an entry to a dict display) while keeping its layout.

Owns one job shared by fixes that extend a decorator call: finding where the last argument really ends
(after any parentheses around it and before a trailing comma or comment), and inserting a keyword there in
the style the call already uses: on the same line for a one-line call, on a new line with the arguments'
indentation for a call spread over lines, keeping or leaving out a trailing comma as the call does. The same
placement serves a new entry at the end of a `{...}` display, and the reverse job, taking one keyword out of
a call with its comma (and its whole line when it stands alone on one), lives here too.
"""

from __future__ import annotations

import ast
from typing import Optional, Sequence

from ..engine.fixes import FixContext
from ..engine.types import Edit, Position, Span

_INDENT_STEP = "    "


def append_keyword(fixer: FixContext, call: ast.Call, keyword: str) -> Optional[list[Edit]]:
    """Edits that add `keyword` (e.g. ``status_code=201``) after the last argument of `call`."""
    return _append_item(fixer, call, [*call.args, *call.keywords], keyword, ")")


def append_dict_entry(fixer: FixContext, mapping: ast.Dict, entry: str) -> Optional[list[Edit]]:
    """Edits that add `entry` (e.g. ``404: {"description": "Not Found"}``) after the last entry of a dict display."""
    return _append_item(fixer, mapping, [*mapping.values], entry, "}")


def remove_keyword(fixer: FixContext, call: ast.Call, keyword: ast.keyword) -> Optional[list[Edit]]:
    """Edits that take `keyword` out of `call`, with its comma, and with its whole line when it stands alone on it."""
    document = fixer.document
    source = document.source
    close = document.offset(fixer.span(call).end) - 1
    if close < 0 or source[close] != ")" or keyword not in call.keywords:
        return None
    items = sorted([*call.args, *call.keywords], key=lambda node: fixer.span(node).start)
    index = items.index(keyword)
    start = document.offset(fixer.span(keyword).start)
    end, comma = _scan_tail(source, document.offset(fixer.span(keyword).end), close)
    line_start = document.line_starts[document.position_at(start).line]
    after = comma + 1 if comma is not None else end
    line_end = source.find("\n", after, close)
    rest = source[after:line_end] if line_end != -1 else ""
    alone_after = line_end != -1 and (not rest.strip() or rest.strip()[0] == "#")
    owns_lines = alone_after and not source[line_start:start].strip()
    if owns_lines and (comma is not None or index + 1 == len(items)):
        return [fixer.delete(Span(document.position_at(line_start), document.position_at(line_end + 1)))]
    if index + 1 < len(items):
        stop = document.offset(fixer.span(items[index + 1]).start)
        return [fixer.delete(Span(document.position_at(start), document.position_at(stop)))]
    if index == 0:
        opening = source.rfind("(", 0, start)
        return [fixer.delete(Span(document.position_at(opening + 1), document.position_at(close)))]
    previous_end, _ = _scan_tail(source, document.offset(fixer.span(items[index - 1]).end), close)
    return [fixer.delete(Span(document.position_at(previous_end), document.position_at(end)))]


def _append_item(fixer: FixContext, container: ast.expr, items: Sequence[ast.AST], keyword: str,
                 closer: str) -> Optional[list[Edit]]:
    """Edits that add `keyword` after the last of `items` inside `container`, whose text ends with `closer`."""
    document = fixer.document
    source = document.source
    close = document.offset(fixer.span(container).end) - 1
    if close < 0 or source[close] != closer:
        return None
    arguments: list[ast.AST] = list(items)
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
    indent = _argument_indent(fixer, container, last)
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


def _argument_indent(fixer: FixContext, call: ast.expr, last: ast.AST) -> str:
    """The indentation a new argument line should get: that of the last argument when it opens its line."""
    document = fixer.document
    start = fixer.span(last).start
    before = document.line_text(start.line)[: start.column]
    if not before.strip():
        return before
    if start.line == fixer.span(call).start.line:
        return document.line_indent(start.line) + _INDENT_STEP
    return document.line_indent(start.line)
