"""Document and workspace symbols for path operations, named by method and full path: `GET /users/{user_id}`.

Document symbols cover each path operation of the open document (its decorators and body), selecting the
handler's name; clients without hierarchical symbol support get flat `SymbolInformation`. Workspace symbols
search every indexed route: a query matches when its characters appear in the symbol's name in order, ignoring
case (`gusers` finds `GET /users/{user_id}`). The symbol kind is Method when the client knows it, else Function.
"""

from __future__ import annotations

from typing import Optional, Sequence, Union

from lsprotocol import types

from ...engine.workspace import Route
from ..documents import OpenDocument
from ..route_queries import client_range, current_routes, route_location
from ..server import FastApiPatternsServer, run_in_worker

MAX_WORKSPACE_SYMBOLS = 500


def matches_query(query: str, name: str) -> bool:
    """Whether the query's characters (spaces ignored) appear in `name` in order, ignoring case."""
    remaining = iter(name.lower())
    return all(char in remaining for char in query.lower() if not char.isspace())


def _symbol_kind(server: FastApiPatternsServer, capability: Sequence[str]) -> types.SymbolKind:
    known = server.capability((*capability, "symbol_kind", "value_set"), None)
    if known is None or types.SymbolKind.Method in known:
        return types.SymbolKind.Method
    return types.SymbolKind.Function


def _whole_range(server: FastApiPatternsServer, document: OpenDocument, route: Route) -> types.Range:
    """From the first decorator's line to the end of the handler's last line."""
    first, last = route.function_lines
    last = min(max(last, route.handler_range.line), len(document.lines) - 1)
    end = types.Position(line=last, character=int(server.codec.client_num_units(document.lines[last])))
    return types.Range(start=types.Position(line=min(first, last), character=0), end=end)


def document_symbols(server: FastApiPatternsServer, document: OpenDocument, routes: list[Route],
                     hierarchical: bool) -> Union[list[types.DocumentSymbol], list[types.SymbolInformation]]:
    kind = _symbol_kind(server, ("text_document", "document_symbol"))
    if not hierarchical:
        return [types.SymbolInformation(
            name=route.title, kind=kind, container_name=route.handler,
            location=types.Location(uri=document.uri, range=client_range(server, route.handler_range)),
        ) for route in routes]
    symbols = []
    for route in routes:
        selection = client_range(server, route.handler_range)
        whole = _whole_range(server, document, route)
        symbols.append(types.DocumentSymbol(name=route.title, kind=kind, range=whole, selection_range=selection,
                                            detail=route.handler))
    return symbols


def workspace_symbols(server: FastApiPatternsServer, query: str) -> list[types.SymbolInformation]:
    kind = _symbol_kind(server, ("workspace", "symbol"))
    found: list[types.SymbolInformation] = []
    for index in server.indexes.all():
        for route in index.routes():
            if matches_query(query, route.title):
                found.append(types.SymbolInformation(name=route.title, kind=kind, container_name=route.module,
                                                     location=route_location(server, route)))
                if len(found) >= MAX_WORKSPACE_SYMBOLS:
                    return found
    return found


def register(server: FastApiPatternsServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def on_document_symbols(
        params: types.DocumentSymbolParams,
    ) -> Optional[Union[list[types.DocumentSymbol], list[types.SymbolInformation]]]:
        found = await current_routes(server, params.text_document.uri)
        if found is None:
            return None
        document, routes = found
        hierarchical = bool(server.capability(
            ("text_document", "document_symbol", "hierarchical_document_symbol_support"), False))
        return document_symbols(server, document, routes, hierarchical)

    @server.feature(types.WORKSPACE_SYMBOL)
    async def on_workspace_symbols(params: types.WorkspaceSymbolParams) -> list[types.SymbolInformation]:
        result: list[types.SymbolInformation] = await run_in_worker(server, workspace_symbols, server, params.query)
        return result
