"""Building and applying fixes.

`FixContext` is what a rule's fix callable receives: edits straight from `ast` positions, an add-import helper
that extends an existing `from x import ...` or adds one line in the right import block (once), and a libcst
module of the same document, parsed only when a structural rewrite asks for it. `apply_edits` applies one set of
non-overlapping edits; `apply_fixes` loops analysis and fixing to a fixed point, re-parsing after every round and
never returning text that does not parse.
"""

from __future__ import annotations

import ast
import sys
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Optional

from .document import Document
from .names import BindingKind, SymbolTable
from .types import Edit, Fix, FixSafety, Position, Span

if TYPE_CHECKING:
    from .config import Config
    from .types import Analysis

_STDLIB = frozenset(sys.stdlib_module_names)


class FixContext:
    """Helpers for one document version; a fix callable gets this and returns edits."""

    def __init__(self, document: Document, names: Optional[SymbolTable]) -> None:
        self.document = document
        self.names = names
        self.failures: list[str] = []
        self._cst: Any = None

    # -- plain edits -------------------------------------------------------------------------------------

    def span(self, node: ast.AST) -> Span:
        return self.document.node_span(node)

    def text(self, node: ast.AST) -> str:
        return self.document.node_text(node)

    def replace(self, node: ast.AST, new_text: str) -> Edit:
        return Edit(self.span(node), new_text)

    def insert(self, position: Position, text: str) -> Edit:
        return Edit(Span(position, position), text)

    def insert_before(self, node: ast.AST, text: str) -> Edit:
        return self.insert(self.span(node).start, text)

    def insert_after(self, node: ast.AST, text: str) -> Edit:
        return self.insert(self.span(node).end, text)

    def delete(self, span: Span) -> Edit:
        return Edit(span, "")

    @property
    def cst(self) -> Any:
        """The libcst module for this document version (parsed on first use)."""
        if self._cst is None:
            import libcst

            self._cst = libcst.parse_module(self.document.source)
        return self._cst

    # -- imports -----------------------------------------------------------------------------------------

    def bound_name(self, qualified: str) -> Optional[str]:
        """A module-level name already bound to `qualified` (e.g. `status` for fastapi.status), if any."""
        if self.names is None:
            return None
        for name, bindings in self.names.module_scope.bindings.items():
            last = bindings[-1]
            if last.kind is BindingKind.IMPORT and last.qualified_name == qualified:
                return name
        return None

    def add_import(self, module: str, name: Optional[str] = None) -> tuple[str, list[Edit]]:
        """Make `module.name` (or module `module`) usable; returns the local name and the edits needed.

        An existing binding is reused; otherwise `name` is appended to an existing `from module import ...`
        at module level, or a new import line goes after the last import of the same block (future, standard
        library, third party, local), or before the first import of a later block, or after the docstring.
        """
        qualified = f"{module}.{name}" if name else module
        existing = self.bound_name(qualified)
        if existing is not None:
            return existing, []
        local = name or module.split(".")[0]
        tree = self.document.tree
        if tree is None:
            return local, []
        if name is not None:
            for stmt in tree.body:
                if (isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module == module
                        and not any(a.name == "*" for a in stmt.names)):
                    return local, [self._extend_from_import(stmt, name)]
        line = f"from {module} import {name}" if name else f"import {module}"
        return local, [self._new_import_line(tree, line, module)]

    def _extend_from_import(self, stmt: ast.ImportFrom, name: str) -> Edit:
        """Append `name` to an import, on its own line when the import is one name per line."""
        last = stmt.names[-1]
        end = self.span(last).end
        rest = self.document.line_text(end.line)[end.column:]
        if stmt.end_lineno != stmt.lineno and rest.strip() == ",":
            indent = self.document.line_indent(end.line)
            return self.insert(Position(end.line, end.column + 1), f"{self.document.newline}{indent}{name},")
        return self.insert(end, f", {name}")

    def _new_import_line(self, tree: ast.Module, line: str, module: str) -> Edit:
        newline = self.document.newline
        rank = _block_rank(module, 0)
        top_level = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
        same_block = [s for s in top_level if _statement_rank(s) == rank]
        new_key = (line.startswith("from "), module)
        later = [s for s in same_block if _sort_key(s) > new_key]
        if later:  # keep the block sorted: straight imports first, then from-imports, by module
            return self.insert(Position(later[0].lineno - 1, 0), line + newline)
        same_or_before = [s for s in top_level if _statement_rank(s) <= rank]
        after = [s for s in top_level if _statement_rank(s) > rank]
        if same_or_before:
            anchor = same_or_before[-1]
            # a first import of its block is set apart from the block before it by a blank line
            lead = "" if same_block else newline
            end_line = (anchor.end_lineno or anchor.lineno) - 1
            if end_line + 1 < len(self.document.lines):
                following = [s for s in after if s.lineno - 1 == end_line + 1]
                trail = newline if following and not same_block else ""
                return self.insert(Position(end_line + 1, 0), lead + line + newline + trail)
            return self.insert(Position(end_line, len(self.document.lines[end_line])), newline + lead + line)
        if after:  # the first import of an earlier block, before the later blocks, with a blank line between
            return self.insert(Position(after[0].lineno - 1, 0), line + newline + newline)
        insert_line = 0
        body = tree.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(
            body[0].value.value, str
        ):
            insert_line = body[0].end_lineno or body[0].lineno
        else:
            while insert_line < len(self.document.lines) and self.document.lines[insert_line].startswith("#"):
                insert_line += 1
        if insert_line >= len(self.document.lines):
            last = len(self.document.lines) - 1
            return self.insert(Position(last, len(self.document.lines[last])), newline + line + newline)
        return self.insert(Position(insert_line, 0), line + newline)


