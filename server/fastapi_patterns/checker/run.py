"""`--check` from start to end: discover files, check them (in worker processes when asked), report, exit code.

Results are always reported in path order, whatever order the workers finish in, so two runs over the same
tree print the same bytes. Exit codes: 0 when nothing at or above the fail level remains (or `--exit-zero`),
1 when something does (with `--diff`: when there is something to fix), 2 when the configuration is invalid or
some file could not be checked or fixed; 2 wins over 1.
"""

from __future__ import annotations

import enum
import os
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence, TextIO

from ..engine.types import Severity
from ..engine.workspace.index import WorkspaceIndex
from ..rules import KNOWN_CODES
from . import formats, reporting
from .cache import cache_directory
from .checking import check_all
from .files import discover, display_path
from .pool import interruptible_map
from .project import project_folders
from .records import FileResult
from .settings import ConfigResolver, SelectionOverrides
from .work import FileTask, Mode, check_file, use_workspace


class OutputFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[str, ...] = (".",)
    output_format: OutputFormat = OutputFormat.TEXT
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    overrides: SelectionOverrides = field(default_factory=SelectionOverrides)
    fail_level: Severity = Severity.WARNING
    exit_zero: bool = False
    jobs: int = 1
    quiet: bool = False
    statistics: bool = False
    force_exclude: bool = False
    ascii_only: bool = False  # escape non-ASCII in JSON/SARIF (for an output stream that cannot encode it)
    no_cache: bool = False
    cache_dir: Optional[str] = None  # default: $FASTAPI_PATTERNS_CACHE_DIR, else .fastapi-patterns-cache
    cwd: Optional[Path] = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def run_check(options: CheckOptions, out: TextIO, err: TextIO) -> int:
    cwd = (options.cwd or Path.cwd()).absolute()
    resolver = ConfigResolver(cwd, options.overrides, KNOWN_CODES)
    discovery = discover(options.paths, cwd, resolver, options.force_exclude)
    if resolver.errors:
        printed: set[str] = set()
        for error in resolver.errors:
            line = f"{display_path(Path(error.source), cwd)}: {error.key}: {error.problem}"
            if line not in printed:
                printed.add(line)
                err.write(line + "\n")
        return 2
    machine = options.output_format in (OutputFormat.JSON, OutputFormat.SARIF)
    mode = Mode(fix=options.fix and not options.diff, diff=options.diff, unsafe=options.unsafe_fixes,
                build_fixes=machine and not options.statistics and not options.diff)
    tasks = [FileTask(str(source.path), source.display, source.config, mode) for source in discovery.files]
    folders = project_folders([Path(p) if Path(p).is_absolute() else cwd / p for p in options.paths], cwd)
    cache_dir = None if options.no_cache else cache_directory(cwd, options.cache_dir)
    whole_project = all((Path(p) if Path(p).is_absolute() else cwd / p).is_dir() for p in options.paths)
    results, notes = check_all(tasks, folders, options.jobs, run_tasks, cache_dir, complete=whole_project)
    for line in (*discovery.problems, *notes):
        err.write(line + "\n")
    for result in results:
        for line in (*result.errors, *result.notes):
            err.write(line + "\n")
    if not discovery.files and not discovery.problems and not options.quiet:
        err.write("fastapi-patterns: no Python files found under the given paths\n")
    _write_report(options, results, out, err)
    return _exit_code(options, results, bool(discovery.problems))


def run_tasks(tasks: Sequence[FileTask], jobs: int, workspace: Optional[WorkspaceIndex] = None) -> list[FileResult]:
    """Check every task, in order, against the run's workspace index; more than one job uses a process pool
    (in-process if none can start)."""
    use_workspace(workspace)
    if jobs <= 1 or len(tasks) < 2:
        return [check_file(task) for task in tasks]
    workers = min(jobs, len(tasks))
    try:
        return interruptible_map(check_file, tasks, workers, max(1, len(tasks) // (workers * 4)), use_workspace,
                                 (workspace,))
    except (OSError, BrokenProcessPool, NotImplementedError):
        return [check_file(task) for task in tasks]


def _write_report(options: CheckOptions, results: list[FileResult], out: TextIO, err: TextIO) -> None:
    unsafe = options.unsafe_fixes
    if options.diff:
        out.write("".join(result.diff for result in results))
        if not options.quiet:
            err.write(reporting.diff_summary(results))
    elif options.statistics:
        if options.output_format is OutputFormat.JSON:
            out.write(reporting.statistics_json(results, unsafe))
        else:
            out.write(reporting.statistics_text(results, unsafe))
    elif options.output_format is OutputFormat.JSON:
        out.write(formats.render_json(results, options.ascii_only))
    elif options.output_format is OutputFormat.SARIF:
        out.write(formats.render_sarif(results, options.ascii_only))
    elif options.output_format is OutputFormat.GITHUB:
        out.write(formats.render_github(results))
    else:
        out.write(reporting.finding_lines(results, unsafe))
        if not options.quiet:
            out.write(reporting.summary(results, unsafe, options.fix))


def _exit_code(options: CheckOptions, results: list[FileResult], discovery_failed: bool) -> int:
    if discovery_failed or any(result.errors for result in results):
        return 2
    if options.diff:
        return 1 if any(result.diff for result in results) else 0
    failing = any(issue.severity <= options.fail_level for result in results for issue in result.issues)
    return 1 if failing and not options.exit_zero else 0
