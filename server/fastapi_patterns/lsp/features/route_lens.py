"""A code lens above each path operation showing its method and full path, prefixes resolved across files.

The lens sits on the route decorator's line. Its command, `fastapi-patterns.showRoute`, is harmless: run, it
shows the route's method, path, handler and router chain as a message. Lenses are recomputed from the index
whenever the client asks; the index feature asks clients that support it to refresh them after indexing.
"""

from __future__ import annotations

from typing import Any, Optional

from lsprotocol import types

from ...engine.workspace import Route
from ..route_queries import client_range, current_routes
from ..server import FastApiPatternsServer

SHOW_ROUTE = "fastapi-patterns.showRoute"
NOT_MOUNTED = "not included in any app"


def lens_title(route: Route) -> str:
    return route.title if route.mounted else f"{route.title} ({NOT_MOUNTED})"


def route_message(arguments: Any) -> Optional[str]:
    """The message `fastapi-patterns.showRoute` shows for its first argument (a dict made by `lenses`)."""
    first = arguments[0] if isinstance(arguments, (list, tuple)) and arguments else None
    fields = first if isinstance(first, dict) else getattr(first, "_asdict", lambda: {})()
    title, handler, chain = fields.get("title"), fields.get("handler"), fields.get("chain")
    if not isinstance(title, str):
        return None
    return f"{title} -> {handler}" + (f" ({chain})" if chain else "")


def lenses(server: FastApiPatternsServer, routes: list[Route]) -> list[types.CodeLens]:
    found = []
    for route in routes:
        argument = {"title": route.title, "handler": route.handler, "chain": route.chain_text}
        found.append(types.CodeLens(
            range=client_range(server, route.decorator_range),
            command=types.Command(title=lens_title(route), command=SHOW_ROUTE, arguments=[argument]),
        ))
    return found


def register(server: FastApiPatternsServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    async def code_lens(params: types.CodeLensParams) -> Optional[list[types.CodeLens]]:
        found = await current_routes(server, params.text_document.uri)
        return None if found is None else lenses(server, found[1])

    @server.command(SHOW_ROUTE)
    def show_route(arguments: Any) -> None:
        message = route_message(arguments)
        if message is not None:
            server.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=message))
