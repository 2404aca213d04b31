"""Hover (rule documentation on diagnostics and on noqa codes) and snippet completion, end to end."""

from __future__ import annotations

import asyncio

import pytest
from lsp_helpers import StartSession
from fastapi_patterns.docs import render_rule
from fastapi_patterns.rules import RULES_BY_CODE
from fastapi_patterns.snippets import SNIPPETS
from lsp_helpers import WAIT_LIMIT, Session, position_of
from lsprotocol import types
from test_lsp_diagnostics import SOURCE, by_code

PING_BODY = '@app.get("/${1:ping}")\nasync def ${1:ping}() -> str:\n    return "${2:pong}"\n'
PING_PLAIN = '@app.get("/ping")\nasync def ping() -> str:\n    return "pong"\n'


async def hover(session: Session, uri: str, position: types.Position) -> types.Hover | None:
    params = types.HoverParams(types.TextDocumentIdentifier(uri), position)
    return await asyncio.wait_for(session.client.text_document_hover_async(params), WAIT_LIMIT)


async def complete(session: Session, uri: str, position: types.Position) -> list[types.CompletionItem]:
    params = types.CompletionParams(types.TextDocumentIdentifier(uri), position)
    result = await asyncio.wait_for(session.client.text_document_completion_async(params), WAIT_LIMIT)
    if result is None:
        return []
    return list(result.items if isinstance(result, types.CompletionList) else result)


async def test_hover_on_a_diagnostic_shows_its_rule_documentation(session: Session) -> None:
    uri = session.open("app.py", SOURCE)
    diagnostic = by_code(await session.diagnostics(uri))["FAP104"]
    inside = types.Position(diagnostic.range.start.line, diagnostic.range.start.character + 3)
    shown = await hover(session, uri, inside)
    assert shown is not None and isinstance(shown.contents, types.MarkupContent)
    assert shown.contents.kind == types.MarkupKind.Markdown
    assert shown.contents.value == render_rule(RULES_BY_CODE["FAP104"])
    assert shown.range == diagnostic.range
    assert await hover(session, uri, types.Position(4, 2)) is None  # `app = FastAPI()`: nothing to explain


async def test_hover_on_a_noqa_code_shows_that_code(session: Session) -> None:
    source = SOURCE.replace("async def items(", "async def items(  # noqa: E501, FAP212\n    ")
    uri = session.open("app.py", source)
    await session.diagnostics(uri)
    on_code = position_of(source, "FAP212", session.encoding)
    shown = await hover(session, uri, types.Position(on_code.line, on_code.character + 2))
    assert shown is not None and isinstance(shown.contents, types.MarkupContent)
    assert shown.contents.value.startswith("# FAP212 called-dependency")
    assert shown.range is not None and shown.range.start == on_code
    assert await hover(session, uri, position_of(source, "E501", session.encoding)) is None


async def test_completion_offers_snippets_as_the_client_supports_them(start_session: StartSession,
                                                                     client_name: str) -> None:
    session = await start_session(client_name, hooked=True)
    text = "from fastapi import FastAPI\n\napp = FastAPI()\n\nfastapi-p\nvalue = 1\n"
    uri = session.open("app.py", text)
    (item,) = await complete(session, uri, types.Position(4, len("fastapi-p")))
    assert item.label == "fastapi-ping" and item.kind == types.CompletionItemKind.Snippet
    assert isinstance(item.text_edit, types.TextEdit)
    assert item.text_edit.range == types.Range(types.Position(4, 0), types.Position(4, len("fastapi-p")))
    if client_name == "neovim@v0.6.1":  # no snippet support: the defaults, as plain text
        assert item.insert_text_format == types.InsertTextFormat.PlainText and item.text_edit.new_text == PING_PLAIN
    else:
        assert item.insert_text_format == types.InsertTextFormat.Snippet and item.text_edit.new_text == PING_BODY
    assert await complete(session, uri, types.Position(5, len("value = "))) == []  # not where a statement starts
    notes = session.open("notes.md", "fastapi-p\n", language_id="markdown")
    assert await complete(session, notes, types.Position(0, 9)) == []


async def test_completion_lists_the_whole_catalog(session: Session) -> None:
    if not SNIPPETS:
        pytest.fail("the snippet catalog is empty")
    uri = session.open("app.py", "\n")
    items = await complete(session, uri, types.Position(0, 0))
    assert sorted(i.label for i in items) == sorted(s.prefix for s in SNIPPETS)
    snippets_supported = session.name != "neovim@v0.6.1"
    catalog = {snippet.prefix: snippet for snippet in SNIPPETS}
    for item in items:
        snippet = catalog[item.label]
        assert isinstance(item.text_edit, types.TextEdit) and item.detail == snippet.description
        assert item.text_edit.new_text == (snippet.body if snippets_supported else snippet.plain_text())
