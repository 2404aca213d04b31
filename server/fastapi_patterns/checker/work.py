"""Checking one file, start to end: read, analyse, optionally fix or diff, and return a picklable result.

This is the unit of work a process pool runs; it never raises. Every problem (unreadable file, a rule that
crashed, a refused write) becomes a line in the result, prefixed with the file's displayed path.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from typing import Optional

from ..engine import Config, analyze, apply_fixes
from ..engine.types import Analysis, FixSafety
from ..engine.workspace.index import WorkspaceIndex
from .records import FileResult, Issue
from .source import SourceText, read_source
from .writing import WriteRefused, parses, write_if_unchanged

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True)
class Mode:
    fix: bool = False  # write safe (and with `unsafe`, unsafe) fixes
    diff: bool = False  # compute fixes, print them as a diff, write nothing
    unsafe: bool = False
    build_fixes: bool = False  # the output format prints each finding's fix


_workspace: Optional[WorkspaceIndex] = None  # the run's project index, set once per process


def use_workspace(index: Optional[WorkspaceIndex]) -> None:
    """Give this process the run's workspace index (the initializer of each worker process)."""
    global _workspace
    _workspace = index


@dataclass(frozen=True)
class FileTask:
    path: str
    display: str
    config: Config
    mode: Mode


def check_file(task: FileTask) -> FileResult:
    try:
        return _check(task)
    except Exception as error:  # a bug must cost one file, not the run
        return FileResult(task.path, task.display,
                          errors=(f"{task.display}: internal error: {type(error).__name__}: {error}",))


def _check(task: FileTask) -> FileResult:
    source = read_source(task.path, task.config.max_file_size)
    if not isinstance(source, SourceText):
        return FileResult(task.path, task.display, errors=(f"{task.display}: skipped: {source}",))
    if task.mode.diff:
        return _diff(task, source)
    if task.mode.fix:
        return _fix(task, source)
    return _report(task, analyze(source.text, task.path, task.config, _workspace))


def _report(task: FileTask, analysis: Analysis, fixed: int = 0, errors: tuple[str, ...] = (),
            notes: tuple[str, ...] = ()) -> FileResult:
    issues = []
    for finding in analysis.findings:
        fix = analysis.fix_for(finding) if task.mode.build_fixes else None
        if fix is not None and fix.safety is FixSafety.DISPLAY_ONLY:
            fix = None
        issues.append(Issue.from_finding(finding, fix))
    problems = list(errors)
    if analysis.skipped:
        problems.append(f"{task.display}: skipped: {analysis.skipped}")
    problems.extend(
        f"{task.display}: internal error in rule {failure.code}: {failure.error}" for failure in analysis.failures
    )
    scope = "workspace" if analysis.whole_workspace else "imports" if analysis.cross_file else "file"
    return FileResult(task.path, task.display, tuple(issues), fixed, errors=tuple(problems), notes=notes,
                      scope=scope)


def _fixed_text(task: FileTask, source: SourceText) -> tuple[str, int, Analysis, tuple[str, ...]]:
    """The fixed text, how many fixes it took, its analysis, and notes about fixes that were dropped."""
    outcome = apply_fixes(source.text, task.path, task.config, unsafe=task.mode.unsafe, workspace=_workspace)
    last = outcome.analysis
    notes = tuple(f"{task.display}: {problem}" for problem in outcome.problems if last is None or last.parsed)
    new_text, applied = outcome.source, outcome.applied
    if not outcome.changed or not parses(new_text):
        new_text, applied = source.text, 0
    if last is None or last.source != new_text:
        last = analyze(new_text, task.path, task.config, _workspace)
    return new_text, applied, last, notes


def _fix(task: FileTask, source: SourceText) -> FileResult:
    new_text, applied, final, notes = _fixed_text(task, source)
    if not applied:
        return _report(task, final, notes=notes)
    try:
        write_if_unchanged(task.path, source.raw, source.encode(new_text), new_text)
    except UnicodeEncodeError:
        refused = f"{task.display}: the fixed code cannot be written in {source.encoding}; not fixed"
    except WriteRefused as error:
        refused = f"{task.display}: {error}"
    else:
        return _report(task, final, fixed=applied, notes=notes)
    return _report(task, analyze(source.text, task.path, task.config, _workspace), errors=(refused,),
                   notes=notes)


def _diff(task: FileTask, source: SourceText) -> FileResult:
    new_text, applied, final, notes = _fixed_text(task, source)
    checked = _report(task, final, notes=notes)
    if not applied:
        return replace(checked, issues=())
    lines = difflib.unified_diff(
        _lines(source.text), _lines(new_text), fromfile=f"a/{task.display}", tofile=f"b/{task.display}",
    )
    diff = "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                   for line in lines)
    return replace(checked, issues=(), fixed=applied, diff=diff)


def _lines(text: str) -> list[str]:
    """Lines with their endings, split only where Python splits them (not at form feeds or U+2028)."""
    return _LINE.findall(text)
