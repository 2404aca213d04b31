"""Ignore rules for the directory walk: default excluded directories and `.gitignore` files.

`.gitignore` files are read with `pathspec` and layered the way git layers them: each file's patterns are
relative to its own directory, and a deeper file overrides a shallower one (a later `!pattern` re-includes).
The `.gitignore` files between the repository root (outside a repository: the working directory) and a walk
root, or a file named on the command line, apply too. A `.gitignore` that cannot be read counts as empty.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pathspec

DEFAULT_EXCLUDES = frozenset({
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints", ".mypy_cache", ".nox",
    ".pants.d", ".pytest_cache", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", ".vscode", "__pycache__",
    "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
})


@dataclass(frozen=True)
class IgnoreLayer:
    """The patterns of one `.gitignore`, relative to the directory that holds it."""

    base: Path
    spec: pathspec.GitIgnoreSpec


IgnoreStack = tuple[IgnoreLayer, ...]


def read_layer(directory: Path) -> Optional[IgnoreLayer]:
    """The `.gitignore` in `directory`, if there is a readable one."""
    candidate = directory / ".gitignore"
    try:
        if not candidate.is_file():
            return None
        text = candidate.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return IgnoreLayer(directory, pathspec.GitIgnoreSpec.from_lines(text.splitlines()))


def with_directory(stack: IgnoreStack, directory: Path) -> IgnoreStack:
    """The stack for the contents of `directory`: its own `.gitignore` goes on top."""
    layer = read_layer(directory)
    return stack if layer is None else (*stack, layer)


def repository_root(start: Path) -> Optional[Path]:
    for folder in [start, *start.parents]:
        if (folder / ".git").exists():
            return folder
    return None


def stack_above(directory: Path, cwd: Path) -> IgnoreStack:
    """The `.gitignore` layers above `directory` (not its own), from the repository root down.

    Outside a git repository, the layers start at the working directory when `directory` is below it.
    """
    top = repository_root(directory)
    if top is None and cwd in directory.parents:
        top = cwd
    if top is None or top == directory:
        return ()
    folders = [folder for folder in directory.parents if folder == top or top in folder.parents]
    stack: IgnoreStack = ()
    for folder in reversed(folders):
        stack = with_directory(stack, folder)
    return stack


def is_ignored(path: Path, is_directory: bool, stack: IgnoreStack) -> bool:
    """Whether git would ignore `path`: the deepest `.gitignore` with a matching pattern decides."""
    decision: Optional[bool] = None
    for layer in stack:
        try:
            relative = path.relative_to(layer.base).as_posix()
        except ValueError:
            continue
        if relative in ("", "."):
            continue
        result = layer.spec.check_file(relative + "/" if is_directory else relative)
        if result.include is not None:
            decision = result.include
    return bool(decision)


def has_default_excluded_part(path: Path, cwd: Path) -> bool:
    """Whether a path (relative to cwd when it is below it) runs through a default-excluded directory."""
    try:
        parts = path.relative_to(cwd).parts
    except ValueError:
        parts = path.parts
    return any(part in DEFAULT_EXCLUDES for part in parts[:-1]) or (
        len(parts) > 0 and parts[-1] in DEFAULT_EXCLUDES and os.path.isdir(path)
    )
