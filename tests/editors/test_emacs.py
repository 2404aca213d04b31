"""A second real editor: Emacs with eglot, in batch mode, shows our diagnostic at the right character (Emacs
counts characters, so the emoji and accented text before it must not shift it) and applies the quick fix.
Installed by `.ci/run` (Debian's emacs-nox and elpa-eglot); skipped elsewhere unless editors are required.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from editor_support import FLAGGED_LINE, FLAGGED_PREFIX, SOURCE, child_environment, editor

HERE = Path(__file__).parent


def test_emacs_eglot_shows_the_diagnostic_and_applies_the_fix(tmp_path: Path) -> None:
    emacs = editor("emacs", "emacs-nox elpa-eglot")
    target = tmp_path / "main.py"
    target.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "out.json"
    env = child_environment(tmp_path, FP_OUT=str(out), FP_FILE=str(target), FP_CODE="FAP104")
    (tmp_path / "home").mkdir()
    completed = subprocess.run(
        [emacs, "--batch", "--no-init-file", "-l", str(HERE / "eglot_probe.el")],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert out.exists(), f"emacs wrote nothing: {completed.stderr[-3000:]}"
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result.get("error") is None, (result, completed.stderr[-3000:])
    assert result["line"] == FLAGGED_LINE + 1  # Emacs lines are 1-based
    assert result["column"] == len(FLAGGED_PREFIX)  # characters, whatever the encoding on the wire
    assert "FAP104" in result["text"]
    assert any(title.startswith("Disable FAP104") for title in result["actions"])
    assert "asyncio.get_running_loop()" in result["text_after"]
    assert "get_event_loop" not in result["text_after"]
    assert completed.returncode == 0, completed.stderr[-2000:]
