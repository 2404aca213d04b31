"""From test client calls to routes: go to definition on a URL, and route path completion inside one.

In `client.get("/users/1")` (a test client known by qualified name, or a pytest fixture of the workspace that
builds one), go to definition on the URL string jumps to the handlers of the routes that serve it, of the
call's method when any. Inside the string, completion offers the full paths of the routes that method
reaches and that start with what was typed (all of them when none does), replacing the string's content;
clients with snippet support get each path parameter as a tab stop (`/users/${1:user_id}`).
"""

from __future__ import annotations

import re
from typing import Optional

from lsprotocol import types

from ...engine.types import Position, Span
from ...engine.workspace import Route, WorkspaceIndex
from ...engine.workspace.client_calls import ClientCall, client_call_at, completions, matching_routes
from ..convert import from_client_position, to_client_range
from ..documents import OpenDocument
from ..route_queries import all_routes, index_of, route_location
from ..server import FastApiPatternsServer, run_in_worker

TRIGGER_CHARACTERS = ['"', "'", "/"]
_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::[A-Za-z_]+)?\}")


def is_fixture_client(index: WorkspaceIndex, fixture: str) -> bool:
    """Whether some module of the workspace defines a fixture of that name that builds a test client."""
    return any(function.name == fixture and function.makes_test_client
               for summary in index.summaries().values() for function in summary.functions)


def snippet_of(path: str) -> str:
    """The path as a snippet: each `{parameter}` becomes a tab stop holding its name."""
    escaped = path.replace("\\", "\\\\").replace("$", "\\$")
    counter = iter(range(1, 1000))
    return _PARAMETER.sub(lambda m: f"${{{next(counter)}:{m.group(1)}}}", escaped)


async def client_call(server: FastApiPatternsServer, document: OpenDocument,
                      position: Position) -> Optional[ClientCall]:
    """The test client call whose URL holds the position, its fixture (if any) checked against the index."""
    if not document.is_python:
        return None
    call: Optional[ClientCall] = await run_in_worker(server, client_call_at, document.text, position)
    if call is not None and call.fixture is not None:
        known = await run_in_worker(server, is_fixture_client, index_of(server, document), call.fixture)
        return call if known else None
    return call


def completion_items(server: FastApiPatternsServer, document: OpenDocument, call: ClientCall,
                     routes: list[Route], snippets: bool) -> list[types.CompletionItem]:
    replaced = to_client_range(document.lines, server.codec, Span(call.content_start, call.content_end))
    reachable = completions(routes, call.method)
    typed = [route for route in reachable if route.path.startswith(call.typed)]
    items = []
    for route in typed or reachable:
        parameterised = snippets and _PARAMETER.search(route.path) is not None
        items.append(types.CompletionItem(
            label=route.path,
            kind=types.CompletionItemKind.Value,
            detail=f"{route.method} -> {route.handler} ({route.module})",
            filter_text=route.path,
            sort_text=route.path,
            insert_text_format=types.InsertTextFormat.Snippet if parameterised else types.InsertTextFormat.PlainText,
            text_edit=types.TextEdit(range=replaced, new_text=snippet_of(route.path) if parameterised else route.path),
        ))
    return items


def register(server: FastApiPatternsServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(params: types.DefinitionParams) -> Optional[list[types.Location]]:
        document = server.documents.get(params.text_document.uri)
        if document is None:
            return None
        version = document.version
        position = from_client_position(document.lines, server.codec, params.position)
        call = await client_call(server, document, position)
        if call is None:
            return None
        routes = matching_routes(await all_routes(server, document), call.method, call.url)
        if document.version != version or not routes:
            return None
        return list({(r.file, r.handler_range.line): route_location(server, r) for r in routes}.values())

    async def complete_route(document: OpenDocument, position: Position) -> Optional[types.CompletionList]:
        version = document.version
        call = await client_call(server, document, position)
        if call is None:
            return None
        routes = await all_routes(server, document)
        if document.version != version:
            return None
        snippets = bool(server.capability(("text_document", "completion", "completion_item", "snippet_support"),
                                          False))
        return types.CompletionList(is_incomplete=True,  # the paths offered depend on what is typed
                                    items=completion_items(server, document, call, routes, snippets))

    server.hooks.completion.append(complete_route)
