"""Which files are checked, and how awkward files are handled: one clear line each, and the run goes on."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from cli_helpers import CLEAN, ROUTE_WITHOUT_SLASH, CliRunner, Run, write

FINDING = "FAP214 [*] Route path `items`"


def checked_files(cli: CliRunner, root: Path, *argv: str) -> list[str]:
    """The files that produced a FAP214 finding (every sample file here has exactly one)."""
    result = cli("--check", *argv, "--select", "FAP214", "--quiet", cwd=root)
    return [line.split(":")[0] for line in result.out.splitlines()]


def test_gitignore_files_are_honoured_at_every_level(cli: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "generated/\n*_pb2.py\n")
    write(tmp_path / "app" / "main.py", ROUTE_WITHOUT_SLASH)
    write(tmp_path / "app" / "api_pb2.py", ROUTE_WITHOUT_SLASH)
    write(tmp_path / "generated" / "client.py", ROUTE_WITHOUT_SLASH)
    write(tmp_path / "app" / "legacy" / ".gitignore", "*.py\n!keep.py\n")
    write(tmp_path / "app" / "legacy" / "old.py", ROUTE_WITHOUT_SLASH)
    write(tmp_path / "app" / "legacy" / "keep.py", ROUTE_WITHOUT_SLASH)
    assert checked_files(cli, tmp_path) == ["app/legacy/keep.py", "app/main.py"]


def test_gitignore_above_the_walked_directory_applies_inside_a_repository(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".gitignore", "snapshots/\n")
    write(tmp_path / "src" / "app.py", ROUTE_WITHOUT_SLASH)
    write(tmp_path / "src" / "snapshots" / "old.py", ROUTE_WITHOUT_SLASH)
    assert checked_files(cli, tmp_path, "src") == ["src/app.py"]


def test_default_excludes_and_explicit_files(cli: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "scratch.py\n")
    write(tmp_path / "app.py", ROUTE_WITHOUT_SLASH)
    write(tmp_path / "scratch.py", ROUTE_WITHOUT_SLASH)
    for excluded in (".venv/lib/x.py", "node_modules/pkg/x.py", "build/lib/x.py", "__pycache__/x.py"):
        write(tmp_path / excluded, ROUTE_WITHOUT_SLASH)
    write(tmp_path / "notes.txt", ROUTE_WITHOUT_SLASH)  # not a .py file: not picked up by the walk
    assert checked_files(cli, tmp_path) == ["app.py"]
    assert checked_files(cli, tmp_path, "scratch.py", "notes.txt") == ["notes.txt", "scratch.py"]
    assert checked_files(cli, tmp_path, "scratch.py", "--force-exclude") == []
    assert checked_files(cli, tmp_path, ".venv/lib/x.py", "--force-exclude") == []


def test_an_excluded_directory_named_explicitly_is_checked(cli: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "generated/\n")
    write(tmp_path / "pyproject.toml", '[tool.fastapi-patterns]\nexclude = ["migrations"]\n')
    write(tmp_path / "generated" / "client.py", ROUTE_WITHOUT_SLASH)
    write(tmp_path / "migrations" / "0001.py", ROUTE_WITHOUT_SLASH)
    assert checked_files(cli, tmp_path) == []
    assert checked_files(cli, tmp_path, "generated", "migrations") == ["generated/client.py", "migrations/0001.py"]
    assert checked_files(cli, tmp_path, "generated", "migrations", "--force-exclude") == []


def test_a_file_reached_twice_is_checked_once(cli: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "app" / "main.py", ROUTE_WITHOUT_SLASH)
    assert checked_files(cli, tmp_path, "app", "app/main.py", ".") == ["app/main.py"]


def test_symlinks_never_lead_out_of_the_root(cli: CliRunner, tmp_path: Path) -> None:
    outside = write(tmp_path / "outside" / "secret.py", ROUTE_WITHOUT_SLASH)
    root = tmp_path / "project"
    write(root / "real.py", ROUTE_WITHOUT_SLASH)
    (root / "outside_link.py").symlink_to(outside)
    (root / "outside_dir").symlink_to(outside.parent, target_is_directory=True)
    (root / "alias.py").symlink_to(root / "real.py")
    assert checked_files(cli, root) == ["real.py"]  # one file reached twice, checked once; nothing outside


def test_broken_symlink_gives_one_line(cli: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "app.py", CLEAN)
    (tmp_path / "gone.py").symlink_to(tmp_path / "missing.py")
    result = cli("--check", cwd=tmp_path)
    assert result.err == "gone.py: skipped: broken symbolic link\n"
    assert result.code == 2
    assert "All checks passed." in result.out  # the other file was still checked


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"x = '\xff\xfe caf\xe9'\n", "skipped: not UTF-8 text (invalid byte 0xff on line 1)"),
        (b"import fastapi\x00\x01\x02", "skipped: binary file (contains NUL bytes)"),
    ],
)
def test_undecodable_files_give_one_line_and_the_run_goes_on(cli: CliRunner, tmp_path: Path, content: bytes,
                                                              reason: str) -> None:
    (tmp_path / "bad.py").write_bytes(content)
    write(tmp_path / "good.py", ROUTE_WITHOUT_SLASH)
    result = cli("--check", "--select", "FAP214", cwd=tmp_path)
    assert result.err == f"bad.py: {reason}\n"
    assert result.out.startswith("good.py:6:10: " + FINDING)
    assert result.code == 2  # exit 2 wins: not everything could be checked


def test_file_larger_than_max_file_size_is_skipped(cli: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.fastapi-patterns]\nmax-file-size = 100\n")
    write(tmp_path / "big.py", ROUTE_WITHOUT_SLASH * 3)
    result = cli("--check", cwd=tmp_path)
    assert result.code == 2
    assert result.err.startswith("big.py: skipped: larger than max-file-size (")


def test_read_error_gives_one_line_even_for_root(cli: CliRunner, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable file gives one line: opening fails with EACCES whoever runs the test (root reads mode 000)."""
    from fastapi_patterns.checker import source

    write(tmp_path / "locked.py", ROUTE_WITHOUT_SLASH)
    write(tmp_path / "open.py", ROUTE_WITHOUT_SLASH)

    def guarded_open(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("locked.py"):
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(source, "open", guarded_open, raising=False)
    result = cli("--check", "--select", "FAP214", "--jobs", "1", cwd=tmp_path)
    assert (result.code, result.err) == (2, "locked.py: skipped: permission denied\n")
    assert result.out.startswith("open.py:6:10: " + FINDING)


def test_directory_named_like_a_python_file_is_walked(cli: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "weird.py" / "inner.py", ROUTE_WITHOUT_SLASH)
    result = cli("--check", "--select", "FAP214", cwd=tmp_path)
    assert result.err == ""
    assert result.out.startswith("weird.py/inner.py:6:10: " + FINDING)
    assert checked_files(cli, tmp_path, "weird.py") == ["weird.py/inner.py"]


def test_fifo_is_never_opened(cli: CliRunner, tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    os.mkfifo(tmp_path / "pipe.py")
    write(tmp_path / "app.py", CLEAN)
    assert cli("--check", cwd=tmp_path) == Run(0, "All checks passed.\n", "")  # the walk leaves it alone
    named = cli("--check", "pipe.py", cwd=tmp_path)
    assert (named.code, named.err) == (2, "pipe.py: skipped: not a regular file\n")


def test_empty_file_is_clean(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_bytes(b"")
    assert cli("--check", cwd=tmp_path) == Run(0, "All checks passed.\n", "")


def test_byte_order_mark_and_crlf_keep_positions(cli: CliRunner, tmp_path: Path) -> None:
    source = ROUTE_WITHOUT_SLASH.replace("\n", "\r\n")
    (tmp_path / "bom.py").write_bytes(codecs.BOM_UTF8 + ROUTE_WITHOUT_SLASH.encode())
    (tmp_path / "crlf.py").write_bytes(source.encode())
    result = cli("--check", "--select", "FAP214", "--quiet", cwd=tmp_path)
    assert result.err == ""
    assert [line.split(" FAP214")[0] for line in result.out.splitlines()] == ["bom.py:6:10:", "crlf.py:6:10:"]


def test_coding_declaration_is_honoured(cli: CliRunner, tmp_path: Path) -> None:
    text = "# -*- coding: latin-1 -*-\n" + ROUTE_WITHOUT_SLASH.replace("[]\n", "['caf\xe9']\n")
    (tmp_path / "legacy.py").write_bytes(text.encode("latin-1"))
    result = cli("--check", "--select", "FAP214", cwd=tmp_path)
    assert result.err == ""
    assert result.out.startswith("legacy.py:7:10: " + FINDING)


def test_no_python_files_is_said_and_passes(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("--check", cwd=tmp_path)
    assert result.code == 0
    assert result.err == "fastapi-patterns: no Python files found under the given paths\n"
