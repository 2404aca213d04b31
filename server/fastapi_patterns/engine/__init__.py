"""The pure analysis engine: documents, names, the FastAPI model, rules' runtime, fixes and configuration.

Nothing in this package imports an editor protocol library; the command line and the language server are thin
adapters over `analyze()` and `apply_fixes()`.
"""

from .config import Config, ConfigError
from .fixes import FixOutcome, apply_edits, apply_fixes
from .runner import analyze
from .types import Analysis, Edit, Finding, Fix, FixSafety, Position, Severity, Span

__all__ = [
    "Analysis", "Config", "ConfigError", "Edit", "Finding", "Fix", "FixOutcome", "FixSafety", "Position",
    "Severity", "Span", "analyze", "apply_edits", "apply_fixes",
]
