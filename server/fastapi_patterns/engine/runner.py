"""`analyze()`: the one entry point that turns a document version into findings.

It selects the enabled rules, skips files that mention no framework the rules care about after a substring
test (no parse at all), parses once, builds the symbol table and the FastAPI model once, and walks the tree
once (the symbol table's own pass records the visit order), handing each node to the rules subscribed to its
type (the design of ruff's checker). Decorators, defaults and annotations belong to the scope that evaluates
them; a function's body to its own scope. A
rule that raises is switched off for that file and recorded as a failure; the other rules still report.
Suppression comments are applied last.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from typing import Any, Iterator, Optional, Sequence

from .config import Config
from .document import Document
from .fastapi_model import build_model
from .fixes import FixContext
from .names import SymbolTable
from .rule import Rule, RuleContext
from .suppression import parse_suppressions
from .types import Analysis, Finding, RuleFailure



def default_rules() -> Sequence[Rule]:
    from ..rules import ALL_RULES

    return ALL_RULES


_gc_lock = threading.Lock()
_gc_holders = 0
_gc_was_enabled = False


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a tree is built and walked: an `ast` tree is many small
    objects and no cycles, and collections triggered by them cost a third of the analysis time."""
    global _gc_holders, _gc_was_enabled
    with _gc_lock:
        _gc_holders += 1
        if _gc_holders == 1:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                gc.enable()


def analyze(source: str, path: str = "<unknown>", config: Optional[Config] = None, workspace: Any = None,
            rules: Optional[Sequence[Rule]] = None, module_name: str = "") -> Analysis:
    """Analyse one version of one file. Never raises for bad input: problems become findings or failures.

    `workspace` is a `WorkspaceIndex` holding the project (or a `WorkspaceView` on it): cross-file rules ask it.
    Without one, they see this file alone, and rules that must see the whole project stay silent."""
    config = config or Config()
    all_rules = default_rules() if rules is None else rules
    if len(source) > config.max_file_size:
        return Analysis(path, source, (), skipped=f"larger than max-file-size ({config.max_file_size} bytes)")
    enabled = [r for r in all_rules if config.is_enabled(r.code, r.opt_in, path)]
    active = [r for r in enabled if any(word in source for word in r.trigger_words)]
    if not active:
        return Analysis(path, source, ())
    with _gc_paused():
        return _analyze_parsed(Document(source, path), config, enabled, active, module_name, workspace)


def _analyze_parsed(document: Document, config: Config, enabled: Sequence[Rule], active: Sequence[Rule],
                    module_name: str, workspace: Any) -> Analysis:
    tree = document.tree
    if tree is None:
        return _syntax_error_analysis(document, enabled, config)
    names = SymbolTable(tree, module_name)
    model = build_model(tree, names)
    ctx = RuleContext(document, names, model, config, FixContext(document, names), workspace)
    failures = _walk(names, ctx, active)
    suppressions = parse_suppressions(document)
    findings = sorted(
        (f for f in ctx.findings if not suppressions.suppresses(f.span.start.line, f.code)),
        key=Finding.sort_key,
    )
    return Analysis(document.path, document.source, tuple(findings), tuple(failures),
                    cross_file=ctx.asked_workspace, whole_workspace=ctx.asked_whole_workspace)


def _walk(names: SymbolTable, ctx: RuleContext, rules: Sequence[Rule]) -> list[RuleFailure]:
    """Hand every node, in source order, to the rules subscribed to its type, with its enclosing scopes set."""
    dispatch: dict[type, list[Rule]] = {}
    for rule in rules:
        for node_type in rule.node_types:
            dispatch.setdefault(node_type, []).append(rule)
    failures: list[RuleFailure] = []
    broken: set[str] = set()
    for node, scope in names.visit_order:
        subscribed = dispatch.get(type(node))
        if not subscribed:
            continue
        ctx.scope_stack = scope.owners  # type: ignore[assignment]
        for rule in subscribed:
            if rule.code in broken:
                continue
            ctx.rule = rule
            try:
                rule.visit(node, ctx)
            except Exception as error:  # isolate the rule, keep the others
                broken.add(rule.code)
                failures.append(RuleFailure(rule.code, f"{type(error).__name__}: {error}"))
        ctx.rule = None
    return failures


def _syntax_error_analysis(document: Document, enabled: Sequence[Rule], config: Config) -> Analysis:
    from ..rules.syntax_error import SyntaxErrorRule

    findings: tuple[Finding, ...] = ()
    if config.show_syntax_errors and any(r.code == SyntaxErrorRule.code for r in enabled):
        findings = (SyntaxErrorRule.finding_for(document, config),)
    return Analysis(document.path, document.source, findings, parsed=False)
