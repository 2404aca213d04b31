"""Plain, picklable results of checking one file, as they travel back from a worker process to the reporter.

An engine `Finding` holds a closure that builds its fix on demand, which cannot cross a process boundary; an
`Issue` holds the fix already built (when the output format needs it) and nothing else that is live.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..engine.types import Finding, Fix, FixSafety, Severity, Span


@dataclass(frozen=True)
class Issue:
    code: str
    name: str
    message: str
    severity: Severity
    span: Span  # 0-based lines, code-point columns
    fix_safety: Optional[FixSafety]
    fix: Optional[Fix] = None  # built only for formats that print edits

    @classmethod
    def from_finding(cls, finding: Finding, fix: Optional[Fix] = None) -> "Issue":
        return cls(finding.code, finding.name, finding.message, finding.severity, finding.span,
                   finding.fix_safety, fix)


@dataclass(frozen=True)
class FileResult:
    """Everything the reporter needs about one file, in the order files are reported."""

    path: str  # absolute
    display: str  # as shown to the user
    issues: tuple[Issue, ...] = ()
    fixed: int = 0  # fixes applied (with --fix) or that would be applied (with --diff)
    diff: str = ""
    errors: tuple[str, ...] = ()  # the file could not be fully checked or fixed: the run exits 2
    notes: tuple[str, ...] = ()  # worth saying, not a failure
    scope: str = "file"  # what its findings depend on: the file alone, what it imports, or the whole "workspace"
