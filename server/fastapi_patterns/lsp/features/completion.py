"""Completion: the snippet catalog, offered where a statement starts in a Python document.

Clients that support snippets get the templates with their tab stops; the others get the same code with
every placeholder filled by its default, inserted as plain text. Each item replaces the word typed so far
(prefixes contain dashes, which most editors do not count as part of a word). Providers registered in the
server's hooks answer first (route paths inside a test client's URL string).
"""

from __future__ import annotations

import re
from typing import Optional

from lsprotocol import types

from ... import snippets
from ...engine.types import Position, Span
from ..convert import from_client_position, to_client_range
from ..server import FastApiPatternsServer

_STATEMENT_START = re.compile(r"^\s*(?P<word>[\w-]*)$")
TRIGGER_CHARACTERS = ['"', "'", "/"]  # route paths inside test client calls (see the hooks' providers)


def register(server: FastApiPatternsServer) -> None:
    def supports_snippets() -> bool:
        path = ("text_document", "completion", "completion_item", "snippet_support")
        return bool(server.capability(path, False))

    def item_kind() -> types.CompletionItemKind:
        path = ("text_document", "completion", "completion_item_kind", "value_set")
        known = server.capability(path, None)
        if known is None or types.CompletionItemKind.Snippet in known:
            return types.CompletionItemKind.Snippet
        return types.CompletionItemKind.Text

    def documentation(code: str) -> Optional[types.MarkupContent]:
        path = ("text_document", "completion", "completion_item", "documentation_format")
        if types.MarkupKind.Markdown in (server.capability(path, None) or ()):
            return types.MarkupContent(kind=types.MarkupKind.Markdown, value=f"```python\n{code}\n```")
        return None

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS))
    async def complete(params: types.CompletionParams) -> Optional[types.CompletionList]:
        document = server.documents.get(params.text_document.uri)
        if document is None or not document.is_python:
            return None
        position = from_client_position(document.lines, server.codec, params.position)
        provided = await server.hooks.first_answer(server.hooks.completion, document, position)
        if provided is not None or not snippets.SNIPPETS:
            return provided  # type: ignore[no-any-return]
        typed = _STATEMENT_START.match(document.lines[position.line][: position.column])
        if typed is None:
            return None
        start = Position(position.line, position.column - len(typed.group("word")))
        replaced = to_client_range(document.lines, server.codec, Span(start, position))
        use_snippets = supports_snippets()
        items = []
        for snippet in snippets.SNIPPETS:
            plain = snippet.plain_text()
            items.append(types.CompletionItem(
                label=snippet.prefix,
                kind=item_kind(),
                detail=snippet.description,
                documentation=documentation(plain),
                filter_text=snippet.prefix,
                insert_text_format=types.InsertTextFormat.Snippet if use_snippets else types.InsertTextFormat.PlainText,
                text_edit=types.TextEdit(range=replaced, new_text=snippet.body if use_snippets else plain),
            ))
        return types.CompletionList(is_incomplete=False, items=items)
