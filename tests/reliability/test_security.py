"""The checker and the server never import, execute or unpickle what a project contains.

The project (`hostile_project.py`) leaves a trace for every module of it that is imported, every module named
like one the tool imports after start-up, a bytecode-only package its app uses, and a crafted cache. Each
command runs as editors and users start it, `python -m fastapi_patterns` from inside the project (so the
project folder is where Python looks first), and the language server answers every request it serves on it.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile_project import build, on_the_import_path, reexporting_package, traces
from raw_client import RawServer

from process_environment import ROOT, server_environment

PACKAGE = ROOT / "server" / "fastapi_patterns"
COMMANDS = [
    ("--check", "."), ("--check", ".", "--format", "json"), ("--check", ".", "--diff"), ("--routes", "."),
    ("--routes", ".", "--format", "json"), ("--check", ".", "--jobs", "1", "--fix", "--unsafe-fixes"),
]


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    project, markers = tmp_path / "project", tmp_path / "markers"
    build(project, markers)
    return project, markers


def run(project: Path, *argv: str, extra_path: str = "") -> subprocess.CompletedProcess[str]:
    environment = server_environment()
    environment.pop("FASTAPI_PATTERNS_CACHE_DIR", None)  # the default: a cache folder in the project itself
    if extra_path:  # the project on the import path, as an editable install puts it
        environment["PYTHONPATH"] = os.pathsep.join([environment["PYTHONPATH"], extra_path])
    return subprocess.run([sys.executable, "-m", "fastapi_patterns", *argv], cwd=project, env=environment,
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def test_the_command_line_runs_nothing_of_the_project(hostile: tuple[Path, Path]) -> None:
    project, markers = hostile
    before = (project / "app" / "main.py").read_text(encoding="utf-8")
    crafted = (project / ".fastapi-patterns-cache" / "results.pickle").read_bytes()
    outputs = {argv: run(project, *argv) for argv in COMMANDS}
    assert traces(markers) == []
    assert (project / ".fastapi-patterns-cache" / "results.pickle").read_bytes() != crafted  # read, refused, rewritten
    for argv, result in outputs.items():
        assert "Traceback" not in result.stderr, (argv, result.stderr)
    assert "app/main.py" in outputs[("--check", ".")].stdout and "FAP214" in outputs[("--check", ".")].stdout
    assert "/items/" in outputs[("--routes", ".")].stdout
    fixed = (project / "app" / "main.py").read_text(encoding="utf-8")
    assert fixed != before and '@app.get("/health")' in fixed and "get_running_loop" in fixed


def test_the_language_server_runs_nothing_of_the_project(hostile: tuple[Path, Path]) -> None:
    project, markers = hostile
    server = RawServer([sys.executable, "-m", "fastapi_patterns"], server_environment(), cwd=project)
    try:
        server.initialize(project, capabilities={"textDocument": {"diagnostic": {}}})
        main_uri = (project / "app" / "main.py").as_uri()
        test_uri = (project / "tests" / "test_api.py").as_uri()
        for uri, path in ((main_uri, "app/main.py"), (test_uri, "tests/test_api.py")):
            server.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "python", "version": 1, "text": (project / path).read_text()}})
        document = {"textDocument": {"uri": main_uri}}
        everything = {"start": {"line": 0, "character": 0}, "end": {"line": 30, "character": 0}}
        answers: dict[str, Any] = {
            "diagnostics": server.call("textDocument/diagnostic", document),
            "routes": server.call("fastapi-patterns/routes", {}),
            "actions": server.call("textDocument/codeAction", {**document, "range": everything,
                                                                "context": {"diagnostics": []}}),
            "hover": server.call("textDocument/hover", {**document, "position": {"line": 17, "character": 3}}),
            "symbols": server.call("textDocument/documentSymbol", document),
            "lenses": server.call("textDocument/codeLens", document),
            "workspace symbols": server.call("workspace/symbol", {"query": "health"}),
            "completion": server.call("textDocument/completion", {
                "textDocument": {"uri": test_uri}, "position": {"line": 9, "character": 23}}),
            "definition": server.call("textDocument/definition", {
                "textDocument": {"uri": test_uri}, "position": {"line": 9, "character": 24}}),
        }
        assert server.call("shutdown")["result"] is None
        server.notify("exit")
        assert server.exit_code() == 0
    finally:
        server.close()
    assert traces(markers) == []
    for name, answer in answers.items():
        assert "error" not in answer, (name, answer)
    assert {item["code"] for item in answers["diagnostics"]["result"]["items"]} >= {"FAP104", "FAP214"}
    assert any(route["path"] == "/items/" for route in answers["routes"]["result"])
    assert answers["actions"]["result"]  # fixes were built (libcst among them): from the install, not the project
    assert b"Traceback" not in server.stderr


def test_a_project_on_the_import_path_is_still_not_run(hostile: tuple[Path, Path]) -> None:
    """With the project importable (an editable install), a class of a bytecode-only module is not looked up."""
    project, markers = hostile
    on_the_import_path(project)
    for argv in (("--check", ".", "--no-cache"), ("--routes", ".")):
        assert "Traceback" not in run(project, *argv, extra_path=str(project)).stderr
    assert traces(markers) == []


def test_a_reexport_from_a_bytecode_only_module_is_not_run(hostile: tuple[Path, Path]) -> None:
    project, markers = hostile
    on_the_import_path(project)
    reexporting_package(project, markers)
    run(project, "--check", ".", "--no-cache", extra_path=str(project))
    assert traces(markers) == []


def test_the_package_source_evaluates_and_spawns_nothing() -> None:
    """No eval/exec, no dynamic import, no process, no unrestricted unpickling anywhere in the package."""
    banned_names = {"eval", "exec", "execfile", "breakpoint"}
    banned_calls = {("importlib", "import_module"), ("runpy", "run_path"), ("runpy", "run_module"),
                    ("os", "system"), ("os", "popen"), ("pickle", "load"), ("pickle", "loads"),
                    ("marshal", "loads"), ("shelve", "open")}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [f"{path.name}: imports {m}" for m in modules if m.split(".")[0] in ("subprocess", "runpy")]
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            if isinstance(function, ast.Name) and function.id in banned_names:
                found.append(f"{path.name}:{node.lineno}: {function.id}()")
            if isinstance(function, ast.Name) and function.id == "__import__" and not (
                    node.args and isinstance(node.args[0], ast.Constant)):
                found.append(f"{path.name}:{node.lineno}: __import__ of a computed name")
            if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and (
                    function.value.id, function.attr) in banned_calls:
                found.append(f"{path.name}:{node.lineno}: {function.value.id}.{function.attr}()")
            if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and \
                    function.value.id == "os" and function.attr.startswith(("exec", "spawn")):
                found.append(f"{path.name}:{node.lineno}: os.{function.attr}()")
    assert found == []


def test_a_symlinked_folder_out_of_the_root_is_not_listed_in_routes(cli: Any, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("from fastapi import APIRouter\nrouter = APIRouter()\n"
                                       "@router.get('/secret')\ndef secret() -> int:\n    return 1\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n@app.get('/open')\n"
                                     "def open_route() -> int:\n    return 1\n")
    (project / "linked").symlink_to(outside, target_is_directory=True)
    result = cli("--routes", cwd=project)
    assert "/open" in result.out and "/secret" not in result.out
