"""Test client calls (`client.get("/users/1")`) and the routes their URLs reach.

`client_call_at` finds the call whose URL string holds a position: a `get`/`post`/.../`request`/`stream`/
`websocket_connect` call on a receiver known by qualified name to be a test client (`TestClient(app)`,
`httpx.AsyncClient(...)`, bound by assignment or `with ... as`, or a parameter annotated so); a parameter
without a type is reported as a fixture name for the caller to check against the workspace's fixtures. While
the string is still being typed (the file does not parse), the line is closed after the position and parsed
again. `matching_routes` matches a URL against route paths as Starlette does (`{id}`, `{rest:path}`), ignoring
the scheme, host, query and fragment; parts of an f-string match any path parameter.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from ..document import Document
from ..names import BindingKind, SymbolTable
from ..types import Position
from .code_facts import TEST_CLIENT_CLASSES
from .routes import Route

CLIENT_METHODS = frozenset({"get", "post", "put", "patch", "delete", "options", "head", "request", "stream",
                            "websocket_connect"})
FORMATTED = "\x00"  # stands for a formatted part of an f-string
_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z_]+))?\}|<[^>]*>")
_STRING_START = re.compile(r"[rRbBuUfF]{0,2}('''|\"\"\"|'|\")")


@dataclass(frozen=True)
class ClientCall:
    method: Optional[str]  # GET, ..., WEBSOCKET; None when computed at run time
    url: str  # the URL as written, formatted parts replaced by FORMATTED
    typed: str  # the URL text between the opening quote and the position
    content_start: Position  # just after the opening quote
    content_end: Position  # just before the closing quote
    fixture: Optional[str] = None  # the receiver is this untyped parameter: a fixture to look up

    @property
    def path(self) -> str:
        return url_path(self.url)


def client_call_at(source: str, position: Position) -> Optional[ClientCall]:
    document = Document(source)
    if _open_quote(document.line_text(position.line)[: position.column]) is None:
        return None  # not inside a string literal of that line: no need to parse
    if document.tree is None:
        document = _closed_at(document, position) or document
        if document.tree is None:
            return None
    names = SymbolTable(document.tree)
    for node, _scope in names.visit_order:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLIENT_METHODS:
            found = _call_at(node, node.func, document, names, position)
            if found is not None:
                return found
    return None


def _closed_at(document: Document, position: Position) -> Optional[Document]:
    """The document with the string being typed at `position` closed there, with its call's brackets."""
    line = document.line_text(position.line)
    quote = _open_quote(line[: position.column])
    if quote is None:
        return None
    for brackets in (")", "))", ")))"):
        lines = document.lines[:]
        lines[position.line] = line[: position.column] + quote + brackets
        patched = Document("\n".join(lines))
        if patched.tree is not None:
            return patched
    return None


def _open_quote(prefix: str) -> Optional[str]:
    """The quote of a string literal still open at the end of `prefix`, if any."""
    open_quote: Optional[str] = None
    index = 0
    while index < len(prefix):
        char = prefix[index]
        if open_quote is None and char in "'\"":
            open_quote = char
        elif open_quote is not None and char == "\\":
            index += 1
        elif open_quote is not None and char == open_quote:
            open_quote = None
        elif open_quote is None and char == "#":
            return None
        index += 1
    return open_quote


def _call_at(call: ast.Call, func: ast.Attribute, document: Document, names: SymbolTable,
             position: Position) -> Optional[ClientCall]:
    attribute = func.attr
    url_index = 1 if attribute in ("request", "stream") else 0
    url = call.args[url_index] if len(call.args) > url_index else next(
        (k.value for k in call.keywords if k.arg == "url"), None)
    if not isinstance(url, (ast.Constant, ast.JoinedStr)) or not _inside(url, document, position):
        return None
    known, fixture = _receiver(func.value, names)
    if not known and fixture is None:
        return None
    method: Optional[str] = attribute.upper()
    if attribute in ("request", "stream"):
        first = call.args[0] if call.args else None
        method = first.value.upper() if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
    elif attribute == "websocket_connect":
        method = "WEBSOCKET"
    text = _url_text(url)
    if text is None:
        return None
    span = document.node_span(url)
    opening = _STRING_START.match(document.line_text(span.start.line), span.start.column)
    quote_length = len(opening.group(1)) if opening is not None else 1
    start = Position(span.start.line, opening.end() if opening is not None else span.start.column + 1)
    end = Position(span.end.line, max(span.end.column - quote_length, 0))
    typed = document.source[document.offset(start): document.offset(position)]
    return ClientCall(method, text, typed, start, end, fixture if not known else None)


def _inside(node: ast.expr, document: Document, position: Position) -> bool:
    span = document.node_span(node)
    return span.start < position < span.end


def _receiver(node: ast.expr, names: SymbolTable) -> tuple[bool, Optional[str]]:
    """(known to be a test client, fixture name when it is an untyped parameter)."""
    if isinstance(node, ast.Call):
        return names.qualified_name(node.func) in TEST_CLIENT_CLASSES, None
    if not isinstance(node, ast.Name):
        return False, None
    binding = names.binding_of(node)
    if binding is None:
        return False, None
    if binding.kind is BindingKind.ASSIGNMENT and isinstance(binding.value, ast.Call):
        return names.qualified_name(binding.value.func) in TEST_CLIENT_CLASSES, None
    if binding.kind is BindingKind.PARAMETER:
        if binding.annotation is None:
            return False, binding.name
        return names.qualified_name(binding.annotation) in TEST_CLIENT_CLASSES, None
    return False, None


def _url_text(node: ast.expr) -> Optional[str]:
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            else:
                parts.append(FORMATTED)
        return "".join(parts)
    return None


def url_path(url: str) -> str:
    """The path of a URL: no scheme and host, no query, no fragment."""
    match = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*", url)
    if match is not None:
        url = url[match.end():] or "/"
    return re.split(r"[?#]", url, maxsplit=1)[0]


def path_pattern(route_path: str) -> re.Pattern[str]:
    """A regular expression for the URLs a route path serves."""
    pieces: list[str] = []
    last = 0
    for match in _PARAMETER.finditer(route_path):
        pieces.append(re.escape(route_path[last: match.start()]))
        pieces.append(".+" if match.group(2) == "path" else "[^/]+")
        last = match.end()
    pieces.append(re.escape(route_path[last:]))
    return re.compile("".join(pieces))


def matching_routes(routes: Iterable[Route], method: Optional[str], url: str) -> list[Route]:
    """Routes serving `url`: those of the call's method when any; a trailing slash may differ (FastAPI redirects)."""
    path = url_path(url)
    candidates = list(routes)
    for wanted in (path, path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"):
        served = [r for r in candidates if path_pattern(r.path).fullmatch(wanted)]
        same_method = [r for r in served if method is None or r.method == method]
        if same_method or served:
            return same_method or served
    return []


def completions(routes: Sequence[Route], method: Optional[str]) -> list[Route]:
    """One route per path the call's method can reach, in path order."""
    chosen: dict[str, Route] = {}
    for route in routes:
        if method is None or route.method == method:
            chosen.setdefault(route.path, route)
    return [chosen[path] for path in sorted(chosen)]
