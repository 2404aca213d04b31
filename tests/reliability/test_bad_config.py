"""Configuration: every key given a value of the wrong kind, unknown keys, and broken files. Each problem is one
line naming the file and the key; the checker exits 2 before checking anything; editors get the same words and
keep the defaults. A new configuration key fails `test_every_known_key_has_bad_values_here` until it is added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_helpers import Session

from fastapi_patterns.engine.config import KNOWN_KEYS
from fastapi_patterns.lsp.settings import parse_settings

LISTS = ["3", "true", "[1, 2]", "{ a = 1 }"]
SELECTORS = [*LISTS, '["NOPE"]', '["FAP999"]']
COUNTS = ['"big"', "0", "-1", "true", "1.5", "[1]"]
# TOML text of wrong values for every key, each with the words its error must contain
BAD_VALUES: dict[str, list[str]] = {
    "select": SELECTORS, "ignore": SELECTORS, "extend-select": SELECTORS,
    "exclude": LISTS, "blocking-calls": LISTS, "sensitive-fields": LISTS, "non-creating-post-words": LISTS,
    "cache-decorators": LISTS, "test-patterns": LISTS,
    "max-fix-size": COUNTS, "max-file-size": COUNTS,
    "severity": ['"error"', "[1]", '{ FAP101 = "fatal" }', '{ FAP999 = "error" }', "{ FAP101 = 3 }"],
    "per-file-ignores": ['["tests/*"]', "3", '{ "tests/*" = [1] }', '{ "tests/*" = ["NOPE"] }'],
    "offload-style": ['"threads"', "1", '["to_thread"]'],
    "show-syntax-errors": ['"yes"', "1", "[true]"],
}
CASES = [pytest.param(key, value, id=f"{key}={value}") for key, values in BAD_VALUES.items() for value in values]


def test_every_known_key_has_bad_values_here() -> None:
    assert set(BAD_VALUES) == set(KNOWN_KEYS)


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.fastapi-patterns]\n{table}\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("key", "value"), CASES)
def test_a_bad_value_is_one_line_naming_file_and_key(cli: Any, tmp_path: Path, key: str, value: str) -> None:
    result = cli("--check", cwd=_project(tmp_path, f"{key} = {value}"))
    assert (result.code, result.out) == (2, "")
    (line,) = result.err.splitlines()
    assert line.startswith(f"pyproject.toml: {key}"), line
    assert "Traceback" not in result.err


@pytest.mark.parametrize("key", ["selct", "colour", "max-size", "fastapi-patterns"])
def test_an_unknown_key_is_named(cli: Any, tmp_path: Path, key: str) -> None:
    result = cli("--check", cwd=_project(tmp_path, f'"{key}" = 1'))
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"pyproject.toml: {key}: unknown key")


def test_every_problem_of_a_file_is_listed_once_and_routes_refuse_too(cli: Any, tmp_path: Path) -> None:
    project = _project(tmp_path, 'select = 3\noffload-style = "threads"\ncolour = "red"')
    checked = cli("--check", cwd=project)
    assert [line.split(":")[1].strip() for line in checked.err.splitlines()] == ["select", "offload-style", "colour"]
    routes = cli("--routes", cwd=project)
    assert routes.code == 2 and "pyproject.toml: select" in routes.err and "Traceback" not in routes.err


@pytest.mark.parametrize(("name", "content", "words"), [
    ("pyproject.toml", b"[tool.fastapi-patterns]\nselect = [\n", "<file>: invalid TOML"),
    ("pyproject.toml", b"[tool]\nfastapi-patterns = 3\n", "tool.fastapi-patterns: expected a table"),
    ("fastapi-patterns.toml", b"select = ['FAP1']\n\xff\n", "<file>: cannot read"),
    ("fastapi-patterns.toml", b"\x00\x01 fastapi-patterns", "<file>: invalid TOML"),
])
def test_a_broken_configuration_file_is_one_line(cli: Any, tmp_path: Path, name: str, content: bytes,
                                                 words: str) -> None:
    (tmp_path / name).write_bytes(content)
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    result = cli("--check", cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    (line,) = result.err.splitlines()
    assert line.startswith(f"{name}: {words}"), line


@pytest.mark.parametrize(("key", "value"), CASES)
def test_editor_settings_with_a_bad_value_name_the_key_and_drop_it(key: str, value: str) -> None:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    parsed = tomllib.loads(f"value = {value}\n")["value"]
    settings, problems = parse_settings({key: parsed, "debounce-ms": 5})
    assert len(problems) == 1 and f"`{key}" in problems[0], problems
    assert key not in settings.table and settings.debounce_ms == 5  # the good key still applies


async def test_the_server_shows_config_file_problems_and_keeps_working(start_fault_session: Any,
                                                                       tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.fastapi-patterns]\nselect = 3\ncolour = "red"\n',
                                             encoding="utf-8")
    session: Session = await start_fault_session("visual_studio_code")
    uri = session.open("app.py", 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("x")\ndef x() -> int:\n'
                                 "    return 1\n")
    codes = {str(d.code) for d in await session.diagnostics(uri)}
    assert "FAP214" in codes  # the defaults apply to the keys that were wrong
    shown = [m.message for m in session.client.messages]
    assert any("pyproject.toml" in m and "`select`" in m for m in shown), shown
    assert any("pyproject.toml" in m and "`colour`" in m for m in shown), shown
