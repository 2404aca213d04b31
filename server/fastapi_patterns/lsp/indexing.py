"""The server's workspace indexes: one per workspace folder, one for files outside every folder.

Folders are indexed on a worker thread of their own, never the analysis pool, so the diagnostics of the file
being edited never wait for indexing. Files are found as `--check` finds them (`.gitignore`, excludes) and read
with the same reader; an open document's text wins over the file on disk. Changes from the editor are applied
by `update`, coalesced per file so that a burst of keystrokes costs one summary. Everything here is
thread-safe and speaks no protocol: the features report progress and refresh views.
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Callable, Optional, TypeVar

from ..checker.files import discover
from ..checker.settings import ConfigResolver, SelectionOverrides
from ..checker.source import Skipped, read_source
from ..engine.config import Config
from ..engine.workspace import SummaryCache, WorkspaceIndex
from ..engine.workspace.library import LibraryClasses
from ..engine.workspace.resolve import EXTERNAL_KINDS
from ..rules import KNOWN_CODES
from .workers import DaemonWorkers

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (files done, files in all)
TextOf = Callable[[str], Optional[str]]  # the open document's text for a path, if it is open


def read_text(path: str) -> Optional[str]:
    """A file's text, or None when it cannot be read as source (missing, binary, too large, undecodable)."""
    found = read_source(path, Config().max_file_size)
    return None if isinstance(found, Skipped) else found.text


class WorkspaceIndexes:
    def __init__(self) -> None:
        self.cache = SummaryCache()
        self.library = LibraryClasses(EXTERNAL_KINDS)  # classes of installed packages, shared by every index
        self.by_folder: dict[str, WorkspaceIndex] = {}
        self.loose = self._new_index(())  # open files outside every workspace folder
        self.worker = DaemonWorkers(1, name="fastapi-patterns-index")
        self.read_file: Callable[[str], Optional[str]] = read_text  # replaceable by tests
        self.builds: dict[str, "asyncio.Future[None]"] = {}  # folder -> its first build, as the server runs it
        self._pending: dict[str, Callable[[], Optional[str]]] = {}
        self._lock = threading.Lock()
        self.on_change: Optional[Callable[[WorkspaceIndex], None]] = None  # called on the index worker

    # -- which index -------------------------------------------------------------------------------------------

    def add_folder(self, folder: str) -> WorkspaceIndex:
        folder = os.path.abspath(folder)
        with self._lock:
            index = self.by_folder.get(folder)
            if index is None:
                index = self.by_folder[folder] = self._new_index((folder,))
            return index

    def _new_index(self, folders: tuple[str, ...]) -> WorkspaceIndex:
        index = WorkspaceIndex(folders, self.cache)
        index.library = self.library.kinds
        index.snapshots = True  # analyses never wait for a table rebuild: _changed rebuilds, then re-checks
        return index

    def remove_folder(self, folder: str) -> None:
        with self._lock:
            self.by_folder.pop(os.path.abspath(folder), None)

    def index_for(self, path: Optional[str]) -> WorkspaceIndex:
        """The index of the innermost folder containing `path`; the loose index otherwise."""
        if path is not None:
            with self._lock:
                containing = [index for index in self.by_folder.values() if index.covers(path)]
            if containing:
                return max(containing, key=lambda index: len(index.folders[0]))
        return self.loose

    def all(self) -> list[WorkspaceIndex]:
        with self._lock:
            return [*self.by_folder.values(), self.loose]

    # -- building ----------------------------------------------------------------------------------------------

    def discover(self, folder: str) -> list[str]:
        root = Path(folder)
        found = discover(["."], root, ConfigResolver(root, SelectionOverrides(), KNOWN_CODES))
        return [str(source.path) for source in found.files]

    def build(self, folder: str, text_of: TextOf, progress: Progress) -> WorkspaceIndex:
        """Index every Python file of the folder (run on the index worker); files of a workspace folder nested
        inside it are left to that folder's index."""
        index = self.add_folder(folder)
        files = [path for path in self.discover(folder) if self.index_for(path) is index]
        for done, path in enumerate(files, start=1):
            text = text_of(path)
            if text is None:
                text = self.read_file(path)
            if text is not None:
                index.set_file(path, text)
            progress(done, len(files))
        self._forget_loose_copies(index)
        index.complete = True
        self._changed(index)
        return index

    def _forget_loose_copies(self, index: WorkspaceIndex) -> None:
        """Drop from the loose index the files a folder's index now owns: a document opened (and asked about)
        before its folder was added went there, and a stale second copy would list its routes twice."""
        for path in self.loose.paths:
            if self.index_for(path) is index:
                self.loose.remove_file(path)

    def submit(self, work: Callable[[], T]) -> "Future[T]":
        """Run `work` on the index worker, after everything queued before it."""
        return self.worker.submit(work)

    # -- changes -----------------------------------------------------------------------------------------------

    def update(self, path: str, text: Callable[[], Optional[str]], delay: float = 0.0) -> None:
        """Re-index `path` soon with what `text()` returns then (None: read it from disk; gone: forget it).

        With a `delay` (a document being typed in), the work waits for that quiet time so that re-indexing never
        competes with the diagnostics of the keystroke; a query of the index applies pending changes first."""
        with self._lock:
            already = path in self._pending
            self._pending[path] = text
        if already:
            return
        if delay > 0:
            timer = threading.Timer(delay, self._submit, args=(path,))
            timer.daemon = True
            timer.start()
        else:
            self._submit(path)

    def _submit(self, path: str) -> None:
        try:
            self.worker.submit(self._apply_pending, path)
        except RuntimeError:  # shutting down
            pass

    def _apply_pending(self, path: str) -> None:
        with self._lock:
            text_source = self._pending.pop(path, None)
        if text_source is None:
            return
        self.apply_now(path, text_source())

    def flush(self) -> None:
        """Apply every queued change now, in this thread (before answering from the index)."""
        with self._lock:
            paths = list(self._pending)
        for path in paths:
            self._apply_pending(path)

    def apply_now(self, path: str, text: Optional[str]) -> None:
        index = self.index_for(path)
        if text is None and index is not self.loose:
            text = self.read_file(path)
        if text is None:
            changed = index.remove_file(path) or bool(index.remove_under(path))
        else:
            changed = index.set_file(path, text)
        if changed:
            self._changed(index)

    def _changed(self, index: WorkspaceIndex) -> None:
        """Rebuild what cross-file rules read (here, on the index worker, not in an analysis), then tell."""
        index.routes()
        index.called_functions()
        index.dependency_functions()
        if self.on_change is not None:
            self.on_change(index)

    def shutdown(self) -> None:
        self.worker.shutdown(wait=False, cancel_futures=True)
