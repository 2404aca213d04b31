"""Fixtures of the workspace index tests: a private copy of an example project, safe to edit.

The projects under `projects/` are source trees to index, never tests to run: pytest does not collect them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest
from workspace_helpers import PROJECTS

collect_ignore_glob = ["projects/*"]


@pytest.fixture
def project_copy(tmp_path: Path) -> Callable[[str], Path]:
    """`project_copy(name)`: a private copy of an example project."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(PROJECTS / name, target, ignore=shutil.ignore_patterns("__pycache__"))
        return target

    return copy
