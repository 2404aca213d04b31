"""Conversions between engine values and protocol values: positions, ranges, diagnostics and text edits.

The engine counts 0-based lines and code-point columns; a client counts in the position encoding it negotiated
(UTF-16 unless it offered UTF-8 or UTF-32). Every range leaving the server and every position entering it goes
through the workspace's position codec here, against lines split the way the protocol splits them (`\\n`,
`\\r\\n`, `\\r` only). The module also turns a finding into a `Diagnostic` and an old/new text pair into a few
line-based `TextEdit`s.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Optional, Sequence

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ..docs import rule_url
from ..engine.types import Edit, Finding, Position, Span
from ..rules import RULES_BY_CODE

SOURCE = "fastapi-patterns"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of `text` without their line breaks, split as the protocol counts lines."""
    return _LINE_BREAK.split(text)


def split_lines_keeping_breaks(text: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def to_client_position(lines: Sequence[str], codec: PositionCodec, position: Position) -> types.Position:
    if position.line >= len(lines):
        last = len(lines) - 1
        return types.Position(line=last, character=int(codec.client_num_units(lines[last])))
    line = lines[position.line]
    column = min(position.column, len(line))
    prefix = line[:column]
    if prefix.isascii():  # one code unit per character in every encoding: no need to count
        return types.Position(line=position.line, character=column)
    return types.Position(line=position.line, character=int(codec.client_num_units(prefix)))


def to_client_range(lines: Sequence[str], codec: PositionCodec, span: Span) -> types.Range:
    return types.Range(
        start=to_client_position(lines, codec, span.start), end=to_client_position(lines, codec, span.end)
    )


def from_client_position(lines: Sequence[str], codec: PositionCodec, position: types.Position) -> Position:
    """A client position as an engine position; a column past the end of its line clamps to the line's end."""
    if position.line >= len(lines):
        return Position(len(lines) - 1, len(lines[-1]))
    line = lines[position.line]
    units = 0
    for column, char in enumerate(line):
        if units >= position.character:
            return Position(position.line, column)
        units += int(codec.client_num_units(char))
    return Position(position.line, len(line))


def from_client_range(lines: Sequence[str], codec: PositionCodec, range_: types.Range) -> Span:
    return Span(from_client_position(lines, codec, range_.start), from_client_position(lines, codec, range_.end))


def diagnostic_data(finding: Finding, span: Span, version: Optional[int]) -> dict[str, Any]:
    """What a code action request needs to find the finding again: where it was, for which version."""
    return {
        "name": finding.name,
        "span": [span.start.line, span.start.column, span.end.line, span.end.column],
        "version": version,
        "fix": finding.fix_safety.value if finding.fix_safety is not None else None,
    }


def to_diagnostic(finding: Finding, span: Span, lines: Sequence[str], codec: PositionCodec,
                  version: Optional[int]) -> types.Diagnostic:
    rule = RULES_BY_CODE.get(finding.code)
    return types.Diagnostic(
        range=to_client_range(lines, codec, span),
        message=finding.message,
        severity=types.DiagnosticSeverity(int(finding.severity)),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url(rule)) if rule is not None else None,
        source=SOURCE,
        data=diagnostic_data(finding, span, version),
    )


def span_of_diagnostic(diagnostic: types.Diagnostic, lines: Sequence[str], codec: PositionCodec,
                       version: Optional[int]) -> Span:
    """The engine span a diagnostic we sent stands for: from its data when it was made for `version`."""
    data = diagnostic.data
    if isinstance(data, dict) and data.get("version") == version:
        raw = data.get("span")
        if isinstance(raw, list) and len(raw) == 4 and all(isinstance(n, int) for n in raw):
            return Span.of(raw[0], raw[1], raw[2], raw[3])
    return from_client_range(lines, codec, diagnostic.range)


def to_text_edits(edits: Sequence[Edit], lines: Sequence[str], codec: PositionCodec) -> list[types.TextEdit]:
    return [types.TextEdit(range=to_client_range(lines, codec, e.span), new_text=e.new_text) for e in edits]


def minimal_text_edits(old: str, new: str, codec: PositionCodec) -> list[types.TextEdit]:
    """Line-based edits turning `old` into `new`: one edit per changed block of lines, unchanged lines kept."""
    old_pieces, new_pieces = split_lines_keeping_breaks(old), split_lines_keeping_breaks(new)
    old_lines = split_lines(old)
    matcher = difflib.SequenceMatcher(None, old_pieces, new_pieces, autojunk=False)
    edits: list[types.TextEdit] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start = _piece_start(old_pieces, old_lines, i1, codec)
        end = _piece_start(old_pieces, old_lines, i2, codec)
        edits.append(types.TextEdit(range=types.Range(start=start, end=end), new_text="".join(new_pieces[j1:j2])))
    return edits


def _piece_start(pieces: Sequence[str], lines: Sequence[str], index: int, codec: PositionCodec) -> types.Position:
    """Where piece `index` starts; the end of the text when `index` is past the last piece."""
    if index < len(pieces):
        return types.Position(line=index, character=0)
    return to_client_position(lines, codec, Position(len(lines) - 1, len(lines[-1])))
