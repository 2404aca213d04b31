"""Awkward files through `--check`: each one gives at most one clear line on stderr (never a traceback), the
other files are still checked, and the exit code follows the design: 2 when a file could not be checked, else
1 for findings. A file that Python itself rejects is a FAP001 finding, not an error.

Unreadable files as root: root reads mode 000, so that case is skipped when running as root; the same line is
proven for everyone by `tests/cli/test_cli_files.py::test_read_error_gives_one_line_even_for_root`.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import Any, Callable

import pytest

ROUTE = ('from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("items")\n'
         'def list_items() -> list[str]:\n    return []\n')
GOOD_FINDING = "good.py:6:10: FAP214"
HEAD = "from fastapi import FastAPI\nimport time\n\napp = FastAPI()\n"


def deep(kind: str, depth: int = 500) -> str:
    """A module nested `depth` levels deep in one of several ways, with a route that has findings."""
    bodies = {
        "parentheses": "x = " + "(" * depth + "1" + ")" * depth,
        "blocks": "".join(" " * level + "if x:\n" for level in range(depth)) + " " * depth + "pass",
        "operators": "x = " + " + ".join(["a"] * depth),
        "attributes": "x = a" + ".b" * depth,
        "calls": "x = f" + "()" * depth,
        "lambdas": "x = " + "lambda: " * depth + "0",
        "conditionals": "x = " + "a if b else " * depth + "c",
        "unary": "x = " + "-" * depth + "1",
        "subscripts": "x = a" + "[0]" * depth,
    }
    return (HEAD + '\n\n@app.get("deep")\nasync def handler() -> int:\n    time.sleep(1)\n    ' + bodies[kind]
            .replace("\n", "\n    ") + "\n    return 1\n")


def make_symlink_loop(folder: Path) -> None:
    (folder / "bad.py").symlink_to(folder / "bad.py")


def make_unreadable(folder: Path) -> None:
    target = folder / "bad.py"
    target.write_text(ROUTE, encoding="utf-8")
    target.chmod(0)


Maker = Callable[[Path], Any]
# (name, how to make `bad.py`, its one stderr line or None, whether it prints a finding for bad.py)
CASES: list[tuple[str, Maker, Any, bool]] = [
    ("empty", lambda d: (d / "bad.py").write_bytes(b""), None, False),
    ("binary", lambda d: (d / "bad.py").write_bytes(bytes(range(256)) * 4), "skipped: binary file (contains NUL bytes)",
     False),
    ("not UTF-8", lambda d: (d / "bad.py").write_bytes("x = 'café'\n".encode("latin-1")),
     "skipped: not UTF-8 text (invalid byte 0xe9 on line 1)", False),
    ("unknown coding", lambda d: (d / "bad.py").write_bytes(b"# -*- coding: klingon -*-\nx = 1\n"),
     "skipped: unknown encoding `klingon` in its coding declaration", False),
    ("UTF-8 with BOM", lambda d: (d / "bad.py").write_bytes(codecs.BOM_UTF8 + ROUTE.encode()), None, True),
    ("CRLF", lambda d: (d / "bad.py").write_bytes(ROUTE.replace("\n", "\r\n").encode()), None, True),
    ("CR only", lambda d: (d / "bad.py").write_bytes(ROUTE.replace("\n", "\r").encode()), None, True),
    ("mixed tabs", lambda d: (d / "bad.py").write_text(HEAD + "if app:\n\tx = 1\n        y = 2\n"), None, True),
    ("100,000 lines", lambda d: (d / "bad.py").write_text(
        HEAD + "".join(f"value_{n} = {n}\n" for n in range(100_000)) + ROUTE.split("\n\n\n")[1]), None, True),
    ("a directory named .py", lambda d: (d / "bad.py").mkdir(), None, False),
    ("broken symlink", lambda d: (d / "bad.py").symlink_to(d / "missing.py"), "skipped: broken symbolic link", False),
    ("symlink loop", make_symlink_loop, "skipped: symbolic link loop", False),
    ("unreadable", make_unreadable, "skipped: permission denied", False),
    *[(f"nested 500 deep: {kind}", lambda d, k=kind: (d / "bad.py").write_text(deep(k)), None, True)
      for kind in ("parentheses", "blocks", "operators", "attributes", "calls", "lambdas", "conditionals",
                   "unary", "subscripts")],
]


def prepare(folder: Path, make: Maker) -> None:
    (folder / "good.py").write_text(ROUTE, encoding="utf-8")
    make(folder)


SLOW = ("100,000 lines",)  # checked once (named), not once per way of reaching it


@pytest.mark.parametrize(("how", "make", "line", "reported"), [
    pytest.param(how, *case[1:], id=f"{how}-{case[0]}")
    for how in ("named", "walked") for case in CASES if not (how == "walked" and case[0] in SLOW)
])
def test_one_line_at_most_and_the_run_goes_on(cli: Any, tmp_path: Path, how: str, make: Maker, line: Any,
                                              reported: bool) -> None:
    if make is make_unreadable and os.geteuid() == 0:
        pytest.skip("running as root, which reads files of mode 000 (see the module docstring)")
    prepare(tmp_path, make)
    paths = ("bad.py", "good.py") if how == "named" else (".",)
    result = cli("--check", *paths, "--jobs", "1", "--exit-zero", cwd=tmp_path)
    assert "Traceback" not in result.err + result.out
    if line is None:
        assert result.err == ""
    else:
        assert result.err == f"bad.py: {line}\n"
    assert GOOD_FINDING in result.out  # the other file was checked all the same
    assert ("bad.py:" in result.out) == reported
    assert result.code == (2 if line is not None else 0)


@pytest.mark.parametrize("kind", ["operators", "attributes", "lambdas", "conditionals", "unary", "subscripts"])
def test_deep_nesting_is_analysed_and_fixed_without_recursion_errors(cli: Any, tmp_path: Path, kind: str) -> None:
    """500 levels that Python accepts: the rules still find the route's problems, and every fix still applies."""
    target = tmp_path / "bad.py"
    target.write_text(deep(kind), encoding="utf-8")
    checked = cli("--check", "--jobs", "1", cwd=tmp_path)
    assert (checked.code, checked.err) == (1, "")
    assert "FAP214" in checked.out and "FAP101" in checked.out
    fixed = cli("--check", "--fix", "--unsafe-fixes", "--jobs", "1", cwd=tmp_path)
    assert fixed.err == "" and "Traceback" not in fixed.out
    text = target.read_text(encoding="utf-8")
    assert '@app.get("/deep")' in text
    compile(text, "bad.py", "exec", dont_inherit=True)


def test_all_awkward_files_in_one_tree_with_worker_processes(cli: Any, tmp_path: Path) -> None:
    """Every case at once, checked by a process pool: one line per unusable file, every good file reported."""
    expected_lines = []
    for index, (name, make, line, _) in enumerate(CASES):
        if (make is make_unreadable and os.geteuid() == 0) or name in SLOW:
            continue
        folder = tmp_path / f"case_{index:02d}"
        folder.mkdir()
        prepare(folder, make)
        if line is not None:
            expected_lines.append(f"case_{index:02d}/bad.py: {line}")
    result = cli("--check", "--jobs", "2", "--exit-zero", cwd=tmp_path)
    assert sorted(result.err.splitlines()) == sorted(expected_lines)
    good = [line for line in result.out.splitlines() if "/good.py:6:10: FAP214" in line]
    assert len(good) == len(list(tmp_path.iterdir()))
    assert result.code == 2
