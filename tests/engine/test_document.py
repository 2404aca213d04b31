"""Positions: `ast` byte offsets become code-point columns; UTF-16 columns; CRLF, tabs, BOM."""

from __future__ import annotations

import ast

from fastapi_patterns.engine.document import Document
from fastapi_patterns.engine.types import Position, Span


def _call_span(source: str) -> Span:
    document = Document(source)
    assert document.tree is not None
    call = next(n for n in ast.walk(document.tree) if isinstance(n, ast.Call))
    return document.node_span(call)


def test_ascii_columns_equal_byte_offsets() -> None:
    assert _call_span("x = f(1)\n") == Span.of(0, 4, 0, 8)


def test_emoji_before_call_counts_as_one_code_point() -> None:
    source = 'x = "☕🙂"; f(1)\n'
    span = _call_span(source)
    assert span.start == Position(0, 10)
    assert source.splitlines()[0][span.start.column:span.end.column] == "f(1)"


def test_cjk_text_before_call() -> None:
    source = 's = "東京"; g()\n'
    span = _call_span(source)
    assert source[span.start.column:span.end.column] == "g()"


def test_utf16_column_counts_astral_characters_twice() -> None:
    document = Document('x = "🙂é"; f()\n')
    assert document.column_to_utf16(0, 9) == 10  # one emoji is two UTF-16 units, é is one
    assert document.column_to_byte(0, 9) == 13  # emoji 4 bytes, é 2 bytes


def test_crlf_lines_and_offsets() -> None:
    source = "import os\r\nx = f()\r\n"
    document = Document(source)
    assert document.lines[:2] == ["import os", "x = f()"]
    assert document.newline == "\r\n"
    span = _call_span(source)
    assert span == Span.of(1, 4, 1, 7)
    assert document.text(span) == "f()"


def test_tabs_are_one_column() -> None:
    source = "if True:\n\tf()\n"
    assert _call_span(source) == Span.of(1, 1, 1, 4)


def test_bom_is_dropped() -> None:
    document = Document("\ufeffx = 1\n")
    assert document.source == "x = 1\n"
    assert document.tree is not None


def test_offset_and_position_round_trip() -> None:
    document = Document("ab\ncdé\nf")
    for offset in range(len(document.source) + 1):
        assert document.offset(document.position_at(offset)) == offset


def test_syntax_error_is_recorded_not_raised() -> None:
    document = Document("def f(:\n    pass\n")
    assert document.tree is None
    problem = document.syntax_problem
    assert problem is not None and problem.line == 0 and "invalid syntax" in problem.message


def test_null_byte_is_a_syntax_problem() -> None:
    document = Document("x = 1\0\n")
    assert document.tree is None and document.syntax_problem is not None


def test_deep_nesting_does_not_crash() -> None:
    document = Document("x = " + "(" * 300 + "1" + ")" * 300 + "\n")
    # either it parses or it is reported; it never raises
    assert document.tree is not None or document.syntax_problem is not None
