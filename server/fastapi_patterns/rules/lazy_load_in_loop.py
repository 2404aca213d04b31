"""FAP501 lazy-load-in-loop: a loop over query results reads a relationship the query did not load (N+1)."""

from __future__ import annotations

import ast
from typing import Callable, Optional

from ..engine.fixes import FixContext
from ..engine.rule import Rule, RuleContext
from ..engine.types import Edit, FixSafety, Severity
from ._call_arguments import append_keyword
from ._lazy_load_in_loop_cases import INVALID_CASES, VALID_CASES
from ._orm_queries import (
    YIELDS_INSTANCES, Loop, LoopOver, Traced, body_owner, loops_of, relationships_of, trace, walk_per_item,
    walk_scope,
)

LAZY_LOADS = (None, "select")  # the default strategy: one query the first time the attribute is read


class LazyLoadInLoop(Rule):
    """
    ## What it does
    Flags a relationship attribute read inside a loop (or comprehension) over the model instances of a query
    built in the same function, when the relationship loads lazily (the default) and the query has no loader
    option for it: `for user in session.scalars(select(User)): user.items`. It follows SQLAlchemy 2.0 style
    (`select(User)` run with `session.scalars(...)`, `session.execute(...).scalars()`, SQLModel's
    `session.exec(...)`, awaited or not, through local variables), the legacy `session.query(User)`, and finds
    the model and its relationships in whichever module of the workspace declares them.

    It stays silent when the relationship declares another loading strategy (`lazy="selectin"`, `"joined"`,
    `"subquery"`, `"immediate"`, `"dynamic"`, `"raise"`, ...), when any `.options(...)` of the function names the
    relationship or passes options it cannot read (`*loaders`), for column attributes, and for loops over
    anything it cannot trace to a query of that function (a helper's return value, a parameter).

    ## Why is this bad?
    A lazy relationship is fetched with its own query the first time it is read on each instance, so a loop over
    100 users runs 101 queries: the "N+1" problem, invisible in tests with three rows and slow in production.
    With `AsyncSession` it is worse: the implicit query cannot run outside an `await` and fails with
    `MissingGreenlet`. Asking the query to load the relationship up front (`selectinload` runs one extra query
    for all rows) keeps the number of queries constant.

    ## Example
    ```python
    from sqlalchemy import ForeignKey, select
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


    class Base(DeclarativeBase):
        pass


    class Author(Base):
        __tablename__ = "authors"
        id: Mapped[int] = mapped_column(primary_key=True)
        books: Mapped[list["Book"]] = relationship()


    class Book(Base):
        __tablename__ = "books"
        id: Mapped[int] = mapped_column(primary_key=True)
        author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))


    def count_books(session: Session) -> dict[int, int]:
        authors = session.scalars(select(Author)).all()
        return {author.id: len(author.books) for author in authors}
    ```

    Use instead:
    ```python
    from sqlalchemy import ForeignKey, select
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload


    class Base(DeclarativeBase):
        pass


    class Author(Base):
        __tablename__ = "authors"
        id: Mapped[int] = mapped_column(primary_key=True)
        books: Mapped[list["Book"]] = relationship()


    class Book(Base):
        __tablename__ = "books"
        id: Mapped[int] = mapped_column(primary_key=True)
        author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))


    def count_books(session: Session) -> dict[int, int]:
        authors = session.scalars(select(Author).options(selectinload(Author.books))).all()
        return {author.id: len(author.books) for author in authors}
    ```

    ## Fix safety
    Unsafe: adding `.options(selectinload(Model.attr))` to the query changes the queries the code runs (one more
    up front, none in the loop) and loads the relationship for every row, even those the loop skips.
    """

    code = "FAP501"
    name = "lazy-load-in-loop"
    message = ("`{read}` runs one query per row of the loop (N+1): load `{model}.{attr}` with the query, "
               "`.options(selectinload({model}.{attr}))`")
    fix_title = "Load the relationship with the query (`selectinload`)"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.WARNING
    node_types = (ast.For, ast.AsyncFor, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
    trigger_words = ("sqlalchemy", "sqlmodel", ".query(")

    VALID = VALID_CASES
    INVALID = INVALID_CASES

    def visit(self, node: Loop, ctx: RuleContext) -> None:
        owner = body_owner(ctx)
        if owner is None:
            return
        for loop in loops_of(node, ctx):
            reads = _attribute_reads(loop, ctx)
            if not reads:
                continue
            traced = trace(loop.iterable, ctx)
            if traced is None or traced.kind not in YIELDS_INSTANCES or traced.entity is None:
                continue
            loaded = _named_in_options(owner)
            if loaded is None:
                continue
            relationships = relationships_of(traced.entity, ctx)
            model = ctx.document.node_text(traced.entity)
            for read in reads:
                relationship = relationships.get(read.attr)
                if relationship is None or relationship.lazy not in LAZY_LOADS or read.attr in loaded:
                    continue
                loaded.add(read.attr)  # one finding per relationship and loop
                ctx.report(read, _fix_for(traced, model, read.attr, owner),
                           read=ctx.document.node_text(read), model=model, attr=read.attr)


def _attribute_reads(loop: LoopOver, ctx: RuleContext) -> list[ast.Attribute]:
    """`x.attr` reads of the loop variable itself (not a rebinding of its name) in the per-item code, in order."""
    reads = []
    for node in walk_per_item(loop.per_item):
        if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name)
                and node.value.id == loop.variable.id):
            binding = ctx.names.binding_of(node.value)
            if binding is not None and binding.node is loop.variable:
                reads.append(node)
    return sorted(reads, key=lambda read: (read.lineno, read.col_offset))


def _named_in_options(owner: ast.AST) -> Optional[set[str]]:
    """Attribute names every `.options(...)` of the function mentions; None when an option cannot be read."""
    named: set[str] = set()
    for node in walk_scope(owner):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "options"):
            continue
        for option in node.args:
            if not isinstance(option, ast.Call):
                return None
            for part in ast.walk(option):
                if isinstance(part, ast.Attribute):
                    named.add(part.attr)
                elif isinstance(part, ast.Constant) and isinstance(part.value, str):
                    if part.value == "*":
                        return None
                    named.update(part.value.split("."))
    return named


def _fix_for(traced: Traced, model: str, attr: str, owner: ast.AST) -> Callable[[FixContext], Optional[list[Edit]]]:
    def fix(fixer: FixContext) -> Optional[list[Edit]]:
        local, edits = fixer.add_import("sqlalchemy.orm", "selectinload")
        loader = f"{local}({model}.{attr})"
        existing = _options_on(traced.root, owner)
        if existing is not None:
            appended = append_keyword(fixer, existing, loader)
            return [*edits, *appended] if appended is not None else None
        return [*edits, fixer.insert_after(traced.root, f".options({loader})")]

    return fix


def _options_on(root: ast.Call, owner: ast.AST) -> Optional[ast.Call]:
    """The `.options(...)` call applied directly to the statement's `select(...)`, if any."""
    for node in walk_scope(owner):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "options"
                and node.func.value is root and node.args):
            return node
    return None
