"""Where the user's modules live: project roots, the module name of a file, and the file behind a module.

Roots come from three kinds of evidence. Project roots are the workspace folders and the directories above
indexed files that hold a `pyproject.toml`, `setup.cfg` or `setup.py`; a project root's `src/` directory is a
root too (the src layout). Package roots are the directories just above the topmost regular package
(`__init__.py`) of each file, for projects run from a subdirectory. Imports are resolved against every root,
innermost project roots first, so namespace packages (directories without `__init__.py`) work as Python 3
runs them. Only the indexed files and the marker files are consulted: nothing is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Sequence

PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py")
INIT = "__init__.py"


@dataclass(frozen=True)
class ModuleLocation:
    """A module found on disk: a `.py` file, a package's `__init__.py`, or a namespace directory (no file)."""

    file: Optional[str]  # None for a namespace directory
    directory: Optional[str]  # set for packages and namespace directories


def _is_within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


class ProjectLayout:
    """Roots and module names for one set of files; rebuilt when files are added or removed."""

    def __init__(self, folders: Sequence[str], files: Iterable[str],
                 is_file: Callable[[str], bool] = os.path.isfile,
                 is_dir: Callable[[str], bool] = os.path.isdir) -> None:
        self.folders = [os.path.normpath(folder) for folder in folders]
        self.files = {os.path.normpath(path) for path in files}
        self._is_file, self._is_dir = is_file, is_dir
        self.directories: set[str] = set()
        self.packages: set[str] = set()
        for path in self.files:
            directory = os.path.dirname(path)
            if os.path.basename(path) == INIT:
                self.packages.add(directory)
            while directory not in self.directories and os.path.dirname(directory) != directory:
                self.directories.add(directory)
                directory = os.path.dirname(directory)
        self.project_roots = self._project_roots()
        tops = {self._package_top(os.path.dirname(p)) for p in self.files}
        self.package_roots: list[str] = sorted((t for t in tops if t is not None), key=len, reverse=True)
        ordered = [*self.project_roots, *self.package_roots, *sorted(self.folders, key=len, reverse=True)]
        self.search_paths: list[str] = list(dict.fromkeys(ordered))

    def _project_roots(self) -> list[str]:
        """Directories with a project marker, and the `src/` of those and of the workspace folders."""
        marked: set[str] = set()
        checked: set[str] = set()
        for path in self.files:
            directory = os.path.dirname(path)
            while directory not in checked and os.path.dirname(directory) != directory:
                checked.add(directory)
                if not any(_is_within(directory, folder) for folder in self.folders):
                    break
                if directory not in self.packages and any(
                    self._is_file(os.path.join(directory, marker)) for marker in PROJECT_MARKERS
                ):
                    marked.add(directory)  # a package's own `setup.py` module is no project marker
                directory = os.path.dirname(directory)
        roots = set(marked)
        for root in marked | set(self.folders):
            source = os.path.join(root, "src")
            if source in self.directories or self._is_dir(source):
                roots.add(source)
        return sorted(roots, key=len, reverse=True)  # innermost first

    def _package_top(self, directory: str) -> Optional[str]:
        """The directory above the topmost regular package containing `directory`, if it is a package."""
        if directory not in self.packages:
            return None
        while os.path.dirname(directory) in self.packages:
            directory = os.path.dirname(directory)
        return os.path.dirname(directory)

    # -- names -------------------------------------------------------------------------------------------------

    def module_name(self, path: str) -> str:
        """The dotted name Python would import the file as (`app.routers.users`, `app.routers` for a package)."""
        path = os.path.normpath(path)
        directory = os.path.dirname(path)
        top = self._package_top(directory)
        roots = [root for root in self.project_roots if _is_within(top or directory, root)]
        folders = [folder for folder in sorted(self.folders, key=len, reverse=True) if _is_within(path, folder)]
        base = roots[0] if roots else top if top is not None else folders[0] if folders else None
        relative = os.path.relpath(path, base) if base is not None else os.path.basename(path)
        parts = relative[: -len(".py")].split(os.sep) if relative.endswith(".py") else relative.split(os.sep)
        if parts and parts[-1] == "__init__":
            parts.pop()
        return ".".join(part for part in parts if part not in ("", ".")) or os.path.basename(directory)

    # -- locating modules --------------------------------------------------------------------------------------

    def locate(self, base: str, parts: Sequence[str]) -> Optional[ModuleLocation]:
        """The module `parts` names below directory `base` (no parts: `base` itself as a package)."""
        target = os.path.join(base, *parts) if parts else base
        if parts and target + ".py" in self.files:
            return ModuleLocation(target + ".py", None)
        init = os.path.join(target, INIT)
        if init in self.files:
            return ModuleLocation(init, target)
        if target in self.directories:
            return ModuleLocation(None, target)
        return None

    def relative_base(self, path: str, level: int) -> str:
        """The package directory a relative import of `level` dots in `path` starts from."""
        directory = os.path.dirname(os.path.normpath(path))
        for _ in range(max(level - 1, 0)):
            directory = os.path.dirname(directory)
        return directory
