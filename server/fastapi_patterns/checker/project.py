"""The workspace index of one `--check` run: every file the run checks, summarised once before any is checked.

Cross-file rules (a router nothing includes, a blocking call three helpers away, a route shadowed by one
declared in another module) need the whole project before the first file is analysed, so the run summarises
every discovered file first (in worker processes when `--jobs` asks), then hands the same index to every file's
analysis. Files that cannot be read are left out here; their analysis reports why.
"""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Mapping, Optional, Sequence

from ..engine.workspace.index import WorkspaceIndex, content_hash, safe_summarize
from ..engine.workspace.library import LibraryClasses
from ..engine.workspace.resolve import EXTERNAL_KINDS
from ..engine.workspace.summary import ModuleSummary
from .pool import interruptible_map
from .source import SourceText, read_source

Summarised = Optional[tuple[str, str, ModuleSummary]]  # (path, content hash, summary)


def project_folders(paths: Sequence[Path], cwd: Path) -> list[str]:
    """The folders whose layout gives module names: the working directory, and each root outside it."""
    folders = [str(cwd)]
    for path in paths:
        directory = path if path.is_dir() else path.parent
        if not str(directory.absolute()).startswith(str(cwd)):
            folders.append(str(directory.absolute()))
    return list(dict.fromkeys(folders))


def summarise_file(task: tuple[str, int]) -> Summarised:
    path, max_size = task
    source = read_source(path, max_size)
    if not isinstance(source, SourceText):
        return None
    return os.path.abspath(path), content_hash(source.text), safe_summarize(source.text, path)


def build_project_index(files: Sequence[tuple[str, int]], folders: Sequence[str], jobs: int,
                        known: Optional[Mapping[str, ModuleSummary]] = None,
                        digests: Optional[Mapping[str, str]] = None, complete: bool = True) -> WorkspaceIndex:
    """Summaries of `(path, max file size)` files, in one process or `jobs` worker processes; a file whose
    content hash (`digests`, by absolute path) has a `known` summary is not summarised again. `complete` says
    the files are the whole project (a run over directories), not a hand-picked few."""
    reused: list[Summarised] = []
    if known and digests:
        remaining = []
        for task in files:
            path = os.path.abspath(task[0])
            digest = digests.get(path)
            summary = known.get(digest) if digest is not None else None
            if summary is None:
                remaining.append(task)
            else:
                reused.append((path, digest, summary))  # type: ignore[arg-type]
        files = remaining
    summarised: list[Summarised] = []
    if jobs > 1 and len(files) > 1:
        workers = min(jobs, len(files))
        try:
            summarised = interruptible_map(summarise_file, files, workers, max(1, len(files) // (workers * 4)))
        except (OSError, BrokenProcessPool, NotImplementedError):
            summarised = []
    if not summarised:
        summarised = [summarise_file(task) for task in files]
    summarised.extend(reused)
    index = WorkspaceIndex(folders)
    index.library = LibraryClasses(EXTERNAL_KINDS).kinds
    for entry in summarised:
        if entry is not None:
            index.put_summary(*entry)
    index.complete = complete
    return index
