"""The fix properties every program must satisfy, as one function shared by the property tests, the long fuzz
run (`tools/fuzz.py`) and the corpus run (`tools/fix_corpus.py`).

`check_program(source)` analyses a text and returns what went wrong, as short sentences: the analysis raised or
a rule failed; a fix could not be built; a fix applied alone leaves a file that no longer compiles (or parses,
for a text that did not compile to begin with); the finding survives its own fix; all fixes applied together
(`apply_fixes`, unsafe ones included) break the file, drop a fix that would not parse, or do not settle, so
that a second round still changes something. The counters say how much was exercised.
"""

from __future__ import annotations

import ast
import contextlib
import warnings
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from fastapi_patterns.engine import Config, analyze, apply_fixes
from fastapi_patterns.engine import rule as rule_module
from fastapi_patterns.engine.document import Document
from fastapi_patterns.engine.fixes import apply_edits
from fastapi_patterns.engine.types import Analysis, Edit, Finding, Fix, FixSafety, Position

MAX_ROUNDS = 12  # apply_fixes' own bound; reaching it means the fixes never settled


@dataclass(frozen=True)
class KnownDefect:
    """A defect already reported against a rule, recognised by the problem text (its rule code, or the title of
    its fix when apply_fixes had to drop it) and by something in the source, so that it is counted apart instead
    of failing every run until the rule is fixed. A test checks each one still happens."""

    code: str
    problem_marks: tuple[str, ...]
    source_mark: str
    reason: str

    def matches(self, source: str, problem: str) -> bool:
        return any(mark in problem for mark in self.problem_marks) and self.source_mark in source


KNOWN_DEFECTS: tuple[KnownDefect, ...] = ()  # none open (FAP206's duplicate-argument fix was the last, now fixed)


@dataclass
class FixReport:
    """What one program exercised, every property it broke, and the known defects it ran into."""

    findings: int = 0
    fixes_tried: int = 0  # fixes applied alone
    fixes_applied: int = 0  # fixes applied together by apply_fixes
    problems: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)

    def add(self, other: "FixReport") -> None:
        self.findings += other.findings
        self.fixes_tried += other.fixes_tried
        self.fixes_applied += other.fixes_applied
        self.problems.extend(other.problems)
        self.known.extend(other.known)

    def set_known_apart(self, source: str) -> None:
        for problem in list(self.problems):
            if any(defect.matches(source, problem) for defect in KNOWN_DEFECTS):
                self.problems.remove(problem)
                self.known.append(problem)


_build_failures: list[str] = []


@contextlib.contextmanager
def fix_build_failures_recorded() -> Iterator[list[str]]:
    """Collect the failures of fix builders (the engine swallows them so an editor never sees a crash)."""
    original = rule_module._build_fix

    def recording(factory: Any, fixer: Any, *args: Any) -> Optional[Fix]:
        before = len(fixer.failures)
        result = original(factory, fixer, *args)
        _build_failures.extend(fixer.failures[before:])
        return result

    rule_module._build_fix = recording  # type: ignore[assignment]
    try:
        yield _build_failures
    finally:
        rule_module._build_fix = original


