"""`fastapi-patterns --routes`: the route table as text and JSON, the same file discovery as `--check`, and
clear errors for options that do not apply."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from workspace_helpers import PROJECTS

from fastapi_patterns.cli import main

ROOT = Path(__file__).resolve().parents[2]
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def routes(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """`routes(*argv, cwd=path)`: run `fastapi-patterns --routes ARGV` in-process; (exit code, stdout, stderr)."""

    def run(*argv: str, cwd: Path = PROJECTS) -> tuple[int, str, str]:
        capsys.readouterr()
        with monkeypatch.context() as patch:
            patch.chdir(cwd)
            code = main(["--routes", *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_text_table_lists_method_path_handler_location_and_routers(routes: Run) -> None:
    code, out, err = routes("src_layout")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["METHOD", "PATH", "HANDLER", "LOCATION", "ROUTERS"]
    read_user = next(line for line in lines if "read_user" in line)
    assert read_user.split() == [
        "GET", "/api/v1/users/{user_id}", "read_user", "src_layout/src/shopapi/api/users.py:14",
        "shopapi.main:create_app.<locals>.application", ">", "shopapi.api:api_router", ">",
        "shopapi.api.users:router",
    ]
    assert lines[-1] == "6 routes" and lines[-2] == ""


def test_json_output_has_one_record_per_route(routes: Run) -> None:
    code, out, _err = routes("--format", "json", "package_layout")
    records = json.loads(out)
    assert code == 0 and len(records) == 9
    line = next(r for r in records if r["handler"] == "read_line")
    assert line["path"] == "/api/orders/{order_id}/lines/{line_id}" and line["method"] == "GET"
    assert line["filename"] == str(PROJECTS / "package_layout/app/routers/orders.py")
    assert line["location"] == {"row": 13, "column": 1} and line["handler_location"] == {"row": 14, "column": 5}
    assert [(r["name"], r["prefix"], r["include_prefix"]) for r in line["routers"]] == [
        ("build.<locals>.app", "", ""), ("router", "/orders", "/api"), ("lines", "/{order_id}/lines", ""),
    ]
    assert line["mounted"] is True and line["tags"] == ["orders"] and line["is_async"] is False


def test_routers_not_included_are_marked(routes: Run, tmp_path: Path) -> None:
    (tmp_path / "orphan.py").write_text(
        "from fastapi import APIRouter\nrouter = APIRouter()\n@router.get('/x')\ndef x(): ...\n", encoding="utf-8")
    code, out, _err = routes(cwd=tmp_path)
    assert code == 0 and "orphan:router (not included in any app)" in out
    assert out.splitlines()[-1] == "1 route, 1 not included in any app"


def test_gitignored_and_excluded_files_are_left_out(routes: Run, tmp_path: Path) -> None:
    for name in ("kept", "ignored", "excluded"):
        (tmp_path / f"{name}.py").write_text(
            f"from fastapi import FastAPI\napp = FastAPI()\n@app.get('/{name}')\ndef {name}(): ...\n",
            encoding="utf-8")
    (tmp_path / ".gitignore").write_text("ignored.py\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.fastapi-patterns]\nexclude = ["excluded.py"]\n', encoding="utf-8")
    _code, out, _err = routes(cwd=tmp_path)
    assert "/kept" in out and "/ignored" not in out and "/excluded" not in out


def test_unparseable_files_are_named_and_the_table_still_printed(routes: Run, tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n@app.get('/ok')\ndef ok(): ...\n",
                                      encoding="utf-8")
    (tmp_path / "bad.py").write_text("def broken(:\n", encoding="utf-8")
    code, out, err = routes(cwd=tmp_path)
    assert code == 0 and "/ok" in out and err.startswith("bad.py: skipped: ") and "line 1" in err


def test_nothing_found(routes: Run, tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("x = 1\n", encoding="utf-8")
    assert routes(cwd=tmp_path) == (0, "no path operations found\n", "")


@pytest.mark.parametrize(("argv", "message"), [
    (("--format", "sarif"), "--routes prints text or json, not sarif"),
    (("--fix",), "--fix does not go with --routes"),
    (("--select", "FAP1"), "--select does not go with --routes"),
])
def test_options_that_do_not_apply_are_refused(routes: Run, argv: tuple[str, ...], message: str) -> None:
    code, out, err = routes(*argv)
    assert (code, out, err) == (2, "", f"fastapi-patterns: error: {message}\n")


def test_missing_path_is_an_error(routes: Run, tmp_path: Path) -> None:
    assert routes("nowhere", cwd=tmp_path) == (2, "", "nowhere: no such file or directory\n")


def test_routes_never_imports_the_language_server() -> None:
    code = (
        "import sys\nfrom fastapi_patterns.cli import main\n"
        f"assert main(['--routes', {str(PROJECTS / 'namespace_layout')!r}]) == 0\n"
        "assert not any(name.split('.')[0] in ('pygls', 'lsprotocol') for name in sys.modules), 'protocol imported'\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "server")}
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                               timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert "/v2/catalog/products/{sku}" in completed.stdout
