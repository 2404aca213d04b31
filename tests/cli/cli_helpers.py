"""Shared helpers of the command-line tests: paths, a captured in-process run, a subprocess run, sample files."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pytest

from fastapi_patterns.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "shop"
GOLDENS = Path(__file__).resolve().parent / "goldens"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


CliRunner = Callable[..., Run]


def run_in_process(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...],
                   cwd: Optional[Path]) -> Run:
    capsys.readouterr()
    with monkeypatch.context() as patch:
        patch.chdir(cwd or ROOT)
        code = main(list(argv))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def run_module(*argv: str, cwd: Path = ROOT, code: Optional[str] = None) -> subprocess.CompletedProcess[str]:
    """`python -m fastapi_patterns ARGV` (or `python -c CODE`) in a fresh interpreter, with the source on its path."""
    python_path = os.pathsep.join([str(ROOT / "server"), os.environ.get("PYTHONPATH", "")])
    environment = {**os.environ, "PYTHONPATH": python_path}
    start = ["-c", code] if code is not None else ["-m", "fastapi_patterns"]
    command = [sys.executable, *start, *argv]
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, encoding="utf-8",
                          stdin=subprocess.DEVNULL, timeout=120)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return path


# A file with one finding of a rule that already exists (FAP214, safe fix) and nothing else.
ROUTE_WITHOUT_SLASH = (
    "from fastapi import FastAPI\n"
    "\n"
    "app = FastAPI()\n"
    "\n"
    "\n"
    "@app.get(\"items\")\n"
    "def list_items() -> list[str]:\n"
    "    return []\n"
)
CLEAN = (
    "from fastapi import FastAPI\n"
    "\n"
    "app = FastAPI()\n"
    "\n"
    "\n"
    "@app.get(\"/items\")\n"
    "def list_items() -> list[str]:\n"
    "    return []\n"
)
