"""`--routes`: the resolved route table of a project, as a text table or as JSON.

Files are found exactly as `--check` finds them (`.gitignore`, excludes, explicit paths), read with the same
safe reader, and indexed once; the directories named on the command line (or the directory of a named file) are
the workspace folders the index resolves imports from. Each row is one method of one path operation on one
chain of routers up to an app: method, full path, handler, where it is declared, and the chain. Files that
cannot be read or parsed are named on stderr and left out; the table is still printed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence, TextIO

from ..engine.workspace import Route, build_index
from ..engine.workspace.library import LibraryClasses
from ..engine.workspace.resolve import EXTERNAL_KINDS
from ..rules import KNOWN_CODES
from .files import discover, display_path
from .settings import ConfigResolver, SelectionOverrides
from .source import Skipped, read_source

FORMATS = ("text", "json")
HEADER = ("METHOD", "PATH", "HANDLER", "LOCATION", "ROUTERS")
NOT_MOUNTED = "(not included in any app)"


@dataclass(frozen=True)
class RoutesOptions:
    paths: tuple[str, ...] = (".",)
    output_format: str = "text"
    force_exclude: bool = False
    ascii_only: bool = False
    cwd: Optional[Path] = None


def run_routes(options: RoutesOptions, out: TextIO, err: TextIO) -> int:
    """Print the route table; 2 when a path or a configuration file is unusable, else 0."""
    cwd = (options.cwd or Path.cwd()).absolute()
    resolver = ConfigResolver(cwd, SelectionOverrides(), KNOWN_CODES)
    discovery = discover(options.paths, cwd, resolver, options.force_exclude)
    for error in dict.fromkeys(f"{display_path(Path(e.source), cwd)}: {e.key}: {e.problem}" for e in resolver.errors):
        err.write(error + "\n")
    if resolver.errors:
        return 2
    sources: list[tuple[str, str]] = []
    for source in discovery.files:
        text = read_source(source.path, source.config.max_file_size)
        if isinstance(text, Skipped):
            err.write(f"{source.display}: skipped: {text}\n")
        else:
            sources.append((str(source.path), text.text))
    index = build_index(_folders(options.paths, cwd), sources)
    index.library = LibraryClasses(EXTERNAL_KINDS).kinds
    for path in index.paths:
        summary = index.summary(path)
        if summary is not None and not summary.parsed:
            err.write(f"{display_path(Path(path), cwd)}: skipped: {summary.syntax_error}\n")
    for line in discovery.problems:
        err.write(line + "\n")
    if discovery.problems and not discovery.files:
        return 2
    routes = index.routes()
    if options.output_format == "json":
        out.write(render_json(routes, options.ascii_only))
    else:
        out.write(render_text(routes, cwd))
    return 2 if discovery.problems else 0


def _folders(paths: Sequence[str], cwd: Path) -> list[str]:
    folders = []
    for text in paths:
        path = os.path.abspath(os.path.join(cwd, text))
        folders.append(path if os.path.isdir(path) else os.path.dirname(path))
    return list(dict.fromkeys(folders))


def location(route: Route, cwd: Path) -> str:
    return f"{display_path(Path(route.file), cwd)}:{route.decorator_range.line + 1}"


def chain_label(route: Route) -> str:
    if not route.chain:
        return NOT_MOUNTED
    return route.chain_text + ("" if route.mounted else f" {NOT_MOUNTED}")


def render_text(routes: Sequence[Route], cwd: Path) -> str:
    if not routes:
        return "no path operations found\n"
    rows = [HEADER] + [
        (route.method, route.path, route.handler, location(route, cwd), chain_label(route)) for route in routes
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER) - 1)]
    lines = ["  ".join([*(cell.ljust(width) for cell, width in zip(row[:-1], widths)), row[-1]]).rstrip()
             for row in rows]
    count = len(routes)
    unmounted = sum(1 for route in routes if not route.mounted)
    summary = f"{count} route{'s' if count != 1 else ''}"
    if unmounted:
        summary += f", {unmounted} not included in any app"
    return "\n".join([*lines, "", summary]) + "\n"


def route_record(route: Route) -> dict[str, Any]:
    """One route as a JSON object (1-based lines and columns, like `--check --format json`)."""
    return {
        "method": route.method,
        "path": route.path,
        "handler": route.handler,
        "module": route.module,
        "filename": route.file,
        "location": {"row": route.decorator_range.line + 1, "column": route.decorator_range.start + 1},
        "handler_location": {"row": route.handler_range.line + 1, "column": route.handler_range.start + 1},
        "routers": [
            {"module": link.module, "name": link.name, "kind": link.kind, "prefix": link.prefix,
             "include_prefix": link.include_prefix}
            for link in route.chain
        ],
        "mounted": route.mounted,
        "tags": list(route.tags),
        "response_model": route.response_model,
        "status_code": route.status_code,
        "dependencies": list(route.dependencies),
        "is_async": route.is_async,
    }


def render_json(routes: Sequence[Route], ascii_only: bool = False) -> str:
    return json.dumps([route_record(route) for route in routes], indent=2, ensure_ascii=ascii_only) + "\n"
