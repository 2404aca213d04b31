"""`--fix`, `--unsafe-fixes` and `--diff`: what gets written, what never does, and when a write is refused."""

from __future__ import annotations

import ast
import codecs
import os
import stat
from pathlib import Path

import pytest
from cli_helpers import CLEAN, ROUTE_WITHOUT_SLASH, CliRunner, write

from fastapi_patterns.checker import work

FIXED = ROUTE_WITHOUT_SLASH.replace('"items"', '"/items"')
# FAP201's fix is unsafe (the response code changes); FAP214's is safe.
POST_WITHOUT_STATUS = (
    "from fastapi import FastAPI\n"
    "\n"
    "app = FastAPI()\n"
    "\n"
    "\n"
    "@app.post(\"/orders\")\n"
    "def create_order(name: str) -> dict[str, str]:\n"
    "    return {\"name\": name}\n"
)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_fix_writes_exactly_the_fixed_file(cli: CliRunner, tmp_path: Path) -> None:
    target = write(tmp_path / "app.py", ROUTE_WITHOUT_SLASH)
    result = cli("--check", "--select", "FAP214", "--fix", cwd=tmp_path)
    assert (result.code, result.err) == (0, "")
    assert result.out == "Fixed 1 problem.\nAll checks passed.\n"
    assert target.read_text(encoding="utf-8") == FIXED
    again = cli("--check", "--select", "FAP214", "--fix", cwd=tmp_path)
    assert (again.code, again.out) == (0, "All checks passed.\n")
    assert target.read_text(encoding="utf-8") == FIXED


def test_fix_on_the_example_app_converges(cli: CliRunner, shop_copy: Path) -> None:
    before = snapshot(shop_copy)
    first = cli("--check", "--fix", "--jobs", "1", cwd=shop_copy)
    assert first.err == ""
    assert any(line.startswith("Fixed ") for line in first.out.splitlines())
    after = snapshot(shop_copy)
    changed = sorted(name for name in before if before[name] != after[name])
    assert "app/routers/users.py" in changed and "app/main.py" in changed
    assert "migrations/0001_initial.py" not in changed  # excluded by the example's configuration
    for name in changed:
        ast.parse(after[name].decode("utf-8"))
    users = after["app/routers/users.py"].decode("utf-8")
    assert 'Depends(get_store)' in users and 'Depends(get_store())' not in users
    assert '@router.get("/me")' in users
    assert '@app.get("/health")' in after["app/main.py"].decode("utf-8")
    second = cli("--check", "--fix", "--jobs", "1", cwd=shop_copy)
    assert not any(line.startswith("Fixed ") for line in second.out.splitlines()), second.out
    assert snapshot(shop_copy) == after  # idempotent: nothing left to change
    assert "[*]" not in second.out  # no safe fix remains


def test_unsafe_fixes_need_the_flag(cli: CliRunner, tmp_path: Path) -> None:
    target = write(tmp_path / "orders.py", POST_WITHOUT_STATUS)
    shown = cli("--check", "--select", "FAP201", cwd=tmp_path)
    assert "FAP201 [*]" not in shown.out
    assert "1 more fix can be enabled with --unsafe-fixes" in shown.out
    offered = cli("--check", "--select", "FAP201", "--unsafe-fixes", cwd=tmp_path)
    assert "FAP201 [*]" in offered.out
    assert "(1 fixable with --fix --unsafe-fixes)" in offered.out
    assert cli("--check", "--select", "FAP201", "--fix", cwd=tmp_path).out.startswith("orders.py:6:")
    assert target.read_text(encoding="utf-8") == POST_WITHOUT_STATUS
    fixed = cli("--check", "--select", "FAP201", "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert (fixed.code, fixed.out) == (0, "Fixed 1 problem.\nAll checks passed.\n")
    assert "status_code=status.HTTP_201_CREATED" in target.read_text(encoding="utf-8")


def test_diff_prints_and_writes_nothing(cli: CliRunner, shop_copy: Path) -> None:
    before = snapshot(shop_copy)
    result = cli("--check", "--diff", "--jobs", "1", cwd=shop_copy)
    assert result.code == 1
    assert snapshot(shop_copy) == before
    assert "--- a/app/main.py\n+++ b/app/main.py\n" in result.out
    assert '-@app.get("health")\n+@app.get("/health")\n' in result.out
    assert result.err.startswith("Would fix ")


def test_diff_with_nothing_to_fix_exits_zero(cli: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "app.py", CLEAN)
    result = cli("--check", "--diff", cwd=tmp_path)
    assert (result.code, result.out, result.err) == (0, "", "No fixes to apply.\n")


def test_diff_matches_what_fix_writes(cli: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "app.py", ROUTE_WITHOUT_SLASH)
    diff = cli("--check", "--select", "FAP214", "--diff", cwd=tmp_path).out
    assert diff == (
        "--- a/app.py\n+++ b/app.py\n@@ -3,6 +3,6 @@\n app = FastAPI()\n \n \n"
        '-@app.get("items")\n+@app.get("/items")\n def list_items() -> list[str]:\n     return []\n'
    )


def test_file_changed_between_read_and_write_is_left_alone(cli: CliRunner, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = write(tmp_path / "app.py", ROUTE_WITHOUT_SLASH)
    edited_meanwhile = ROUTE_WITHOUT_SLASH + "# saved by the editor meanwhile\n"
    real_apply_fixes = work.apply_fixes

    def apply_while_someone_saves(*args: object, **kwargs: object) -> object:
        outcome = real_apply_fixes(*args, **kwargs)  # type: ignore[arg-type]
        target.write_text(edited_meanwhile, encoding="utf-8")
        return outcome

    monkeypatch.setattr(work, "apply_fixes", apply_while_someone_saves)
    result = cli("--check", "--select", "FAP214", "--fix", "--jobs", "1", cwd=tmp_path)
    assert result.code == 2
    assert result.err == "app.py: changed on disk since it was read; not fixed\n"
    assert target.read_text(encoding="utf-8") == edited_meanwhile
    assert result.out.startswith("app.py:6:10: FAP214")  # the finding is still reported
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left behind


def test_fix_keeps_permissions_bom_and_line_endings(cli: CliRunner, tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.py"
    crlf.write_bytes(ROUTE_WITHOUT_SLASH.replace("\n", "\r\n").encode())
    crlf.chmod(0o640)
    bom = tmp_path / "bom.py"
    bom.write_bytes(codecs.BOM_UTF8 + ROUTE_WITHOUT_SLASH.encode())
    result = cli("--check", "--select", "FAP214", "--fix", cwd=tmp_path)
    assert (result.code, result.err) == (0, "")
    assert crlf.read_bytes() == FIXED.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(os.stat(crlf).st_mode) == 0o640
    assert bom.read_bytes() == codecs.BOM_UTF8 + FIXED.encode()


def test_fix_through_a_symlink_keeps_the_link(cli: CliRunner, tmp_path: Path) -> None:
    real = write(tmp_path / "real.py", ROUTE_WITHOUT_SLASH)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    result = cli("--check", "link.py", "--select", "FAP214", "--fix", cwd=tmp_path)
    assert result.code == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == FIXED


def test_fix_never_touches_a_file_that_does_not_parse(cli: CliRunner, tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.py", ROUTE_WITHOUT_SLASH + "def oops(:\n")
    result = cli("--check", "--fix", cwd=tmp_path)
    assert result.code == 1
    assert "broken.py:9:10: FAP001" in result.out
    assert broken.read_text(encoding="utf-8") == ROUTE_WITHOUT_SLASH + "def oops(:\n"
