"""Fixtures of the command-line tests: an in-process runner and a private copy of the example app."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Optional

import pytest
from cli_helpers import EXAMPLE, CliRunner, Run, run_in_process


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """`cli(*argv, cwd=path)` runs the command in-process from `cwd` (default: the repository root)."""

    def run(*argv: str, cwd: Optional[Path] = None) -> Run:
        return run_in_process(capsys, monkeypatch, argv, cwd)

    return run


@pytest.fixture
def shop_copy(tmp_path: Path) -> Path:
    """A private copy of the example app, safe to fix in place."""
    target = tmp_path / "shop"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target