def compiles(source: str) -> bool:
    """CPython compiles the text (compiling runs nothing)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<program>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def check_program(source: str, path: str = "app/main.py", config: Optional[Config] = None,
                  workspace: Any = None) -> FixReport:
    """Every property of one program; an empty `problems` list means the program passed."""
    config = config or Config()
    report = FixReport()
    with fix_build_failures_recorded() as build_failures:
        build_failures.clear()
        try:
            analysis = analyze(source, path, config, workspace)
        except Exception as error:  # the engine promises never to raise
            report.problems.append(f"analyze() raised {type(error).__name__}: {error}")
            return report
        report.findings = len(analysis.findings)
        report.problems.extend(f"rule {f.code} failed: {f.error}" for f in analysis.failures)
        if not analysis.parsed:
            return report
        strict: Optional[bool] = compiles(source)
        if not strict and not parses(source):  # no trigger word, so never parsed: nothing may change it
            strict = None
        for finding in analysis.findings:
            for fix in _applicable(analysis, finding):
                report.fixes_tried += 1
                report.problems.extend(_check_alone(source, path, config, workspace, analysis, finding, fix, strict))
        report.problems.extend(_check_together(source, path, config, workspace, strict, report))
        report.problems.extend(f"a fix could not be built: {failure}" for failure in build_failures)
        build_failures.clear()
    report.set_known_apart(source)
    return report


def _applicable(analysis: Analysis, finding: Finding) -> tuple[Fix, ...]:
    try:
        fixes = analysis.fixes_for(finding)
    except Exception as error:
        raise AssertionError(f"{finding.code}: building its fixes raised {type(error).__name__}: {error}")
    return tuple(fix for fix in fixes if fix.safety is not FixSafety.DISPLAY_ONLY and fix.edits)


def _check_alone(source: str, path: str, config: Config, workspace: Any, analysis: Analysis, finding: Finding,
                 fix: Fix, strict: Optional[bool]) -> list[str]:
    where = f"{finding.code} at {finding.span.start.line + 1}:{finding.span.start.column + 1} ({fix.title!r})"
    try:
        fixed = apply_edits(Document(source, path), fix.edits)
    except ValueError as error:
        return [f"{where}: its edits cannot be applied: {error}"]
    if not _still_valid(fixed, strict):
        return [f"{where}: applied alone, the file no longer {'compiles' if strict else 'parses'}"]
    after = analyze(fixed, path, config, workspace)
    line = _moved_line(finding.span.start.line, finding.span.start.column, fix.edits)
    before_count = _count(analysis, finding.code, finding.span.start.line)
    if _count(after, finding.code, line) >= before_count:
        return [f"{where}: the finding survives its own fix"]
    return [f"rule {f.code} failed after {where}: {f.error}" for f in after.failures]


def _still_valid(text: str, strict: Optional[bool]) -> bool:
    """`strict`: the original compiled (True), only parsed (False), or did not even parse (None)."""
    if strict is None:
        return True
    return compiles(text) if strict else parses(text)


def _count(analysis: Analysis, code: str, line: int) -> int:
    return sum(1 for f in analysis.findings if f.code == code and f.span.start.line == line)


def _moved_line(line: int, column: int, edits: tuple[Edit, ...]) -> int:
    """Where a position's line ends up after the edits: edits before it shift it by the lines they add or
    remove; an edit that covers it moves it to that edit's start."""
    position = Position(line, column)
    for edit in edits:
        if edit.span.start < position < edit.span.end:
            position = edit.span.start
    shift = sum(edit.new_text.count("\n") - (edit.span.end.line - edit.span.start.line)
                for edit in edits if edit.span.end <= position)
    return position.line + shift


def _check_together(source: str, path: str, config: Config, workspace: Any, strict: Optional[bool],
                    report: FixReport) -> list[str]:
    problems: list[str] = []
    first = apply_fixes(source, path, config, unsafe=True, workspace=workspace)
    report.fixes_applied += first.applied
    problems.extend(f"apply_fixes: {p}" for p in first.problems if p.startswith("skipped a fix"))
    if not _still_valid(first.source, strict) or (strict is None and first.source != source):
        problems.append("apply_fixes returned a file that no longer compiles")
        return problems
    if first.rounds >= MAX_ROUNDS:
        problems.append(f"apply_fixes did not settle in {MAX_ROUNDS} rounds")
    second = apply_fixes(first.source, path, config, unsafe=True, workspace=workspace)
    if second.applied or second.source != first.source:
        codes = sorted({f.code for f in (second.analysis.findings if second.analysis else ()) if f.fixable})
        problems.append(f"a second round of fixes changed the file again (fixable left: {', '.join(codes)})")
    return problems
