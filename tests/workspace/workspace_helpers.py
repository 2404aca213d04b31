"""Shared helpers of the workspace index tests: where the example projects are, and indexing a tree from disk."""

from __future__ import annotations

from pathlib import Path

from fastapi_patterns.engine.workspace import WorkspaceIndex, build_index

PROJECTS = Path(__file__).resolve().parent / "projects"


def python_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if "__pycache__" not in path.parts)


def index_of(root: Path) -> WorkspaceIndex:
    """An index of every Python file under `root`, with `root` as the workspace folder."""
    return build_index([str(root)], [(str(path), path.read_text(encoding="utf-8")) for path in python_files(root)])
