"""The command as users run it, in a fresh interpreter: `python -m fastapi_patterns`, and what it must not import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import ROOT, ROUTE_WITHOUT_SLASH, CliRunner, run_module, write

IMPORT_PROBE = """
import json, sys
from fastapi_patterns.cli import main
code = main(sys.argv[1:])
editor_modules = sorted(m for m in sys.modules if m.split(".")[0] in ("pygls", "lsprotocol"))
print(json.dumps({"code": code, "editor_modules": editor_modules,
                  "lsp_package": "fastapi_patterns.lsp" in sys.modules}), file=sys.stderr)
"""


def test_module_entry_point_matches_the_in_process_run(cli: CliRunner) -> None:
    completed = run_module("--check", "examples/shop", "--jobs", "2")
    in_process = cli("--check", "examples/shop", "--jobs", "1")
    assert completed.returncode == in_process.code == 1
    assert completed.stdout == in_process.out
    assert completed.stderr == ""


@pytest.mark.parametrize("extra", [(), ("--fix", "--diff"), ("--format", "sarif"), ("--jobs", "2")])
def test_check_never_imports_the_editor_libraries(extra: tuple[str, ...]) -> None:
    completed = run_module("--check", "examples/shop", *extra, code=IMPORT_PROBE)
    report = json.loads(completed.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, 1)
    assert report["editor_modules"] == []
    assert report["lsp_package"] is False


def test_version_and_bad_input_without_traceback(tmp_path: Path) -> None:
    version = run_module("--version")
    assert version.returncode == 0 and version.stdout.startswith("fastapi-patterns ")
    (tmp_path / "blob.py").write_bytes(b"\x00\x01binary")
    write(tmp_path / "app.py", ROUTE_WITHOUT_SLASH)
    completed = run_module("--check", ".", "--select", "FAP214", cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stderr == "blob.py: skipped: binary file (contains NUL bytes)\n"
    assert completed.stdout.startswith("app.py:6:10: FAP214")
    usage = run_module("--check", "--format", "xml", cwd=tmp_path)
    assert usage.returncode == 2 and "invalid choice" in usage.stderr and "Traceback" not in usage.stderr


def test_pre_commit_hooks_run_the_checker() -> None:
    yaml = pytest.importorskip("yaml")
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"fastapi-patterns", "fastapi-patterns-fix"}
    assert by_id["fastapi-patterns"]["entry"].split()[:2] == ["fastapi-patterns", "--check"]
    assert "--fix" in by_id["fastapi-patterns-fix"]["entry"].split()
    for hook in hooks:
        assert hook["language"] == "python" and hook["types"] == ["python"]
