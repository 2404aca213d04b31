"""Hover: a rule's documentation, on a diagnostic's range or on its code in a `# noqa: ...` comment.

A noqa comment is read with the engine's suppression parser; the code under the cursor is looked up among
the known rules (other tools' codes in the same comment get no hover). Elsewhere the findings shown for the
current version (including those carried while the file does not parse) are searched for the position.
The hover providers registered in the server's hooks (route cards) add their text before the rules' documentation,
or answer alone where no rule has something to say.
"""

from __future__ import annotations

from typing import Optional

from lsprotocol import types

from ...docs import render_rule
from ...engine.document import Document
from ...engine.suppression import CODE, parse_suppressions
from ...engine.types import Position, Span
from ...rules import RULES_BY_CODE
from ..analysis import current_analysis, is_analysed
from ..convert import from_client_position, to_client_range
from ..documents import OpenDocument
from ..server import FastApiPatternsServer


def noqa_code_at(document: OpenDocument, position: Position) -> Optional[tuple[str, Span]]:
    """The known rule code under `position` inside a `# noqa: ...` comment, with its span."""
    if "noqa" not in document.lines[position.line].lower():
        return None
    comment = parse_suppressions(Document(document.text, document.analysis_path)).by_line.get(position.line)
    if comment is None or comment.codes_span is None:
        return None
    start = comment.codes_span.start
    codes_text = document.lines[start.line][start.column : comment.codes_span.end.column]
    for match in CODE.finditer(codes_text):
        span = Span.of(start.line, start.column + match.start(), start.line, start.column + match.end())
        if span.start <= position <= span.end and match.group().upper() in RULES_BY_CODE:
            return match.group().upper(), span
    return None


def register(server: FastApiPatternsServer) -> None:
    def markup(text: str) -> types.MarkupContent:
        formats = server.capability(("text_document", "hover", "content_format"), [])
        kind = types.MarkupKind.Markdown
        if formats and types.MarkupKind.Markdown not in formats:
            kind = types.MarkupKind.PlainText
        return types.MarkupContent(kind=kind, value=text)

    async def provided_hover(document: OpenDocument, position: Position) -> Optional[types.Hover]:
        """What another feature shows here (a route card), when no rule has something to say."""
        answer = await server.hooks.first_answer(server.hooks.hover, document, position)
        if answer is None:
            return None
        text, span = answer
        return types.Hover(markup(text), to_client_range(document.lines, server.codec, span))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> Optional[types.Hover]:
        document = server.documents.get(params.text_document.uri)
        if document is None or not document.is_python:
            return None
        version = document.version
        position = from_client_position(document.lines, server.codec, params.position)
        in_noqa = noqa_code_at(document, position)
        if in_noqa is not None:
            code, span = in_noqa
            return types.Hover(markup(render_rule(RULES_BY_CODE[code])),
                               to_client_range(document.lines, server.codec, span))
        if not is_analysed(server, document):
            return await provided_hover(document, position)
        analysis = await current_analysis(server, document)
        if analysis is None or document.version != version:
            return None
        found = [t for t in document.shown_findings(analysis) if t.span.start <= position <= t.span.end]
        codes = list(dict.fromkeys(t.finding.code for t in found if t.finding.code in RULES_BY_CODE))
        if not codes:
            return await provided_hover(document, position)
        text = "\n\n---\n\n".join(render_rule(RULES_BY_CODE[code]) for code in codes)
        provided = await server.hooks.first_answer(server.hooks.hover, document, position)
        if provided is not None and document.version == version:
            text = f"{provided[0]}\n---\n\n{text}"  # a route card first, then the rules found on it
        return types.Hover(markup(text), to_client_range(document.lines, server.codec, found[0].span))
