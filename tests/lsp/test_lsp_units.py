"""In-process checks of the language server's pure parts: range tracking, conversions, settings, workers."""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError

import pytest
from fastapi_patterns.engine.types import Span
from fastapi_patterns.lsp import serve
from fastapi_patterns.lsp.convert import (
    from_client_position,
    minimal_text_edits,
    split_lines,
    to_client_position,
)
from fastapi_patterns.lsp.documents import OpenDocument, shift_span
from fastapi_patterns.lsp.features.code_actions import FIX_ALL_KIND, requested
from fastapi_patterns.lsp.settings import DEFAULT_DEBOUNCE_MS, parse_settings
from fastapi_patterns.lsp.workers import DaemonWorkers
from lsp_helpers import apply_edits
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)
UTF8 = PositionCodec(types.PositionEncodingKind.Utf8)
FINDING = Span.of(3, 4, 3, 10)


@pytest.mark.parametrize(("changed", "new_text", "expected"), [
    (Span.of(0, 0, 0, 0), "x\ny\n", Span.of(5, 4, 5, 10)),  # lines inserted above
    (Span.of(1, 0, 3, 0), "", Span.of(1, 4, 1, 10)),  # lines deleted above
    (Span.of(3, 0, 3, 2), "", Span.of(3, 2, 3, 8)),  # text removed before it on its line
    (Span.of(3, 2, 3, 2), "\n", Span.of(4, 2, 4, 8)),  # its line split before it
    (Span.of(3, 4, 3, 4), "ab", Span.of(3, 6, 3, 12)),  # insertion at its start moves it
    (Span.of(3, 10, 3, 10), "ab", FINDING),  # insertion at its end leaves it
    (Span.of(4, 0, 9, 0), "", FINDING),  # edits after it leave it
    (Span.of(3, 5, 3, 5), "ab", None),  # typing inside it drops it
    (Span.of(2, 0, 3, 5), "", None),  # a deletion overlapping it drops it
])
def test_shift_span(changed: Span, new_text: str, expected: Span | None) -> None:
    assert shift_span(FINDING, changed, new_text) == expected


def test_document_replays_incremental_changes_in_client_units() -> None:
    document = OpenDocument("file:///a.py", "s = '🙂'; x = 1\r\ny = 2\n", 1)
    start = types.Position(0, 10)  # after the emoji (two UTF-16 units): the `x`
    change = types.TextDocumentContentChangePartial(range=types.Range(start, types.Position(0, 11)), text="zz")
    document.apply_change(change, UTF16)
    assert document.text == "s = '🙂'; zz = 1\r\ny = 2\n"
    document.apply_change(types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(1, 0), types.Position(1, 1)), text="w"), UTF16)
    assert document.text == "s = '🙂'; zz = 1\r\nw = 2\n"
    document.apply_change(types.TextDocumentContentChangeWholeDocument(text="new\n"), UTF16)
    assert document.lines == ["new", ""]


def test_positions_convert_both_ways_and_clamp() -> None:
    lines = split_lines("a = '東🙂'; b\n\x0cform feed stays on its line\n")
    assert len(lines) == 3
    for codec, units in ((UTF16, 11), (UTF8, 15)):  # the `b`, code-point column 10
        position = to_client_position(lines, codec, from_client_position(lines, codec, types.Position(0, units)))
        assert position == types.Position(0, units)
        assert from_client_position(lines, codec, types.Position(0, units)).column == 10
    assert from_client_position(lines, UTF16, types.Position(0, 99)).column == len(lines[0])
    assert from_client_position(lines, UTF16, types.Position(9, 0)).line == 2


@pytest.mark.parametrize(("old", "new"), [
    ("a\nb\nc\n", "a\nB\nc\n"),
    ("a\nb\nc", "a\nb\nc\nd"),
    ("a\nb", "x\na\nb"),
    ("🙂\nkeep\n", "🙂!\nkeep\n"),
    ("one\r\ntwo\r\n", "one\r\n2\r\n"),
    ("", "new\n"),
])
def test_minimal_text_edits_rebuild_the_new_text(old: str, new: str) -> None:
    edits = minimal_text_edits(old, new, UTF16)
    assert apply_edits(old, edits, "utf-16") == new
    assert len(edits) == 1


def test_settings_accept_every_key_spelling_and_skip_bad_values() -> None:
    settings, problems = parse_settings({
        "extendSelect": ["FAP1"], "show_syntax_errors": False, "debounce-ms": 20, "interpreter": ["python3"],
        "ignore": "FAP9999", "severity": {"FAP104": "loud"},
    })
    assert settings.table == {"extend-select": ["FAP1"], "show-syntax-errors": False}
    assert settings.debounce_ms == 20
    assert len(problems) == 2 and any("`ignore`" in p for p in problems)
    assert any("`severity.FAP104`" in p for p in problems)
    assert parse_settings("fast")[0].debounce_ms == DEFAULT_DEBOUNCE_MS and parse_settings("fast")[1]


def test_daemon_workers_run_work_and_cancel_what_is_queued_at_shutdown() -> None:
    workers = DaemonWorkers(1)
    started, release = threading.Event(), threading.Event()

    def block() -> bool:
        started.set()
        return release.wait(10)

    running = workers.submit(block)
    queued = workers.submit(sum, [1, 2])
    assert started.wait(10)
    workers.shutdown(wait=False, cancel_futures=True)
    release.set()
    assert running.result(timeout=10) is True
    with pytest.raises(CancelledError):
        queued.result(timeout=10)
    with pytest.raises(RuntimeError):
        workers.submit(sum, [])


@pytest.mark.parametrize(("only", "kind", "expected"), [
    (None, FIX_ALL_KIND, True),
    ([types.CodeActionKind.Source], FIX_ALL_KIND, True),
    (["source.fixAll"], FIX_ALL_KIND, True),
    ([FIX_ALL_KIND], FIX_ALL_KIND, True),
    (["source.fix"], FIX_ALL_KIND, False),
    (["quickfix"], FIX_ALL_KIND, False),
    ([types.CodeActionKind.QuickFix], types.CodeActionKind.QuickFix, True),
])
def test_requested_kinds_cover_their_sub_kinds(only: list[str] | None, kind: str, expected: bool) -> None:
    assert requested(only, kind) is expected


def test_serve_rejects_an_unknown_transport(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve("pigeon") == 2
    assert "unknown transport 'pigeon'" in capsys.readouterr().err
