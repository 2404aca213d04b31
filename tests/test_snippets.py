"""The snippet catalog: complete, well-formed snippet syntax, and code that every rule accepts.

Each snippet is expanded with its defaults and analysed with every rule enabled, opt-in ones included. Fragments
(one path operation, an exception handler) are analysed after a preamble holding what the module around them
would already have: imports, the router or app, and the names the fragment uses.
"""

from __future__ import annotations

import ast
import re

import pytest

from fastapi_patterns.engine import Config, analyze
from fastapi_patterns.rules import ALL_RULES
from fastapi_patterns.snippets import SNIPPETS, Snippet

EVERY_RULE = Config(select=("FAP",), extend_select=("FAP215", "FAP216"))

EXPECTED_PREFIXES = {
    "fastapi-app", "fastapi-router", "fastapi-get", "fastapi-post", "fastapi-put", "fastapi-patch",
    "fastapi-delete", "fastapi-models", "fastapi-settings", "fastapi-db-session", "fastapi-current-user",
    "fastapi-exception-handler", "fastapi-test",
}

_ROUTER_PREAMBLE = '''\
"""Item endpoints."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_db
from app.models import Item
from app.schemas import ItemCreate, ItemResponse, ItemUpdate

router = APIRouter(prefix="/items", tags=["items"])


'''

_APP_PREAMBLE = '''\
"""The application."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

app = FastAPI()


'''

# What the module around a fragment snippet already holds.
PREAMBLES = {
    "fastapi-get": _ROUTER_PREAMBLE,
    "fastapi-post": _ROUTER_PREAMBLE,
    "fastapi-put": _ROUTER_PREAMBLE,
    "fastapi-patch": _ROUTER_PREAMBLE,
    "fastapi-delete": _ROUTER_PREAMBLE,
    "fastapi-exception-handler": _APP_PREAMBLE,
}

# Where each snippet would be written; test files are analysed as test files.
PATHS = {
    "fastapi-app": "app/main.py",
    "fastapi-exception-handler": "app/main.py",
    **{f"fastapi-{method}": "app/routers/items.py" for method in ("get", "post", "put", "patch", "delete")},
    "fastapi-router": "app/routers/items.py",
    "fastapi-models": "app/schemas.py",
    "fastapi-settings": "app/config.py",
    "fastapi-db-session": "app/database.py",
    "fastapi-current-user": "app/auth.py",
    "fastapi-test": "tests/test_api.py",
}

# A tab stop: `$1`, `${1}`, or `${1:default}` whose default may hold further tab stops.
_SIMPLE_STOP = re.compile(r"\$(\d+)|\$\{(\d+)\}")


def _expanded(snippet: Snippet) -> str:
    return PREAMBLES.get(snippet.prefix, "") + snippet.plain_text()


def _parse_placeholders(body: str) -> list[tuple[int, str]]:
    """Every tab stop as (number, default text), checking the syntax as it goes; raises ValueError."""
    stops: list[tuple[int, str]] = []

    def parse(start: int, nested: bool) -> tuple[int, str]:
        text: list[str] = []
        index = start
        while index < len(body):
            char = body[index]
            if char == "\\":
                if index + 1 >= len(body) or body[index + 1] not in "$}\\":
                    raise ValueError(f"stray backslash at {index}")
                text.append(body[index + 1])
                index += 2
            elif char == "}" and nested:
                return index + 1, "".join(text)
            elif char == "$":
                simple = _SIMPLE_STOP.match(body, index)
                if simple:
                    stops.append((int(simple.group(1) or simple.group(2)), ""))
                    index = simple.end()
                    continue
                opening = re.compile(r"\$\{(\d+):").match(body, index)
                if opening is None:
                    raise ValueError(f"`$` that starts no tab stop at {index} (escape it as `\\$`)")
                index, default = parse(opening.end(), nested=True)
                stops.append((int(opening.group(1)), default))
                text.append(default)
            else:
                text.append(char)
                index += 1
        if nested:
            raise ValueError(f"`${{` opened at {start} is never closed")
        return index, "".join(text)

    parse(0, nested=False)
    return stops


def test_catalog_has_every_snippet_of_the_catalog_spec() -> None:
    prefixes = [snippet.prefix for snippet in SNIPPETS]
    assert len(prefixes) == len(set(prefixes)), "snippet prefixes must be unique"
    assert set(prefixes) == EXPECTED_PREFIXES


def test_preambles_and_paths_name_real_snippets() -> None:
    assert set(PREAMBLES) <= EXPECTED_PREFIXES
    assert set(PATHS) == EXPECTED_PREFIXES


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.prefix)
def test_description_is_one_short_line(snippet: Snippet) -> None:
    assert snippet.description.strip() == snippet.description
    assert "\n" not in snippet.description and 10 <= len(snippet.description) <= 80


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.prefix)
def test_body_is_valid_snippet_syntax_with_a_final_stop(snippet: Snippet) -> None:
    stops = _parse_placeholders(snippet.body)
    numbers = {number for number, _ in stops}
    assert 0 in numbers, "every snippet ends at `$0`"
    assert [number for number, _ in stops].count(0) == 1
    assert numbers - {0} == set(range(1, len(numbers))), f"tab stops must be numbered 1..n: {sorted(numbers)}"
    defaults: dict[int, set[str]] = {}
    for number, default in stops:
        defaults.setdefault(number, set()).add(default)
    for number, seen in defaults.items():
        assert len(seen) == 1, f"tab stop {number} repeats with different defaults {sorted(seen)}"


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.prefix)
def test_body_uses_four_space_indents_and_no_tabs(snippet: Snippet) -> None:
    for line in snippet.body.splitlines():
        assert "\t" not in line
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 4 == 0, f"indentation of {line!r} is not a multiple of four"
    assert snippet.plain_text().endswith("\n") and not snippet.plain_text().endswith("\n\n")


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.prefix)
def test_expansion_parses_on_its_own_and_in_its_module(snippet: Snippet) -> None:
    ast.parse(snippet.plain_text())
    ast.parse(_expanded(snippet))
    assert "$" not in snippet.plain_text()


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.prefix)
def test_expansion_passes_every_rule(snippet: Snippet) -> None:
    source = _expanded(snippet)
    analysis = analyze(source, PATHS[snippet.prefix], EVERY_RULE)
    assert analysis.parsed and analysis.skipped is None
    assert not analysis.failures, analysis.failures
    found = [f"{f.code} line {f.span.start.line + 1}: {f.message}" for f in analysis.findings]
    assert found == []


def test_every_rule_is_enabled_by_the_snippet_config() -> None:
    disabled = [rule.code for rule in ALL_RULES if not EVERY_RULE.is_enabled(rule.code, rule.opt_in)]
    assert disabled == []


def test_plain_text_uses_defaults_and_drops_empty_stops() -> None:
    snippet = Snippet("x", "example", "def ${1:name}(${2}) -> ${3:${4:int}}:\n    return $5${1:name}$0\n")
    assert snippet.plain_text() == "def name() -> int:\n    return name\n"


@pytest.mark.parametrize("body", ["${1:name", "$x", "a \\q b", "${1:${2:a}"])
def test_malformed_snippet_syntax_is_rejected(body: str) -> None:
    with pytest.raises(ValueError):
        _parse_placeholders(body)
