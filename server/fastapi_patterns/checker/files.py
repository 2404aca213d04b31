"""Which files `--check` looks at: explicit paths and the Python files found under directories.

Directories are walked in name order, skipping default-excluded directories (`.git`, `.venv`, `build`, ...),
what `.gitignore` files ignore, and the configuration's `exclude` patterns. Only `*.py` files are picked up by the
walk. A file named explicitly is always checked, whatever its name, unless `--force-exclude` asks to apply the
same exclusions to it. Symbolic links to directories are never followed; a symbolic link to a file is checked
only when its target lies inside the walked directory (so a walk never leaves its roots); a broken one, or one
that loops, is reported. Every file is checked once, however many ways it was reached.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..engine.config import Config
from .ignore import DEFAULT_EXCLUDES, IgnoreStack, has_default_excluded_part, is_ignored, stack_above, with_directory
from .settings import ConfigResolver

PYTHON_SUFFIXES = (".py",)


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute, symbolic links kept as named
    display: str  # relative to the working directory when below it
    config: Config


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each, for stderr


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return str(path)


class _Walker:
    def __init__(self, cwd: Path, resolver: ConfigResolver, force_exclude: bool) -> None:
        self.cwd = cwd
        self.resolver = resolver
        self.force_exclude = force_exclude
        self.result = Discovery()
        self._seen: set[str] = set()
        self.linked: list[Path] = []  # symbolic links found by walks, added last so a real path wins

    def add(self, path: Path) -> None:
        key = os.path.realpath(path)
        if key in self._seen:
            return
        self._seen.add(key)
        self.result.files.append(SourceFile(path, display_path(path, self.cwd), self.resolver.for_file(path)))

    def problem(self, path: Path, text: str) -> None:
        self.result.problems.append(f"{display_path(path, self.cwd)}: {text}")

    def explicit(self, path: Path) -> None:
        if not os.path.lexists(path):
            self.problem(path, "no such file or directory")
        elif path.is_symlink() and not path.exists():
            self.problem(path, _dangling_link_reason(path))
        elif path.is_dir():
            if not (self.force_exclude and self._excluded_explicitly(path, True)):
                self.walk(path)
        elif not (self.force_exclude and self._excluded_explicitly(path, False)):
            self.add(path)

    def _excluded_explicitly(self, path: Path, is_directory: bool) -> bool:
        if has_default_excluded_part(path, self.cwd):
            return True
        config = self.resolver.for_directory(path.parent)
        return config.is_excluded(str(path)) or is_ignored(path, is_directory, stack_above(path, self.cwd))

    def walk(self, root: Path) -> None:
        """Walk a directory. When the directory itself is excluded (it was named anyway), the exclusions that
        exclude it would exclude everything in it, so they are set aside for this walk."""
        real_root = os.path.realpath(root)
        above = stack_above(root, self.cwd)
        if is_ignored(root, True, above):
            above = ()
        honour_exclude = not self.resolver.for_directory(root.parent).is_excluded(str(root))
        pending: list[tuple[Path, IgnoreStack]] = [(root, with_directory(above, root))]
        while pending:
            directory, stack = pending.pop()
            subdirectories: list[tuple[Path, IgnoreStack]] = []
            for entry in self._entries(directory):
                path = directory / entry.name
                if entry.name in DEFAULT_EXCLUDES:
                    continue
                if entry.is_symlink():
                    self._symlink(path, stack, real_root, honour_exclude)
                elif entry.is_dir(follow_symlinks=False):
                    if not self._skip(path, True, stack, honour_exclude):
                        subdirectories.append((path, with_directory(stack, path)))
                elif (entry.name.endswith(PYTHON_SUFFIXES) and entry.is_file(follow_symlinks=False)
                      and not self._skip(path, False, stack, honour_exclude)):
                    self.add(path)
            pending.extend(reversed(subdirectories))

    def _entries(self, directory: Path) -> Iterable[os.DirEntry[str]]:
        try:
            with os.scandir(directory) as iterator:
                return sorted(iterator, key=lambda entry: entry.name)
        except OSError as error:
            self.problem(directory, f"skipped: cannot list directory ({error.strerror or error})")
            return []

    def _skip(self, path: Path, is_directory: bool, stack: IgnoreStack, honour_exclude: bool) -> bool:
        if is_ignored(path, is_directory, stack):
            return True
        return honour_exclude and self.resolver.for_directory(path.parent).is_excluded(str(path))

    def _symlink(self, path: Path, stack: IgnoreStack, real_root: str, honour_exclude: bool) -> None:
        if not path.name.endswith(PYTHON_SUFFIXES) or self._skip(path, False, stack, honour_exclude):
            return
        if not path.exists():
            self.problem(path, _dangling_link_reason(path))
            return
        target = os.path.realpath(path)
        inside = target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)
        if inside and os.path.isfile(target):
            self.linked.append(path)


def _dangling_link_reason(path: Path) -> str:
    """Why a symbolic link leads to no file: it loops (to itself, or through others back to itself), or its
    target is missing."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "skipped: symbolic link loop"
    return "skipped: broken symbolic link"


def discover(paths: Iterable[str], cwd: Path, resolver: ConfigResolver, force_exclude: bool = False) -> Discovery:
    """Every file to check, sorted by path, plus one line per path that could not be used."""
    walker = _Walker(cwd, resolver, force_exclude)
    for text in paths:
        walker.explicit(Path(os.path.abspath(os.path.join(cwd, text))))
    for link in walker.linked:
        walker.add(link)
    walker.result.files.sort(key=lambda source: source.path.parts)
    return walker.result
