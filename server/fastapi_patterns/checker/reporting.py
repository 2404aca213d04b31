"""Human-readable output: one line per finding, a summary, and `--statistics`.

A finding prints as `path:line:col: CODE [*] message`, 1-based, columns in code points; `[*]` marks a fix that
`--fix` would apply (an unsafe one counts only with `--unsafe-fixes`). The summary says how many problems there
are, how many `--fix` can fix, and how many more `--unsafe-fixes` would enable.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterable

from ..engine.types import FixSafety
from .records import FileResult, Issue


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def applicable(issue: Issue, unsafe: bool) -> bool:
    return issue.fix_safety is FixSafety.SAFE or (unsafe and issue.fix_safety is FixSafety.UNSAFE)


def finding_lines(results: Iterable[FileResult], unsafe: bool) -> str:
    lines = []
    for result in results:
        for issue in result.issues:
            marker = "[*] " if applicable(issue, unsafe) else ""
            start = issue.span.start
            where = f"{result.display}:{start.line + 1}:{start.column + 1}"
            lines.append(f"{where}: {issue.code} {marker}{issue.message}\n")
    return "".join(lines)


def summary(results: Iterable[FileResult], unsafe: bool, fix_mode: bool) -> str:
    results = list(results)
    issues = [issue for result in results for issue in result.issues]
    fixed = sum(result.fixed for result in results)
    hidden = 0 if unsafe else sum(1 for issue in issues if issue.fix_safety is FixSafety.UNSAFE)
    lines = []
    if fix_mode and fixed:
        lines.append(f"Fixed {_plural(fixed, 'problem')}.")
    if not issues:
        lines.append("All checks passed.")
    elif fix_mode:
        remaining = " remaining" if fixed else ""
        noun = "problem" if len(issues) == 1 else "problems"
        lines.append(f"Found {len(issues)}{remaining} {noun}.")
    else:
        fixable = sum(1 for issue in issues if applicable(issue, unsafe))
        how = "--fix --unsafe-fixes" if unsafe else "--fix"
        detail = f" ({fixable} fixable with {how})" if fixable else ""
        lines.append(f"Found {_plural(len(issues), 'problem')}{detail}.")
    if hidden:
        fixes = "1 more fix" if hidden == 1 else f"{hidden} more fixes"
        lines.append(f"{fixes} can be enabled with --unsafe-fixes (unsafe fixes may change behaviour).")
    return "".join(line + "\n" for line in lines)


def diff_summary(results: Iterable[FileResult]) -> str:
    would_fix = sum(result.fixed for result in results)
    if not would_fix:
        return "No fixes to apply.\n"
    return f"Would fix {_plural(would_fix, 'problem')}.\n"


def _statistics_rows(results: Iterable[FileResult], unsafe: bool) -> list[tuple[int, str, str, bool]]:
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    fixable: dict[str, bool] = {}
    for result in results:
        for issue in result.issues:
            counts[issue.code] += 1
            names[issue.code] = issue.name
            fixable[issue.code] = fixable.get(issue.code, False) or applicable(issue, unsafe)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(count, code, names[code], fixable[code]) for code, count in ordered]


def statistics_text(results: Iterable[FileResult], unsafe: bool) -> str:
    rows = _statistics_rows(results, unsafe)
    if not rows:
        return ""
    count_width = max(len(str(count)) for count, *_ in rows)
    code_width = max(len(code) for _, code, *_ in rows)
    return "".join(
        f"{count:>{count_width}}  {code:<{code_width}}  {'[*]' if fix else '   '} {name}\n"
        for count, code, name, fix in rows
    )


def statistics_json(results: Iterable[FileResult], unsafe: bool) -> str:
    rows = [{"code": code, "name": name, "count": count, "fixable": fix}
            for count, code, name, fix in _statistics_rows(results, unsafe)]
    return json.dumps(rows, indent=2) + "\n"
