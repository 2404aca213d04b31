"""A real editor nobody on the team wrote: headless Neovim receives our diagnostics and applies a quick fix.

The file has an emoji and accented text before the finding on the same line, so a wrong position encoding shows
up as a wrong column. Neovim is installed by `.ci/run`; elsewhere the test is skipped unless
FASTAPI_PATTERNS_REQUIRE_EDITORS is set, in which case a missing editor fails it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
SOURCE = (
    "import asyncio\n"
    "\n"
    "from fastapi import FastAPI\n"
    "\n"
    "app = FastAPI()\n"
    "\n"
    "\n"
    '@app.get("/menu")\n'
    "async def menu() -> dict[str, str]:\n"
    '    note = "café ☕ 🙂"; loop = asyncio.get_event_loop()\n'
    "    await asyncio.sleep(0)\n"
    '    return {"note": note, "loop": str(loop)}\n'
)


def _nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        if os.environ.get("FASTAPI_PATTERNS_REQUIRE_EDITORS"):
            pytest.fail("nvim is required here (FASTAPI_PATTERNS_REQUIRE_EDITORS is set) but not installed")
        pytest.skip("nvim is not installed (apt-get install neovim)")
    return found


def test_neovim_receives_diagnostics_at_the_right_column_and_applies_a_fix(tmp_path: Path) -> None:
    nvim = _nvim()
    target = tmp_path / "main.py"
    target.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "out.json"
    env = {
        **os.environ,
        "FP_OUT": str(out), "FP_FILE": str(target), "FP_CODE": "FAP104", "FP_PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "server"), os.environ.get("PYTHONPATH", "")]),
        "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    completed = subprocess.run(
        [nvim, "--headless", "--clean", "-c", f"luafile {HERE / 'nvim_lsp_probe.lua'}"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=90,
    )
    assert out.exists(), f"nvim wrote nothing: {completed.stderr[-2000:]}"
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result.get("error") is None, result
    line = SOURCE.splitlines()[9]
    start_cp = line.index("asyncio.get_event_loop()")
    prefix = line[:start_cp]
    expected_character = {
        "utf-16": len(prefix.encode("utf-16-le")) // 2,
        "utf-8": len(prefix.encode("utf-8")),
        "utf-32": len(prefix),
    }[result["encoding"]]
    (diagnostic,) = [d for d in result["diagnostics"] if d["code"] == "FAP104"]
    assert diagnostic["range"]["start"] == {"line": 9, "character": expected_character}
    assert diagnostic["source"] == "fastapi-patterns"
    assert any("noqa" in title.lower() or "disable" in title.lower() for title in result["actions"])
    assert "asyncio.get_running_loop()" in result["text_after"]
    assert "get_event_loop" not in result["text_after"]
    assert completed.returncode == 0, completed.stderr[-2000:]
