"""The route card: hovering a path operation's decorators or its handler's name shows how the app serves it.

The card gives the full path (prefixes resolved across files), the handler and where it is, the chain of routers
from the app down, the response model (from `response_model=` or the return annotation), the status code, the
dependencies (the route's, its routers' and includes', and its parameters', `Annotated` aliases from other
modules included), the tags, and the number of findings inside the path operation. It is offered to the hover
feature as a provider, so a rule's documentation still wins on a diagnostic.
"""

from __future__ import annotations

import os
from typing import Optional

from ...engine.types import Position, Span
from ...engine.workspace import Route
from ..analysis import current_analysis, is_analysed
from ..documents import OpenDocument
from ..route_queries import routes_of_document
from ..server import FastApiPatternsServer


def routes_at(routes: list[Route], position: Position) -> list[Route]:
    """The routes whose decorators or handler name hold the position; the decorator's own routes first."""
    def holds(route: Route) -> bool:
        name = route.handler_range
        on_name = position.line == name.line and name.start <= position.column <= name.end
        return on_name or route.function_lines[0] <= position.line < name.line

    hit = [r for r in routes if holds(r)]
    on_decorator = [r for r in hit if r.decorator_range.line == position.line]
    return on_decorator or hit


def route_card(route: Route, findings: Optional[int]) -> str:
    lines = [f"**{route.method} {route.path}**", ""]
    lines.append(f"- handler: `{route.handler}` ({os.path.basename(route.file)}:{route.handler_range.line + 1})")
    if route.chain:
        chain = " → ".join(f"`{link.label}`" for link in route.chain)
        lines.append(f"- routers: {chain}" + ("" if route.mounted else " (not included in any app)"))
    else:
        lines.append("- routers: not included in any app")
    if route.method != "WEBSOCKET":
        lines.append(f"- response model: `{route.response_model}`" if route.response_model else
                     "- response model: none")
        lines.append(f"- status code: `{route.status_code}`" if route.status_code else "- status code: 200 (default)")
    if route.dependencies:
        lines.append("- dependencies: " + ", ".join(f"`{name}`" for name in route.dependencies))
    if route.tags:
        lines.append("- tags: " + ", ".join(route.tags))
    if findings is not None:
        lines.append(f"- findings: {findings}")
    return "\n".join(lines) + "\n"


def register(server: FastApiPatternsServer) -> None:
    async def hover_route(document: OpenDocument, position: Position) -> Optional[tuple[str, Span]]:
        version = document.version
        routes = routes_at(await routes_of_document(server, document), position)
        if not routes or document.version != version:
            return None
        analysis = await current_analysis(server, document) if is_analysed(server, document) else None
        cards = []
        for route in routes:
            findings = None
            if analysis is not None and analysis.parsed:
                start, end = route.function_lines
                findings = sum(1 for f in analysis.findings if start <= f.span.start.line <= end)
            cards.append(route_card(route, findings))
        if document.version != version:
            return None
        line = routes[0].decorator_range if routes[0].decorator_range.line == position.line else routes[0].handler_range
        span = Span.of(line.line, line.start, line.line, line.end)
        return "\n---\n\n".join(dict.fromkeys(cards)), span

    server.hooks.hover.append(hover_route)
