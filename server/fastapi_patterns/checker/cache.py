"""The on-disk cache of `--check`: results that cannot have changed are reported without analysing anything.

A file's result is reused when its text, the tool version, the rule set, its configuration and the output's
needs are the same as when it was stored, and when what it depended on is unchanged too: nothing else (a
single-file result), the modules it reaches through its imports (a result some cross-file rule answered from
them), or the whole project (a result that read the route table or looked for callers). Module summaries are
cached by content hash as well, so the workspace index of a run where few files changed is built from the
cache. The cache lives in one directory (`.fastapi-patterns-cache` in the working directory by default); a
cache that cannot be read is ignored and rewritten, and a cache that cannot be written is skipped with a note.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Collection, Mapping, Optional, Sequence

from .. import __version__
from ..engine.config import Config
from ..engine.workspace.index import WorkspaceIndex
from ..engine.workspace.summary import SUMMARY_FORMAT, ModuleSummary
from .records import FileResult

CACHE_FORMAT = 1
DEFAULT_DIRECTORY = ".fastapi-patterns-cache"
RESULTS = "results.pickle"
SUMMARIES = "summaries.pickle"


@dataclass(frozen=True)
class Entry:
    digest: str  # the file's content hash
    settings: str  # configuration, rule set and output needs
    dependencies: str  # fingerprint of what the result depended on, at the time ("" for the file alone)
    result: FileResult


def fingerprint(parts: Sequence[str]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def settings_key(config: Config, build_fixes: bool, codes: Collection[str]) -> str:
    return fingerprint([__version__, str(CACHE_FORMAT), str(SUMMARY_FORMAT), repr(config), str(build_fixes),
                        *sorted(codes)])


class ImportFingerprints:
    """For a file: the contents of every module it reaches through its imports, and the set of files (a new
    module can make an import resolve), as one fingerprint. Needs the index, so it is built only when asked."""

    def __init__(self, index_of: Callable[[], WorkspaceIndex], digests: Mapping[str, str]) -> None:
        self._index_of = index_of
        self.digests = digests
        self._files = fingerprint(sorted(digests))
        self._index: Optional[WorkspaceIndex] = None
        self._known: dict[str, str] = {}

    def of(self, path: str) -> Optional[str]:
        if path not in self._known:
            if self._index is None:
                self._index = self._index_of()
            reached = self._index.imported_closure(path) | {path}
            self._known[path] = fingerprint([self._files, *(f"{p}={self.digests.get(p, '')}" for p in sorted(reached))])
        return self._known[path]


class CheckCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.entries: dict[str, Entry] = _load(directory / RESULTS)
        self._summaries: Optional[dict[str, ModuleSummary]] = None
        self.problem: Optional[str] = None

    @property
    def summaries(self) -> dict[str, ModuleSummary]:
        """Summaries by content hash, read on first use (a run whose results are all cached never needs them)."""
        if self._summaries is None:
            self._summaries = _load(self.directory / SUMMARIES)
        return self._summaries

    def reusable(self, path: str, digest: str, settings: str, whole: str,
                 imports: ImportFingerprints) -> Optional[FileResult]:
        """The stored result of `path`, if nothing it depended on has changed since."""
        entry = self.entries.get(path)
        if entry is None or entry.digest != digest or entry.settings != settings:
            return None
        scope = entry.result.scope
        if scope == "file" or (scope == "workspace" and entry.dependencies == whole):
            return entry.result
        if scope == "imports":
            current = imports.of(path)
            if current is not None and current == entry.dependencies:
                return entry.result
        return None

    def store(self, results: Mapping[str, tuple[str, str, str, FileResult]],
              index: Optional[WorkspaceIndex]) -> None:
        """Keep these results, `(digest, settings, dependencies, result)` by path, and the index's summaries."""
        self.entries = {path: Entry(*stored) for path, stored in results.items()}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            gitignore = self.directory / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# created by fastapi-patterns\n*\n", encoding="utf-8")
            _dump(self.directory / RESULTS, self.entries)
            if index is not None:
                summaries = {entry.digest: entry.summary for entry in index.entries()}
                _dump(self.directory / SUMMARIES, summaries)
        except OSError as error:
            self.problem = f"fastapi-patterns: cache not written to {self.directory}: {error.strerror or error}"


def cache_directory(cwd: Path, given: Optional[str]) -> Path:
    chosen = given or os.environ.get("FASTAPI_PATTERNS_CACHE_DIR") or DEFAULT_DIRECTORY
    path = Path(chosen)
    return path if path.is_absolute() else cwd / path


class _OwnValuesOnly(pickle.Unpickler):
    """The cache lives in the project, where anyone may have put a file: loading it may build this package's
    own value types (dataclasses and enums) and nothing else, so a crafted file cannot call anything."""

    def find_class(self, module: str, name: str) -> Any:
        if module.split(".")[0] == __name__.split(".")[0]:  # modules already loaded: naming one imports nothing
            found = getattr(sys.modules.get(module), name, None)
            if isinstance(found, type) and (dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a value this cache stores")


def _load(path: Path) -> dict[str, Any]:
    """What `_dump` stored at `path`, or an empty dict when it is missing, damaged or from another version."""
    try:
        with open(path, "rb") as handle:
            stored: object = _OwnValuesOnly(handle).load()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError,
            IndexError, KeyError):
        return {}
    if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != (__version__, CACHE_FORMAT):
        return {}
    value = stored[1]
    return value if isinstance(value, dict) else {}


def _dump(path: Path, value: object) -> None:
    """Write atomically: a reader sees the old cache or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(prefix=path.name, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(((__version__, CACHE_FORMAT), value), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
