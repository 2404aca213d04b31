"""Checking the discovered files of one run: from the cache when nothing a result depended on changed, by
analysis against the run's workspace index otherwise, and storing what is new for the next run.

Only plain checks reuse results (`--fix` and `--diff` always analyse, since they write or print edits); every
run reuses cached module summaries to build the index. Results that carry errors or notes are never stored:
the next run reports the problem afresh.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Optional, Sequence

from ..engine.workspace.index import WorkspaceIndex, content_hash
from ..rules import KNOWN_CODES
from .cache import CheckCache, ImportFingerprints, cache_directory, fingerprint, settings_key
from .project import build_project_index
from .records import FileResult
from .source import SourceText, read_source
from .work import FileTask

Runner = Callable[[Sequence[FileTask], int, Optional[WorkspaceIndex]], list[FileResult]]


def check_all(tasks: Sequence[FileTask], folders: Sequence[str], jobs: int, run_tasks: Runner,
              cache_dir: Optional[Path], complete: bool = True) -> tuple[list[FileResult], list[str]]:
    """The results of every task, in order, and notes for stderr (a cache that could not be written).
    `complete`: the tasks are the whole project, so rules may say "nowhere in the project"."""
    if cache_dir is None:
        workspace = build_project_index([(t.path, t.config.max_file_size) for t in tasks], folders, jobs,
                                        complete=complete)
        return run_tasks(tasks, jobs, workspace), []
    cache = CheckCache(cache_dir)
    digests = _digests(tasks)
    plain = [not (t.mode.fix or t.mode.diff) for t in tasks]
    settings = [settings_key(t.config, t.mode.build_fixes, KNOWN_CODES) + str(complete) for t in tasks]
    whole = fingerprint(sorted(f"{path}={digest}" for path, digest in digests.items()))
    built: list[WorkspaceIndex] = []

    def index() -> WorkspaceIndex:
        if not built:
            built.append(build_project_index([(t.path, t.config.max_file_size) for t in tasks], folders, jobs,
                                             known=cache.summaries, digests=digests, complete=complete))
        return built[0]

    imports = ImportFingerprints(index, digests)
    results: list[Optional[FileResult]] = []
    for task, is_plain, setting in zip(tasks, plain, settings):
        digest = digests.get(os.path.abspath(task.path))
        found = cache.reusable(os.path.abspath(task.path), digest, setting, whole, imports) \
            if is_plain and digest is not None else None
        results.append(found if found is not None and found.display == task.display else None)
    todo = [task for task, result in zip(tasks, results) if result is None]
    if todo:
        fresh = iter(run_tasks(todo, jobs, index()))
        results = [result if result is not None else next(fresh) for result in results]
    final = [result for result in results if result is not None]
    stored: dict[str, tuple[str, str, str, FileResult]] = {}
    for task, result, is_plain, setting in zip(tasks, final, plain, settings):
        digest = digests.get(os.path.abspath(task.path))
        if not is_plain or digest is None or result.errors or result.notes:
            continue
        dependencies = {"file": "", "workspace": whole}.get(result.scope)
        if dependencies is None:
            dependencies = imports.of(os.path.abspath(task.path)) or ""
        stored[os.path.abspath(task.path)] = (digest, setting, dependencies, result)
    if todo or stored.keys() != cache.entries.keys():
        cache.store(stored, built[0] if built else None)
    return final, [cache.problem] if cache.problem else []


def _digests(tasks: Sequence[FileTask]) -> dict[str, str]:
    """The content hash of every readable file, by absolute path."""
    found: dict[str, str] = {}
    for task in tasks:
        source = read_source(task.path, task.config.max_file_size)
        if isinstance(source, SourceText):
            found[os.path.abspath(task.path)] = content_hash(source.text)
    return found
