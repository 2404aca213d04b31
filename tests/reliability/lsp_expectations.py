"""What the language server should publish, computed here from the engine and the text alone, and the random
incremental edits of the load tests.

`expected(text, ...)` runs a fresh `analyze()` on a text and converts its findings to client positions with
this module's own arithmetic, independently of the server's conversion code; `shown(diagnostics)` puts what
the server sent in the same form. `random_edit()` picks an edit of the kinds a person makes while typing, each
of which leaves the module parseable, so every version has exactly one right set of diagnostics.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Sequence

from lsp_helpers import units
from lsprotocol import types

from fastapi_patterns.engine import Config, analyze

Shown = tuple[str, str, tuple[int, int, int, int]]
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ROUTE_QUOTE = re.compile(r"\.(?:get|post|put|delete)\(\"")

BURST_MODULE = """\
import asyncio
import time

from fastapi import Depends, FastAPI

app = FastAPI()  # café ☕


def get_db() -> dict[str, str]:
    return {}


@app.get("items")
async def list_items(db: dict[str, str] = Depends(get_db())) -> list[str]:
    time.sleep(1)
    return []


@app.post("/items")
async def create_item(name: str) -> dict[str, str]:
    time.sleep(1)
    return {"name": name}


@app.delete("items/{item_id}")
async def delete_item(item_id: int) -> None:
    time.sleep(1)


@app.get("/health")
def health() -> dict[str, str]:
    loop = asyncio.get_event_loop()
    return {"loop": str(loop)}
"""


def expected(text: str, path: Path, root: Path, encoding: str) -> list[Shown]:
    """The diagnostics a fresh analysis of `text` gives, in client units."""
    lines = _LINE_BREAK.split(text)
    analysis = analyze(text, str(path), Config(root=str(root)))
    found = []
    for finding in analysis.findings:
        start, end = finding.span.start, finding.span.end
        found.append((finding.code, finding.message, (
            start.line, units(lines[start.line][: start.column], encoding),
            end.line, units(lines[end.line][: end.column], encoding),
        )))
    return sorted(found)


def shown(diagnostics: Sequence[types.Diagnostic]) -> list[Shown]:
    return sorted(
        (str(d.code), d.message, (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character))
        for d in diagnostics
    )


def position_at(text: str, offset: int, encoding: str) -> types.Position:
    before = _LINE_BREAK.split(text[:offset])
    return types.Position(line=len(before) - 1, character=units(before[-1], encoding))


def _edit(text: str, start: int, end: int, new_text: str, encoding: str) -> types.TextEdit:
    return types.TextEdit(types.Range(position_at(text, start, encoding), position_at(text, end, encoding)), new_text)


def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in _LINE_BREAK.finditer(text) if match.end() < len(text)]


def random_edit(text: str, serial: int, chooser: random.Random, encoding: str) -> types.TextEdit:
    """One edit that keeps the module parseable: add, extend or delete a comment line, add or remove the
    leading slash of a route path, or swap a blocking sleep for an awaited one (and back)."""
    kind = chooser.choice(("comment", "comment", "type", "slash", "slash", "delete", "sleep"))
    comments = [start for start in _line_starts(text) if text.startswith("# edit", start)]
    if kind == "type" and comments:
        start = chooser.choice(comments)
        end_of_line = _LINE_BREAK.search(text, start)
        at = end_of_line.start() if end_of_line else len(text)
        return _edit(text, at, at, chooser.choice(("a", "b", "é", "🙂", " ")), encoding)
    if kind == "delete" and comments:
        start = chooser.choice(comments)
        end_of_line = _LINE_BREAK.search(text, start)
        return _edit(text, start, end_of_line.end() if end_of_line else len(text), "", encoding)
    if kind == "slash":
        quotes = [match.end() for match in _ROUTE_QUOTE.finditer(text)]
        at = chooser.choice(quotes)
        if text.startswith("/", at):
            return _edit(text, at, at + 1, "", encoding)
        return _edit(text, at, at, "/", encoding)
    if kind == "sleep":
        for blocking, awaited in (("time.sleep(1)", "await asyncio.sleep(1)"),
                                  ("await asyncio.sleep(1)", "time.sleep(1)")):
            places = [m.start() for m in re.finditer(re.escape(blocking), text)]
            if places and (blocking.startswith("time") or chooser.random() < 0.5):
                at = chooser.choice(places)
                return _edit(text, at, at + len(blocking), awaited, encoding)
    at = chooser.choice(_line_starts(text))
    return _edit(text, at, at, f"# edit {serial} 🙂\n", encoding)
