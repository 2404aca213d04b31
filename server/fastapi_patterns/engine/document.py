"""One version of one source file: its text, its line index and its CPython `ast` tree.

The document is built once per version and shared by every rule. It owns position arithmetic: `ast` reports
columns as UTF-8 byte offsets, the engine speaks code points, LSP clients speak UTF-16 (or UTF-8/UTF-32), so the
conversions between them live here and nowhere else. Lines are split the way Python's tokenizer splits them
(``\\n``, ``\\r\\n`` and ``\\r``), so CRLF files keep their columns.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from .types import Position, Span

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SyntaxProblem:
    message: str
    line: int
    column: int


class Document:
    """Source text plus lazily built views of it (tree, line offsets)."""

    def __init__(self, source: str, path: str = "<unknown>") -> None:
        if source.startswith("\ufeff"):
            source = source[1:]
        self.source = source
        self.path = path
        self.lines: list[str] = []
        self.line_starts: list[int] = []
        self._split_lines()
        self._tree: Optional[ast.Module] = None
        self._syntax: Optional[SyntaxProblem] = None
        self._parsed = False

    def _split_lines(self) -> None:
        start = 0
        for match in _LINE_BREAK.finditer(self.source):
            self.line_starts.append(start)
            self.lines.append(self.source[start : match.start()])
            start = match.end()
        self.line_starts.append(start)
        self.lines.append(self.source[start:])

    # -- parsing -----------------------------------------------------------------------------------------

    def _parse(self) -> None:
        if self._parsed:
            return
        self._parsed = True
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._tree = ast.parse(self.source, filename=self.path, type_comments=False)
        except SyntaxError as error:
            line = max((error.lineno or 1) - 1, 0)
            column = max((error.offset or 1) - 1, 0)
            if "\0" in self.source and "null byte" in str(error.msg):  # the parser gives no position for it
                position = self.position_at(self.source.index("\0"))
                line, column = position.line, position.column
            if line < len(self.lines):
                column = min(column, len(self.lines[line]))
            self._syntax = SyntaxProblem(error.msg, line, column)
        except (ValueError, RecursionError, MemoryError) as error:
            self._syntax = SyntaxProblem(f"cannot parse: {type(error).__name__}: {error}", 0, 0)

    @property
    def tree(self) -> Optional[ast.Module]:
        self._parse()
        return self._tree

    @property
    def syntax_problem(self) -> Optional[SyntaxProblem]:
        self._parse()
        return self._syntax

    # -- positions ---------------------------------------------------------------------------------------

    @cached_property
    def _ascii_lines(self) -> list[bool]:
        return [line.isascii() for line in self.lines]

    def line_text(self, line: int) -> str:
        return self.lines[line] if 0 <= line < len(self.lines) else ""

    def byte_to_column(self, line: int, byte_offset: int) -> int:
        """Convert an `ast` UTF-8 byte offset on a 0-based line to a code-point column."""
        if not 0 <= line < len(self.lines) or self._ascii_lines[line]:
            return byte_offset
        return len(self.lines[line].encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))

    def column_to_byte(self, line: int, column: int) -> int:
        if not 0 <= line < len(self.lines) or self._ascii_lines[line]:
            return column
        return len(self.lines[line][:column].encode("utf-8"))

    def column_to_utf16(self, line: int, column: int) -> int:
        if not 0 <= line < len(self.lines) or self._ascii_lines[line]:
            return column
        prefix = self.lines[line][:column]
        return column + sum(1 for char in prefix if ord(char) > 0xFFFF)

    def node_span(self, node: ast.AST) -> Span:
        """The span of an `ast` node with a location, in code-point columns."""
        line = node.lineno - 1  # type: ignore[attr-defined]
        end_line = (node.end_lineno or node.lineno) - 1  # type: ignore[attr-defined]
        end_byte = node.end_col_offset if node.end_col_offset is not None else node.col_offset  # type: ignore[attr-defined]
        return Span(
            Position(line, self.byte_to_column(line, node.col_offset)),  # type: ignore[attr-defined]
            Position(end_line, self.byte_to_column(end_line, end_byte)),
        )

    def node_start(self, node: ast.AST) -> Position:
        return self.node_span(node).start

    def offset(self, position: Position) -> int:
        """Code-point offset into the source of a position (clamped to the text)."""
        if position.line >= len(self.line_starts):
            return len(self.source)
        line_len = len(self.lines[position.line])
        return self.line_starts[position.line] + min(position.column, line_len)

    def position_at(self, offset: int) -> Position:
        import bisect

        line = bisect.bisect_right(self.line_starts, offset) - 1
        return Position(line, offset - self.line_starts[line])

    def text(self, span: Span) -> str:
        return self.source[self.offset(span.start) : self.offset(span.end)]

    def node_text(self, node: ast.AST) -> str:
        return self.text(self.node_span(node))

    def line_indent(self, line: int) -> str:
        text = self.line_text(line)
        return text[: len(text) - len(text.lstrip(" \t"))]

    @cached_property
    def newline(self) -> str:
        match = _LINE_BREAK.search(self.source)
        return match.group(0) if match else "\n"
