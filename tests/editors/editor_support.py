"""Shared pieces of the real-editor tests: the file they open, the editor lookup, and the child environment."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
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
FLAGGED_LINE = 9
FLAGGED_PREFIX = SOURCE.splitlines()[FLAGGED_LINE][: SOURCE.splitlines()[FLAGGED_LINE].index("asyncio.get_event")]


def editor(name: str, package: str) -> str:
    """The editor's executable; skipped when missing, unless FASTAPI_PATTERNS_REQUIRE_EDITORS makes it a failure."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("FASTAPI_PATTERNS_REQUIRE_EDITORS"):
            pytest.fail(f"{name} is required here (FASTAPI_PATTERNS_REQUIRE_EDITORS is set) but not installed")
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return found


def child_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment that finds this checkout's package and keeps the editor's state out of the home folder."""
    return {
        **os.environ,
        "FP_PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "server"), os.environ.get("PYTHONPATH", "")]),
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
        **extra,
    }
