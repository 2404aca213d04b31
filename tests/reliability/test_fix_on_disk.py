"""`--fix` on disk: writes are atomic and keep permissions; a file that changed or vanished since it was read is
left alone and reported; a fix that would break a file is never written; Ctrl-C in the middle of a run leaves
every file either as it was or fully fixed, with no temporary file behind, in one process or with workers.

Complements `tests/cli/test_cli_fix.py` (edits meanwhile, line endings, byte order marks, symbolic links).
"""

from __future__ import annotations

import ast
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Optional

import pytest

from process_environment import HERE, server_environment
from fastapi_patterns.checker import work, writing
from fastapi_patterns.engine.rule import Rule, RuleContext
from fastapi_patterns.engine.types import FixSafety

FIXABLE = '''\
import asyncio

from fastapi import Depends, FastAPI

app = FastAPI()


def get_db() -> dict[str, str]:
    return {}


@app.get("items")
async def items(db: dict[str, str] = Depends(get_db())) -> dict[str, str]:
    loop = asyncio.get_event_loop()
    await asyncio.sleep(0)
    return {"loop": str(loop)}
'''
WAIT_LIMIT = 60.0  # only guards against a hang


def temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*.tmp"))


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755, 0o444])
def test_a_fixed_file_is_replaced_whole_and_keeps_its_mode(cli: Any, tmp_path: Path, mode: int) -> None:
    target = tmp_path / "app.py"
    target.write_text(FIXABLE, encoding="utf-8")
    target.chmod(mode)
    inode = target.stat().st_ino
    result = cli("--check", "--fix", "--no-cache", cwd=tmp_path)
    assert (result.code, result.err) == (0, "")
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.stat().st_ino != inode  # a new file renamed over the old one, not the old one rewritten
    assert '@app.get("/items")' in target.read_text(encoding="utf-8")
    assert temporary_files(tmp_path) == []


