"""What the route features ask the workspace index, and the conversions their answers need.

`routes_of_document` first applies the queued changes of other files and the document's current text (cheap
when unchanged: summaries are cached by content hash), then returns the routes declared in it, computed in the
analysis pool so the event loop never parses. Ranges kept by the index carry their line's text, so they convert
to the client's position encoding even for files that are not open.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

from lsprotocol import types

from ..checker.routes import route_record
from ..engine.workspace import Route, TextRange, WorkspaceIndex
from .documents import OpenDocument
from .server import FastApiPatternsServer, run_in_worker


def index_of(server: FastApiPatternsServer, document: OpenDocument) -> WorkspaceIndex:
    return server.indexes.index_for(document.fs_path)


def _current_routes(server: FastApiPatternsServer, index: WorkspaceIndex, path: str, text: str) -> list[Route]:
    server.indexes.flush()
    index.set_file(path, text)
    return index.routes_in(path)


async def routes_of_document(server: FastApiPatternsServer, document: OpenDocument) -> list[Route]:
    """Routes declared in the document's current text (empty for non-Python documents)."""
    if not document.is_python:
        return []
    result: list[Route] = await run_in_worker(
        server, _current_routes, server, index_of(server, document), document.analysis_path, document.text
    )
    return result


async def current_routes(server: FastApiPatternsServer, uri: str) -> Optional[tuple[OpenDocument, list[Route]]]:
    """The open Python document at `uri` with its routes, or None when it is not open, not Python, or was edited
    while the routes were being computed (an answer for a version that is gone is never sent)."""
    document = server.documents.get(uri)
    if document is None or not document.is_python:
        return None
    version = document.version
    routes = await routes_of_document(server, document)
    return None if document.version != version else (document, routes)


async def all_routes(server: FastApiPatternsServer, document: OpenDocument) -> list[Route]:
    """The whole route table of the document's workspace folder, with the document's current text in it."""
    index = index_of(server, document)

    def work() -> list[Route]:
        server.indexes.flush()
        if document.is_python:
            index.set_file(document.analysis_path, document.text)
        return list(index.routes())

    result: list[Route] = await run_in_worker(server, work)
    return result


def client_range(server: FastApiPatternsServer, text_range: TextRange) -> types.Range:
    line = text_range.line_text
    units = server.codec.client_num_units
    return types.Range(
        start=types.Position(line=text_range.line, character=int(units(line[: text_range.start]))),
        end=types.Position(line=text_range.line, character=int(units(line[: text_range.end]))),
    )


def uri_of(server: FastApiPatternsServer, path: str) -> str:
    """The URI of an indexed path: the open document's own URI (untitled buffers too), else the file's."""
    for document in list(server.documents.values()):
        if os.path.abspath(document.analysis_path) == path:
            return document.uri
    return Path(path).as_uri() if Path(path).is_absolute() else f"untitled:{path}"


def route_location(server: FastApiPatternsServer, route: Route) -> types.Location:
    return types.Location(uri=uri_of(server, route.file), range=client_range(server, route.handler_range))


def route_json(server: FastApiPatternsServer, route: Route) -> dict[str, Any]:
    """The `--routes --format json` record of a route, plus where to show it in the editor: `uri` and `range`
    (the handler's name), and `lines` (0-based, first decorator to last body line: where its findings are)."""
    record = route_record(route)
    location = route_location(server, route)
    record["uri"] = location.uri
    record["range"] = {
        "start": {"line": location.range.start.line, "character": location.range.start.character},
        "end": {"line": location.range.end.line, "character": location.range.end.character},
    }
    first, last = route.function_lines
    record["lines"] = {"start": first, "end": max(first, last)}
    return record
