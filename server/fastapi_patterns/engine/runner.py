"""`analyze()`: the one entry point that turns a document version into findings.

It selects the enabled rules, skips files that mention no framework the rules care about after a substring
test (no parse at all), parses once, builds the symbol table and the FastAPI model once, and walks the tree
once, handing each node to the rules subscribed to its type (the design of ruff's checker). Decorators,
defaults and annotations are visited in the scope that evaluates them; a function's body in its own scope. A
rule that raises is switched off for that file and recorded as a failure; the other rules still report.
Suppression comments are applied last.
"""

from __future__ import annotations

import ast
from typing import Any, Optional, Sequence

from .config import Config
from .document import Document
from .fastapi_model import build_model
from .fixes import FixContext
from .names import SymbolTable
from .rule import Rule, RuleContext
from .suppression import parse_suppressions
from .types import Analysis, Finding, RuleFailure

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_ENTER, _EXIT = object(), object()


def default_rules() -> Sequence[Rule]:
    from ..rules import ALL_RULES

    return ALL_RULES


def analyze(source: str, path: str = "<unknown>", config: Optional[Config] = None, workspace: Any = None,
            rules: Optional[Sequence[Rule]] = None, module_name: str = "") -> Analysis:
    """Analyse one version of one file. Never raises for bad input: problems become findings or failures."""
    config = config or Config()
    all_rules = default_rules() if rules is None else rules
    if len(source) > config.max_file_size:
        return Analysis(path, source, (), skipped=f"larger than max-file-size ({config.max_file_size} bytes)")
    enabled = [r for r in all_rules if config.is_enabled(r.code, r.opt_in, path)]
    active = [r for r in enabled if any(word in source for word in r.trigger_words)]
    if not active:
        return Analysis(path, source, ())
    document = Document(source, path)
    tree = document.tree
    if tree is None:
        return _syntax_error_analysis(document, enabled, config)
    names = SymbolTable(tree, module_name)
    model = build_model(tree, names)
    ctx = RuleContext(document, names, model, config, FixContext(document, names))
    failures = _walk(tree, ctx, active)
    suppressions = parse_suppressions(document)
    findings = sorted(
        (f for f in ctx.findings if not suppressions.suppresses(f.span.start.line, f.code)),
        key=Finding.sort_key,
    )
    return Analysis(path, document.source, tuple(findings), tuple(failures))


def _walk(tree: ast.Module, ctx: RuleContext, rules: Sequence[Rule]) -> list[RuleFailure]:
    dispatch: dict[type, list[Rule]] = {}
    for rule in rules:
        for node_type in rule.node_types:
            dispatch.setdefault(node_type, []).append(rule)
    failures: list[RuleFailure] = []
    broken: set[str] = set()
    stack: list[Any] = [tree]
    while stack:
        item = stack.pop()
        if item is _EXIT:
            ctx.scope_stack.pop()
            continue
        if isinstance(item, tuple):  # (_ENTER, scope owner)
            ctx.scope_stack.append(item[1])
            continue
        node = item
        for rule in dispatch.get(type(node), ()):
            if rule.code in broken:
                continue
            ctx.rule = rule
            try:
                rule.visit(node, ctx)
            except Exception as error:  # isolate the rule, keep the others
                broken.add(rule.code)
                failures.append(RuleFailure(rule.code, f"{type(error).__name__}: {error}"))
        ctx.rule = None
        if isinstance(node, _SCOPES):
            stack.extend(reversed(_scoped_children(node)))
        else:
            stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return failures


def _scoped_children(node: ast.AST) -> list[Any]:
    """Children of a scope owner: outer-scope parts first, then (enter, body..., exit)."""
    if isinstance(node, ast.Lambda):
        outer: list[ast.AST] = [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]
        return [*outer, (_ENTER, node), node.args, node.body, _EXIT]
    if isinstance(node, ast.ClassDef):
        outer = [*node.decorator_list, *node.bases, *node.keywords]
        return [*outer, (_ENTER, node), *node.body, _EXIT]
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    outer = [*node.decorator_list, node.args]
    if node.returns is not None:
        outer.append(node.returns)
    return [*outer, (_ENTER, node), *node.body, _EXIT]


def _syntax_error_analysis(document: Document, enabled: Sequence[Rule], config: Config) -> Analysis:
    from ..rules.syntax_error import SyntaxErrorRule

    findings: tuple[Finding, ...] = ()
    if config.show_syntax_errors and any(r.code == SyntaxErrorRule.code for r in enabled):
        findings = (SyntaxErrorRule.finding_for(document, config),)
    return Analysis(document.path, document.source, findings, parsed=False)
