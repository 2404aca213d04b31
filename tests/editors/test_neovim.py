"""A real editor nobody on the team wrote: headless Neovim receives our diagnostics and applies a quick fix.

The file has an emoji and accented text before the finding on the same line, so a wrong position encoding shows
up as a wrong column. Neovim is installed by `.ci/run`; elsewhere the test is skipped unless
FASTAPI_PATTERNS_REQUIRE_EDITORS is set, in which case a missing editor fails it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from editor_support import FLAGGED_LINE, FLAGGED_PREFIX, SOURCE, child_environment, editor

HERE = Path(__file__).parent


def test_neovim_receives_diagnostics_at_the_right_column_and_applies_a_fix(tmp_path: Path) -> None:
    nvim = editor("nvim", "neovim")
    target = tmp_path / "main.py"
    target.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "out.json"
    env = child_environment(tmp_path, FP_OUT=str(out), FP_FILE=str(target), FP_CODE="FAP104")
    completed = subprocess.run(
        [nvim, "--headless", "--clean", "-c", f"luafile {HERE / 'nvim_lsp_probe.lua'}"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=90,
    )
    assert out.exists(), f"nvim wrote nothing: {completed.stderr[-2000:]}"
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result.get("error") is None, result
    expected_character = {
        "utf-16": len(FLAGGED_PREFIX.encode("utf-16-le")) // 2,
        "utf-8": len(FLAGGED_PREFIX.encode("utf-8")),
        "utf-32": len(FLAGGED_PREFIX),
    }[result["encoding"]]
    (diagnostic,) = [d for d in result["diagnostics"] if d["code"] == "FAP104"]
    assert diagnostic["range"]["start"] == {"line": FLAGGED_LINE, "character": expected_character}
    assert diagnostic["source"] == "fastapi-patterns"
    assert any("noqa" in title.lower() or "disable" in title.lower() for title in result["actions"])
    assert "asyncio.get_running_loop()" in result["text_after"]
    assert "get_event_loop" not in result["text_after"]
    assert completed.returncode == 0, completed.stderr[-2000:]