def test_a_file_deleted_before_its_write_is_not_recreated(cli: Any, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "app.py"
    target.write_text(FIXABLE, encoding="utf-8")
    real = getattr(work, "apply_fixes")

    def apply_then_delete(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        target.unlink()
        return outcome

    monkeypatch.setattr(work, "apply_fixes", apply_then_delete)
    result = cli("--check", "--fix", "--jobs", "1", "--no-cache", cwd=tmp_path)
    assert result.code == 2
    assert result.err.startswith("app.py: cannot read it again before writing") and result.err.count("\n") == 1
    assert not target.exists() and temporary_files(tmp_path) == []


class BreakingFix(Rule):
    """Offers a safe fix that leaves the file unparsable, to prove such a fix is never written."""

    code = "FAP992"
    name = "breaking-fix"
    message = "a finding whose fix breaks the file"
    node_types = (ast.Return,)
    fix_safety = FixSafety.SAFE

    def visit(self, node: ast.Return, ctx: RuleContext) -> None:
        ctx.report(node, lambda fixer: [fixer.replace(node, "return (")])


def test_a_fix_that_breaks_the_file_is_dropped_and_the_others_written(cli: Any, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi_patterns.engine import runner
    from fastapi_patterns.rules import ALL_RULES

    monkeypatch.setattr(runner, "default_rules", lambda: (*ALL_RULES, BreakingFix()))
    target = tmp_path / "app.py"
    target.write_text(FIXABLE, encoding="utf-8")
    result = cli("--check", "--fix", "--jobs", "1", "--no-cache", cwd=tmp_path)
    fixed = target.read_text(encoding="utf-8")
    compile(fixed, "app.py", "exec", dont_inherit=True)
    assert '@app.get("/items")' in fixed and "return (" not in fixed
    assert "skipped a fix that would not parse" in result.err and "Traceback" not in result.err


def test_python_warnings_about_the_code_are_not_printed(tmp_path: Path) -> None:
    """CPython warns about `1()` and `x is "a"` when compiling; checking that a fix compiles must stay quiet.
    (In a separate process: pytest would catch the warnings before they reach stderr.)"""
    target = tmp_path / "app.py"
    target.write_text(FIXABLE + 'odd = 1()\nif odd is "a":\n    pass\n', encoding="utf-8")
    for argv in (("--diff",), ("--format", "json"), ("--fix",)):
        result = subprocess.run([sys.executable, "-m", "fastapi_patterns", "--check", *argv, "--no-cache", "."],
                                cwd=tmp_path, env=server_environment(), capture_output=True, text=True,
                                timeout=WAIT_LIMIT)
        assert "Warning" not in result.stderr, (argv, result.stderr)
    assert '@app.get("/items")' in target.read_text(encoding="utf-8")


def test_text_that_does_not_parse_is_never_written(tmp_path: Path) -> None:
    target = tmp_path / "app.py"
    target.write_bytes(FIXABLE.encode())
    with pytest.raises(writing.WriteRefused, match="would not parse"):
        writing.write_if_unchanged(str(target), FIXABLE.encode(), b"def broken(:\n", "def broken(:\n")
    assert target.read_bytes() == FIXABLE.encode() and temporary_files(tmp_path) == []


def test_an_interrupted_write_keeps_the_original_and_removes_its_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "app.py"
    target.write_bytes(FIXABLE.encode())

    def interrupted(source: Any, destination: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    fixed = FIXABLE.replace('"items"', '"/items"')
    with pytest.raises(KeyboardInterrupt):
        writing.write_if_unchanged(str(target), FIXABLE.encode(), fixed.encode(), fixed)
    assert target.read_bytes() == FIXABLE.encode() and temporary_files(tmp_path) == []


# -- Ctrl-C in the middle of a real run ---------------------------------------------------------------------

FILES = 24
PAUSE_AT = 3  # each process pauses inside its third write


def make_tree(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    for index in range(FILES):
        (folder / f"module_{index:02d}.py").write_text(FIXABLE.replace("items", f"items{index}"), encoding="utf-8")
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def fixed_versions(cli: Any, tree: Path, copy: Path) -> dict[str, bytes]:
    shutil.copytree(tree, copy)
    assert cli("--check", "--fix", "--jobs", "1", "--no-cache", cwd=copy).code == 0
    return {p.name: p.read_bytes() for p in sorted(copy.iterdir())}


def wait_for(path: Path, process: "subprocess.Popen[bytes]") -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while not path.exists():
        assert process.poll() is None, "the run ended before it reached the paused write"
        assert time.monotonic() < deadline, "the run never reached the paused write"
        time.sleep(0.01)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_mid_run_leaves_each_file_original_or_fully_fixed(cli: Any, tmp_path: Path, jobs: str) -> None:
    tree = tmp_path / "tree"
    originals = make_tree(tree)
    fixed = fixed_versions(cli, tree, tmp_path / "fixed")
    assert all(fixed[name] != originals[name] for name in originals)
    marker = tmp_path / "paused"
    environment = server_environment()
    environment["PYTHONPATH"] = os.pathsep.join([str(HERE / "pausing_site"), environment["PYTHONPATH"]])
    environment["FASTAPI_PATTERNS_PAUSE_WRITE"] = f"{PAUSE_AT}:{marker}"
    process = subprocess.Popen(
        [sys.executable, "-m", "fastapi_patterns", "--check", "--fix", "--no-cache", "--jobs", jobs, "."],
        cwd=tree, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, which Ctrl-C in a terminal signals as a whole
    )
    try:
        wait_for(marker, process)
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=WAIT_LIMIT)
    finally:
        _end(process)
    assert process.returncode == 130
    assert err.decode().splitlines()[-1] == "fastapi-patterns: interrupted" and b"Traceback" not in err
    now = {p.name: p.read_bytes() for p in sorted(tree.iterdir())}
    assert now.keys() == originals.keys()
    assert all(now[name] in (originals[name], fixed[name]) for name in originals)
    done = sum(now[name] == fixed[name] for name in originals)
    workers = int(jobs)
    assert PAUSE_AT - 1 <= done <= workers * PAUSE_AT  # the run stopped: it did not go on fixing the rest
    assert temporary_files(tree) == []


def _end(process: "subprocess.Popen[bytes]") -> Optional[int]:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=WAIT_LIMIT)
    return process.returncode
