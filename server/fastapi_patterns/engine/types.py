"""Plain value types shared by the engine, the rules, the command line and the language server.

Everything here is a frozen dataclass or an enum with no behaviour beyond small conveniences, so the
adapters can convert findings and fixes to their own formats without depending on how they were computed.
Positions are 0-based lines and code-point columns throughout the engine.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Callable, Optional


class Severity(enum.IntEnum):
    """Default severity of a rule; the numbers match LSP's DiagnosticSeverity."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        key = text.strip().upper()
        if key == "INFO":
            key = "INFORMATION"
        return cls[key]


class FixSafety(enum.Enum):
    """How much a fix can be trusted: SAFE keeps behaviour, UNSAFE may change it, DISPLAY_ONLY is never applied."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True, order=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True, order=True)
class Span:
    start: Position
    end: Position

    @classmethod
    def of(cls, start_line: int, start_col: int, end_line: int, end_col: int) -> "Span":
        return cls(Position(start_line, start_col), Position(end_line, end_col))

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: "Span") -> bool:
        """True when the spans share text; touching insertions at distinct points do not overlap."""
        if self.start == self.end or other.start == other.end:
            return self.start < other.end and other.start < self.end
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Edit:
    """Replace the text in ``span`` by ``new_text`` (an insertion when the span is empty)."""

    span: Span
    new_text: str


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    safety: FixSafety


FixBuilder = Callable[[], Optional[Fix]]


@dataclass(frozen=True)
class Finding:
    """One diagnostic: which rule, where, what it says, and (lazily) how to fix it."""

    code: str
    name: str
    message: str
    severity: Severity
    span: Span
    fix_title: Optional[str] = None
    fix_safety: Optional[FixSafety] = None
    build_fix: Optional[FixBuilder] = field(default=None, compare=False, repr=False, hash=False)
    build_alternatives: Optional[Callable[[], tuple[Fix, ...]]] = field(
        default=None, compare=False, repr=False, hash=False
    )

    @property
    def fixable(self) -> bool:
        return self.build_fix is not None

    def sort_key(self) -> tuple[int, int, str]:
        return (self.span.start.line, self.span.start.column, self.code)


@dataclass(frozen=True)
class RuleFailure:
    """A rule raised while analysing a file: reported, never allowed to hide the other rules' findings."""

    code: str
    error: str


@dataclass(frozen=True)
class Analysis:
    """The result of analysing one version of one document."""

    path: str
    source: str
    findings: tuple[Finding, ...]
    failures: tuple[RuleFailure, ...] = ()
    parsed: bool = True
    skipped: Optional[str] = None
    cross_file: bool = False  # some rule asked the workspace: other files' changes may change these findings
    whole_workspace: bool = False  # ...and asked about all of it (routes, callers), not only what the file imports

    def fix_for(self, finding: Finding) -> Optional[Fix]:
        if finding.build_fix is None:
            return None
        return finding.build_fix()

    def fixes_for(self, finding: Finding) -> tuple[Fix, ...]:
        """The primary fix (if any) followed by the alternatives a rule offers for the editor."""
        primary = self.fix_for(finding)
        extra = finding.build_alternatives() if finding.build_alternatives is not None else ()
        return ((primary,) if primary is not None else ()) + tuple(extra)
