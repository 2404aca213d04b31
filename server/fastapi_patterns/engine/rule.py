"""The rule unit: the `Rule` base class, its test cases, and the context a rule sees while it runs.

A rule declares its metadata as class attributes, documents itself in its Markdown docstring, lists `VALID` and
`INVALID` cases (which are its tests and its examples), subscribes to `ast` node types, and reports findings
through the `RuleContext`. Fixes are passed as callables and built only when somebody asks for them.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterable, Mapping, Optional, Sequence, Union

from .config import Config
from .document import Document
from .fastapi_model import FastApiModel, PathOperation
from .fixes import FixContext
from .names import FunctionNode, SymbolTable
from .types import Edit, Finding, Fix, FixSafety, Severity, Span

FRAMEWORK_WORDS = ("fastapi", "starlette", "pydantic", "sqlalchemy", "sqlmodel")
ScopeOwner = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef]


@dataclass(frozen=True)
class Valid:
    """Code the rule must not flag."""

    code: str
    config: Mapping[str, Any] = field(default_factory=dict)
    path: str = "app/main.py"


@dataclass(frozen=True)
class Invalid:
    """Code the rule must flag `count` times; `fixed` is the whole file after applying every fix of the rule.

    `fixed=None` means the rule offers no fix here. `unsafe=True` applies unsafe fixes too.
    """

    code: str
    fixed: Optional[str] = None
    count: int = 1
    unsafe: bool = False
    config: Mapping[str, Any] = field(default_factory=dict)
    path: str = "app/main.py"


class Rule:
    """Base class of every rule. Subclasses set the metadata and implement `visit`."""

    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]  # str.format template, filled by report(**kwargs)
    fix_title: ClassVar[Optional[str]] = None
    fix_safety: ClassVar[Optional[FixSafety]] = None
    mixed_fix_safety: ClassVar[bool] = False  # some findings get a safe fix, others an unsafe one (see the docs)
    severity: ClassVar[Severity] = Severity.WARNING
    opt_in: ClassVar[bool] = False
    node_types: ClassVar[tuple[type[ast.AST], ...]] = ()
    trigger_words: ClassVar[tuple[str, ...]] = FRAMEWORK_WORDS
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    def visit(self, node: Any, ctx: "RuleContext") -> None:
        raise NotImplementedError

    @classmethod
    def documentation(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


FixFactory = Callable[[FixContext], Union[Fix, Sequence[Edit], None]]


class RuleContext:
    """Everything a rule may read while visiting a file, plus `report`."""

    def __init__(self, document: Document, names: SymbolTable, model: FastApiModel, config: Config,
                 fixer: FixContext) -> None:
        self.document = document
        self.names = names
        self.model = model
        self.config = config
        self.fixer = fixer
        self.scope_stack: Sequence[ScopeOwner] = ()
        self.findings: list[Finding] = []
        self.rule: Optional[Rule] = None

    @property
    def path(self) -> str:
        return self.document.path

    # -- where are we ------------------------------------------------------------------------------------

    def enclosing_scope(self) -> Optional[ScopeOwner]:
        return self.scope_stack[-1] if self.scope_stack else None

    def enclosing_function(self) -> Optional[ScopeOwner]:
        """The innermost def/async def/lambda around the current node (a class in between counts as a wall)."""
        for owner in reversed(self.scope_stack):
            if isinstance(owner, ast.ClassDef):
                return None
            return owner
        return None

    def in_coroutine(self) -> Optional[ast.AsyncFunctionDef]:
        """The `async def` whose own body the current node runs in, or None (nested defs/lambdas break it)."""
        owner = self.enclosing_function()
        return owner if isinstance(owner, ast.AsyncFunctionDef) else None

    def operations(self, function: Optional[ast.AST]) -> list[PathOperation]:
        return self.model.operations_of(function) if function is not None else []

    def qualified_name(self, node: ast.expr) -> Optional[str]:
        return self.names.qualified_name(node)

    # -- reporting ---------------------------------------------------------------------------------------

    def report(self, where: Union[ast.AST, Span], fix: Optional[FixFactory] = None, *,
               fix_safety: Optional[FixSafety] = None, alternatives: Optional[Callable[[FixContext], Iterable[Fix]]] = None,
               **message_args: Any) -> None:
        rule = self.rule
        assert rule is not None, "report() called outside a rule visit"
        span = where if isinstance(where, Span) else self.document.node_span(where)
        safety = fix_safety or rule.fix_safety or FixSafety.UNSAFE
        title = rule.fix_title or "Apply fix"
        build = None
        if fix is not None:
            build = _memoize(functools.partial(_build_fix, fix, self.fixer, title, safety, rule.code))
        extra = None
        if alternatives is not None:
            factory = alternatives
            extra = _memoize(lambda: tuple(factory(self.fixer)))
        self.findings.append(
            Finding(
                code=rule.code,
                name=rule.name,
                message=rule.message.format(**message_args) if message_args else rule.message,
                severity=self.config.severity_of(rule.code, rule.severity),
                span=span,
                fix_title=title if fix is not None else None,
                fix_safety=safety if fix is not None else None,
                build_fix=build,
                build_alternatives=extra,
            )
        )


def _build_fix(factory: FixFactory, fixer: FixContext, title: str, safety: FixSafety, code: str) -> Optional[Fix]:
    try:
        result = factory(fixer)
    except Exception as error:  # a fix that cannot be built is not offered; analysis goes on
        fixer.failures.append(f"{code}: fix failed: {type(error).__name__}: {error}")
        return None
    if result is None:
        return None
    if isinstance(result, Fix):
        return result
    edits = tuple(result)
    return Fix(title, edits, safety) if edits else None


def _memoize(function: Callable[[], Any]) -> Callable[[], Any]:
    cache: list[Any] = []

    def wrapper() -> Any:
        if not cache:
            cache.append(function())
        return cache[0]

    return wrapper


def function_of(node: ast.AST) -> Optional[FunctionNode]:
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