def _block_rank(module: str, level: int) -> int:
    if level > 0:
        return 3
    root = module.split(".")[0]
    if root == "__future__":
        return 0
    if root in _STDLIB:
        return 1
    return 2


def _sort_key(stmt: ast.stmt) -> tuple[bool, str]:
    if isinstance(stmt, ast.ImportFrom):
        return (True, "." * stmt.level + (stmt.module or ""))
    assert isinstance(stmt, ast.Import)
    return (False, stmt.names[0].name)


def _statement_rank(stmt: ast.stmt) -> int:
    if isinstance(stmt, ast.ImportFrom):
        return _block_rank(stmt.module or "", stmt.level)
    assert isinstance(stmt, ast.Import)
    return _block_rank(stmt.names[0].name, 0)


# -- applying -------------------------------------------------------------------------------------------


def apply_edits(document: Document, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (identical duplicates collapse into one) to the document's text."""
    unique = sorted(set(edits), key=lambda e: (e.span.start, e.span.end), reverse=True)
    text = document.source
    previous_start: Optional[int] = None
    for edit in unique:
        start, end = document.offset(edit.span.start), document.offset(edit.span.end)
        if previous_start is not None and end > previous_start:
            raise ValueError("overlapping edits")
        text = text[:start] + edit.new_text + text[end:]
        previous_start = start
    return text


def select_compatible(fixes: Iterable[Fix]) -> list[Fix]:
    """Greedy choice of whole fixes whose edits do not overlap already chosen ones (identical edits may repeat)."""
    chosen: list[Fix] = []
    taken: set[Edit] = set()
    for fix in fixes:
        own = [e for e in fix.edits if e not in taken]
        if any(e.span.overlaps(t.span) or _same_point(e, t) for e in own for t in taken):
            continue
        if any(a.span.overlaps(b.span) for i, a in enumerate(own) for b in own[i + 1:]):
            continue
        chosen.append(fix)
        taken.update(own)
    return chosen


def _same_point(a: Edit, b: Edit) -> bool:
    """Two different insertions at one point would be ordered arbitrarily: keep only the first."""
    return a.span.start == a.span.end == b.span.start == b.span.end and a.new_text != b.new_text


@dataclass
class FixOutcome:
    source: str
    applied: int = 0
    rounds: int = 0
    analysis: Optional["Analysis"] = None
    problems: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.applied > 0


def allowed(fix: Fix, unsafe: bool) -> bool:
    return fix.safety is FixSafety.SAFE or (unsafe and fix.safety is FixSafety.UNSAFE)


def apply_fixes(source: str, path: str, config: "Config", *, unsafe: bool = False, max_rounds: int = 12,
                codes: Optional[frozenset[str]] = None, workspace: Any = None) -> FixOutcome:
    """Apply every applicable fix, round after round, until nothing changes; the result always parses."""
    from .runner import analyze

    outcome = FixOutcome(source)
    strict = _compiles(source)  # a file that compiles must still compile: `await` outside a coroutine parses
    for _ in range(max_rounds):
        analysis = analyze(outcome.source, path, config, workspace)
        outcome.analysis = analysis
        if not analysis.parsed:
            outcome.problems.append("the file does not parse; no fix applied")
            break
        fixes = []
        for finding in analysis.findings:
            if codes is not None and finding.code not in codes:
                continue
            fix = analysis.fix_for(finding)
            if fix is not None and allowed(fix, unsafe):
                fixes.append(fix)
        chosen = select_compatible(fixes)
        if not chosen:
            break
        document = Document(outcome.source, path)
        new_source = apply_edits(document, [e for f in chosen for e in f.edits])
        if not _valid(new_source, strict):
            chosen = _one_by_one(document, chosen, outcome, strict)
            if not chosen:
                break
            new_source = apply_edits(document, [e for f in chosen for e in f.edits])
        if new_source == outcome.source:
            break
        outcome.source = new_source
        outcome.applied += len(chosen)
        outcome.rounds += 1
    return outcome


def _one_by_one(document: Document, chosen: list[Fix], outcome: FixOutcome, strict: bool) -> list[Fix]:
    kept: list[Fix] = []
    for fix in chosen:
        if _valid(apply_edits(document, [e for f in [*kept, fix] for e in f.edits]), strict):
            kept.append(fix)
        else:
            outcome.problems.append(f"skipped a fix that would not parse: {fix.title}")
    return kept


def _valid(source: str, strict: bool) -> bool:
    return _compiles(source) if strict else _parses(source)


def _compiles(source: str) -> bool:
    """Whether CPython compiles the text (this also rejects `await` outside a coroutine, `return` outside a
    function and similar, which the parser alone accepts). Compiling is not running: nothing is executed.
    CPython's warnings about the user's code (`1()`, `x is "a"`) are not ours to print."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
