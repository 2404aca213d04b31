"""The server's own record of each open document: text, version, cached analysis and tracked findings.

The text is kept here, updated from the client's incremental changes with the protocol's line rules, so that
every position conversion uses the exact text the client has. While a file does not parse, the findings of the
last version that did are carried along: each edit moves the ranges after it and drops the findings whose
text it changed. The cache holds one `(version, settings generation, Analysis)` per document.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import PositionCodec

from ..engine.types import Analysis, Finding, Position, Span
from .convert import from_client_range, split_lines

PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass
class TrackedFinding:
    """A finding of the last version that parsed, with its span moved to the current text."""

    finding: Finding
    span: Span


@dataclass
class OpenDocument:
    uri: str
    text: str
    version: Optional[int]
    language_id: str = ""
    lines: list[str] = field(default_factory=list)
    analysis: Optional[tuple[Optional[int], int, Analysis]] = None
    last_good: list[TrackedFinding] = field(default_factory=list)
    pending: Optional[asyncio.Task[None]] = None
    in_flight: dict[tuple[Optional[int], int], "asyncio.Future[Optional[Analysis]]"] = field(default_factory=dict)
    fix_all: Optional[tuple[Optional[int], int, list[types.TextEdit]]] = None
    reported_failures: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.lines = split_lines(self.text)

    # -- identity --------------------------------------------------------------------------------------

    @property
    def fs_path(self) -> Optional[str]:
        """The file on disk behind this document, or None for untitled and other non-file buffers."""
        if urlparse(self.uri).scheme != "file":
            return None
        return to_fs_path(self.uri)

    @property
    def analysis_path(self) -> str:
        """The path given to the engine: the file's path, or a readable name for a buffer without one."""
        path = self.fs_path
        if path is not None:
            return path
        name = unquote(urlparse(self.uri).path) or self.uri
        return name if name.endswith(PYTHON_SUFFIXES) else f"{name}.py"

    @property
    def is_python(self) -> bool:
        if self.language_id:
            return self.language_id.lower() in ("python", "py")
        return os.path.splitext(urlparse(self.uri).path)[1].lower() in PYTHON_SUFFIXES

    # -- changes ---------------------------------------------------------------------------------------

    def apply_change(self, change: types.TextDocumentContentChangeEvent, codec: PositionCodec) -> None:
        if not isinstance(change, types.TextDocumentContentChangePartial):
            self.text = change.text
            self.lines = split_lines(self.text)
            self.last_good = []
            return
        span = from_client_range(self.lines, codec, change.range)
        if span.end < span.start:
            span = Span(span.end, span.start)
        start, end = self._offset(span.start), self._offset(span.end)
        self.text = self.text[:start] + change.text + self.text[end:]
        self.lines = split_lines(self.text)
        moved = (shift_span(t.span, span, change.text) for t in self.last_good)
        self.last_good = [
            TrackedFinding(t.finding, new) for t, new in zip(self.last_good, moved) if new is not None
        ]

    def _offset(self, position: Position) -> int:
        offset = 0
        for line in range(position.line):
            offset += len(self.lines[line])
            offset += _break_length(self.text, offset)
        return offset + min(position.column, len(self.lines[position.line]))

    # -- analysis cache --------------------------------------------------------------------------------

    def cached(self, generation: int) -> Optional[Analysis]:
        if self.analysis is not None and self.analysis[:2] == (self.version, generation):
            return self.analysis[2]
        return None

    def store(self, version: Optional[int], generation: int, analysis: Analysis) -> None:
        self.analysis = (version, generation, analysis)
        if analysis.parsed:
            self.last_good = [TrackedFinding(f, f.span) for f in analysis.findings]

    def shown_findings(self, analysis: Analysis) -> list[TrackedFinding]:
        """The findings to show for `analysis` of the current version: its own, or the carried ones plus FAP001."""
        own = [TrackedFinding(f, f.span) for f in analysis.findings]
        return own if analysis.parsed else [*self.last_good, *own]

    def cancel_pending(self) -> None:
        if self.pending is not None and not self.pending.done():
            self.pending.cancel()
        self.pending = None


def _break_length(text: str, offset: int) -> int:
    if text.startswith("\r\n", offset):
        return 2
    return 1 if offset < len(text) and text[offset] in "\r\n" else 0


def shift_span(span: Span, changed: Span, new_text: str) -> Optional[Span]:
    """`span` after replacing the text in `changed` by `new_text`, or None when the edit touched its text.

    An edit touches a span when it changes text inside it; insertions exactly at its start or end do not.
    """
    if changed.start == changed.end:
        if span.start < changed.start < span.end:
            return None
    elif changed.start < span.end and span.start < changed.end:
        return None
    if span.end <= changed.start and not (span.start == span.end == changed.start):
        return span
    return Span(_shift_position(span.start, changed, new_text), _shift_position(span.end, changed, new_text))


def _shift_position(position: Position, changed: Span, new_text: str) -> Position:
    """A position at or after the end of `changed`, moved by the replacement."""
    inserted = split_lines(new_text)
    added_lines = len(inserted) - 1
    if position.line > changed.end.line:
        return Position(position.line + added_lines - (changed.end.line - changed.start.line), position.column)
    column_after = position.column - changed.end.column
    if added_lines == 0:
        return Position(changed.start.line, changed.start.column + len(new_text) + column_after)
    return Position(changed.start.line + added_lines, len(inserted[-1]) + column_after)
