"""The rule unit: the `Rule` base class, its test cases, and the context a rule sees while it runs.

A rule declares its metadata as class attributes, documents itself in its Markdown docstring, lists `VALID` and
`INVALID` cases (which are its tests and its examples), subscribes to `ast` node types, and reports findings
through the `RuleContext`. Fixes are passed as callables and built only when somebody asks for them.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, Mapping, Optional, Sequence, Union

from .config import Config
from .document import Document
from .fastapi_model import FastApiModel, PathOperation
from .fixes import FixContext
from .names import FunctionNode, SymbolTable
from .types import Edit, Finding, Fix, FixSafety, Severity, Span

if TYPE_CHECKING:
    from .workspace.index import WorkspaceIndex
    from .workspace.view import WorkspaceView

FRAMEWORK_WORDS = ("fastapi", "starlette", "pydantic", "sqlalchemy", "sqlmodel")
ScopeOwner = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef]


CASE_ROOT = "/fastapi-patterns-case"  # where a case's project lives; never read from disk


class _Case:
    code: str
    path: str
    files: Mapping[str, str]

    def project(self) -> tuple[str, Optional["WorkspaceIndex"]]:
        """The path to analyse the case at, and the index of its project when it has other modules (`files`,
        by path relative to the project root: the case itself is `path` in the same project)."""
        if not self.files:
            return self.path, None
        from .workspace.index import build_index

        here = f"{CASE_ROOT}/{self.path}"
        sources = [(f"{CASE_ROOT}/{name}", text) for name, text in self.files.items()]
        return here, build_index([CASE_ROOT], [*sources, (here, self.code)])


@dataclass(frozen=True)
class Valid(_Case):
    """Code the rule must not flag; `files` are the other modules of its project, if any."""

    code: str
    config: Mapping[str, Any] = field(default_factory=dict)
    path: str = "app/main.py"
    files: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Invalid(_Case):
    """Code the rule must flag `count` times; `fixed` is the whole file after applying every fix of the rule.

    `fixed=None` means the rule offers no fix here. `unsafe=True` applies unsafe fixes too.
    """

    code: str
    fixed: Optional[str] = None
    count: int = 1
    unsafe: bool = False
    config: Mapping[str, Any] = field(default_factory=dict)
    path: str = "app/main.py"
    files: Mapping[str, str] = field(default_factory=dict)


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
                 fixer: FixContext, workspace: Any = None) -> None:
        self.document = document
        self.names = names
        self.model = model
        self.config = config
        self.fixer = fixer
        self._workspace_given = workspace
        self._workspace: Optional[WorkspaceView] = None
        self.asked_workspace = False
        self.scope_stack: Sequence[ScopeOwner] = ()
        self.findings: list[Finding] = []
        self.rule: Optional[Rule] = None

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def asked_whole_workspace(self) -> bool:
        return self._workspace is not None and self._workspace.asked_whole

    @property
    def workspace(self) -> "WorkspaceView":
        """The cross-file view for this file, built on first use (from this file alone when no index was given)."""
        self.asked_workspace = True
        if self._workspace is None:
            from .workspace.index import WorkspaceIndex
            from .workspace.view import WorkspaceView, standalone_view

            given = self._workspace_given
            if isinstance(given, WorkspaceView):
                self._workspace = given
            elif isinstance(given, WorkspaceIndex):
                self._workspace = WorkspaceView(given, self.path, complete=given.complete)
            else:
                self._workspace = standalone_view(self.path, self.document.source)
        return self._workspace

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
               severity: Optional[Severity] = None, **message_args: Any) -> None:
        """Record a finding on `where`; `severity` replaces the rule's default for this one (configuration wins)."""
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
                severity=self.config.severity_of(rule.code, severity or rule.severity),
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
