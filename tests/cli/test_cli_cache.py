"""The `--check` cache: never a different finding, whatever was cached, and only what changed is analysed again.

Every comparison is against a run with `--no-cache`: cached and uncached, one job and two, before and after an
edit, a configuration change, or a cache file that was damaged.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_helpers import ROOT, CliRunner, write

LOAD_BLOCKS = "`load()` blocks the event loop"  # the FAP103 finding of the `reports` project
PROJECT = ROOT / "tests" / "workspace" / "projects" / "src_layout"
HELPER = "def load(year):\n    return [year]\n"
BLOCKING_HELPER = "def load(year):\n    with open(f'{year}.csv') as handle:\n        return handle.read().split()\n"
REPORTS = ("from fastapi import APIRouter\n\nfrom app.helpers import load\n\nrouter = APIRouter()\n\n\n"
           "@router.get('/reports/{year}', response_model=list[str])\nasync def report(year: int):\n"
           "    return load(year)\n")


@pytest.fixture
def tree(tmp_path: Path, shop_copy: Path) -> Path:
    """The example app, a multi-module src layout, and a helper another module calls from a coroutine."""
    root = tmp_path / "tree"
    shutil.move(str(shop_copy), str(root / "shop"))
    shutil.copytree(PROJECT, root / "src_layout", ignore=shutil.ignore_patterns("__pycache__"))
    write(root / "reports" / "app" / "__init__.py", "")
    write(root / "reports" / "app" / "helpers.py", HELPER)
    write(root / "reports" / "app" / "reports.py", REPORTS)
    return root


def check(cli: CliRunner, root: Path, *extra: str) -> tuple[int, str]:
    run = cli("--check", ".", "--format", "json", "--jobs", "1", *extra, cwd=root)
    return run.code, run.out


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files each run really analysed (not taken from the cache), in order."""
    seen: list[str] = []

    def run_tasks_spy(tasks, jobs, index):  # type: ignore[no-untyped-def]
        seen.extend(Path(task.path).name for task in tasks)
        return real_run_tasks(tasks, jobs, index)

    from fastapi_patterns.checker import run as run_module

    real_run_tasks = run_module.run_tasks
    monkeypatch.setattr(run_module, "run_tasks", run_tasks_spy)
    return seen


def test_cached_uncached_and_parallel_runs_print_the_same(cli: CliRunner, tree: Path) -> None:
    write(tree / "reports" / "app" / "helpers.py", BLOCKING_HELPER)
    uncached = check(cli, tree, "--no-cache")
    assert uncached[0] == 1 and LOAD_BLOCKS in uncached[1] and '"FAP201"' in uncached[1]
    assert check(cli, tree) == uncached  # cold cache
    assert check(cli, tree) == uncached  # warm cache
    assert cli("--check", ".", "--format", "json", "--jobs", "2", "--no-cache", cwd=tree).out == uncached[1]
    assert cli("--check", ".", "--format", "json", "--jobs", "2", cwd=tree).out == uncached[1]
    assert not (tree / ".fastapi-patterns-cache").exists()  # the tests' cache lives elsewhere


def test_a_warm_run_analyses_nothing_and_an_edit_reanalyses_what_it_touches(
        cli: CliRunner, tree: Path, analysed: list[str]) -> None:
    check(cli, tree)
    assert "reports.py" in analysed
    analysed.clear()
    check(cli, tree)
    assert analysed == []
    write(tree / "shop" / "app" / "schemas.py", (tree / "shop" / "app" / "schemas.py").read_text() + "\n")
    analysed.clear()
    after_edit = check(cli, tree)
    assert "schemas.py" in analysed and "helpers.py" not in analysed  # a result of the file alone is kept
    assert after_edit == check(cli, tree, "--no-cache")


def test_a_finding_that_depends_on_another_module_follows_its_edits(cli: CliRunner, tree: Path) -> None:
    assert LOAD_BLOCKS not in check(cli, tree)[1]
    write(tree / "reports" / "app" / "helpers.py", BLOCKING_HELPER)
    edited = check(cli, tree)
    assert LOAD_BLOCKS in edited[1] and edited == check(cli, tree, "--no-cache")
    write(tree / "reports" / "app" / "helpers.py", HELPER)
    assert LOAD_BLOCKS not in check(cli, tree)[1]


def test_a_configuration_change_is_not_answered_from_the_cache(cli: CliRunner, tree: Path) -> None:
    check(cli, tree)
    settings = tree / "shop" / "pyproject.toml"
    write(settings, settings.read_text(encoding="utf-8") + "ignore = ['FAP201']\n")
    reconfigured = check(cli, tree)
    assert '"FAP201"' not in reconfigured[1] and reconfigured == check(cli, tree, "--no-cache")


def test_a_damaged_cache_is_ignored_and_replaced(cli: CliRunner, tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = check(cli, tree, "--cache-dir", str(cache))
    for name in ("results.pickle", "summaries.pickle"):
        (cache / name).write_bytes(b"\x80\x04not a pickle")
    assert check(cli, tree, "--cache-dir", str(cache)) == expected
    assert check(cli, tree, "--cache-dir", str(cache)) == expected
    assert (cache / ".gitignore").read_text().strip().endswith("*")


def test_no_cache_writes_nothing_and_the_default_lives_in_the_working_directory(
        cli: CliRunner, tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FASTAPI_PATTERNS_CACHE_DIR")
    check(cli, tree, "--no-cache")
    assert not (tree / ".fastapi-patterns-cache").exists()
    check(cli, tree)
    assert (tree / ".fastapi-patterns-cache" / "results.pickle").is_file()


def test_a_cache_that_cannot_be_written_costs_a_note_not_the_run(cli: CliRunner, tree: Path, tmp_path: Path) -> None:
    blocker = write(tmp_path / "not-a-directory", "")
    run = cli("--check", ".", "--format", "json", "--cache-dir", str(blocker), cwd=tree)
    assert (run.code, run.out) == check(cli, tree, "--no-cache")
    assert "cache not written" in run.err and "Traceback" not in run.err


def test_files_named_one_by_one_are_not_the_whole_project(cli: CliRunner, tree: Path) -> None:
    """A router included from a module that was not named is no "router nothing includes" (FAP410)."""
    write(tree / "reports" / "app" / "main.py", "from fastapi import FastAPI\n\nfrom app import reports\n\n"
          "app = FastAPI()\napp.include_router(reports.router)\n")
    write(tree / "reports" / "app" / "admin.py", "from fastapi import FastAPI\n\nadmin = FastAPI()\n")
    assert '"FAP410"' not in check(cli, tree)[1]
    named = cli("--check", "reports/app/reports.py", "reports/app/admin.py", "--format", "json", "--select",
                "FAP410", cwd=tree)
    assert named.code == 0 and '"FAP410"' not in named.out
    (tree / "reports" / "app" / "main.py").unlink()
    assert '"FAP410"' in check(cli, tree, "--select", "FAP410")[1]
