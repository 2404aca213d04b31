"""FAP503 joinedload-without-unique: a joined eager load of a collection read without `.unique()` (an error)."""

from __future__ import annotations

import ast
from typing import Callable, Optional, Union

from ..engine.fixes import FixContext
from ..engine.rule import Rule, RuleContext
from ..engine.types import Edit, FixSafety, Severity, Span
from ._joinedload_without_unique_cases import INVALID_CASES, VALID_CASES
from ._orm_queries import (
    LIST_BUILTINS, RESULTS, Loop, Traced, attribute_name_start, loader_calls, relationships_of, trace,
)

# result methods that fetch every row (or check there is only one) and so refuse a result that is not unique;
# `.first()`, `.scalar()` and `.scalars()` itself do not
CONSUMERS = frozenset({
    "all", "fetchall", "fetchmany", "fetchone", "one", "one_or_none", "scalar_one", "scalar_one_or_none",
    "partitions",
})


class JoinedloadWithoutUnique(Rule):
    """
    ## What it does
    Flags the place where the rows of a `select(...)` carrying `joinedload(Model.rel)` of a collection
    relationship are read without `.unique()` on the result: `.all()`, `.one()`, `.scalar_one()`,
    `.fetchall()` and the like, `list(...)` or a `for` loop over it. The statement and the place it is read must
    be in the same function (through local variables); the relationship is looked up in whichever module of the
    workspace declares the model, and counts as a collection when its annotation (`Mapped[list[...]]`,
    `list["Item"]`) or `uselist=True` says so.

    Not flagged: `.first()`, `.scalar()` and `.scalars().first()` (they read one row and SQLAlchemy accepts
    them), a many-to-one `joinedload` (no duplicate rows), `selectinload`/`subqueryload`, the legacy
    `session.query(...)` (it makes rows unique itself), a `lazy="joined"` declared on the relationship rather
    than in the query, and relationships declared without annotation or `uselist` (whether they hold a
    collection depends on the foreign keys, which this rule does not follow).

    ## Why is this bad?
    A joined eager load of a collection repeats the parent row once per child. SQLAlchemy 2.0 no longer removes
    the duplicates silently: reading such a result without `.unique()` raises `InvalidRequestError` ("The
    unique() method must be invoked on this Result") at run time, on the first request that reaches it.

    ## Example
    ```python
    from sqlalchemy import ForeignKey, select
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, joinedload, mapped_column, relationship


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


    def authors_with_books(session: Session) -> list[Author]:
        statement = select(Author).options(joinedload(Author.books))
        return list(session.execute(statement).scalars().all())
    ```

    Use instead:
    ```python
    from sqlalchemy import ForeignKey, select
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, joinedload, mapped_column, relationship


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


    def authors_with_books(session: Session) -> list[Author]:
        statement = select(Author).options(joinedload(Author.books))
        return list(session.execute(statement).unique().scalars().all())
    ```

    ## Fix safety
    Safe: `.unique()` is inserted before `.scalars()` (or before the method that reads the rows, or appended to
    what the loop iterates). The code raised before; with `.unique()` it returns each parent once, which is what
    the query meant.
    """

    code = "FAP503"
    name = "joinedload-without-unique"
    message = ("`joinedload({model}.{attr})` loads a collection, so the result must be made unique first: "
               "SQLAlchemy raises `InvalidRequestError` without `.unique()`")
    fix_title = "Insert `.unique()` before reading the rows"
    fix_safety = FixSafety.SAFE
    severity = Severity.ERROR
    node_types = (ast.Call, ast.For, ast.AsyncFor, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
    trigger_words = ("joinedload",)

    VALID = VALID_CASES
    INVALID = INVALID_CASES

    def visit(self, node: Union[ast.Call, Loop], ctx: RuleContext) -> None:
        if isinstance(node, ast.Call):
            self._visit_call(node, ctx)
            return
        iterables = [node.iter] if isinstance(node, (ast.For, ast.AsyncFor)) else [g.iter for g in node.generators]
        for iterable in iterables:
            if (isinstance(iterable, ast.Call) and len(iterable.args) == 1
                    and ctx.qualified_name(iterable.func) == "builtins.enumerate"):
                iterable = iterable.args[0]
            self._check(iterable, ctx.document.node_span(iterable), None, ctx)

    def _visit_call(self, call: ast.Call, ctx: RuleContext) -> None:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in CONSUMERS:
            where = Span(attribute_name_start(func, ctx.document), ctx.document.node_span(call).end)
            self._check(func.value, where, func, ctx)
        elif len(call.args) == 1 and not call.keywords and ctx.qualified_name(func) in LIST_BUILTINS:
            self._check(call.args[0], ctx.document.node_span(call), None, ctx)

    def _check(self, results: ast.expr, where: Span, consumer: Optional[ast.Attribute], ctx: RuleContext) -> None:
        """`results` is read (by the `consumer` method, or by iterating it): flag a non-unique joined collection."""
        traced = trace(results, ctx)
        if traced is None or traced.kind not in RESULTS or traced.unique:
            return
        for _loader, loaded in loader_calls(traced.options, ctx, "joinedload"):
            assert isinstance(loaded, ast.Attribute)
            relationship = relationships_of(loaded.value, ctx).get(loaded.attr)
            if relationship is not None and relationship.collection:
                if consumer is not None and traced.scalars_call is consumer.value:
                    scalars = traced.scalars_call.func
                    assert isinstance(scalars, ast.Attribute)
                    where = Span(attribute_name_start(scalars, ctx.document), where.end)
                ctx.report(where, _fix_for(traced, results, consumer),
                           model=ctx.document.node_text(loaded.value), attr=loaded.attr)
                return


def _fix_for(traced: Traced, results: ast.expr,
             consumer: Optional[ast.Attribute]) -> Callable[[FixContext], list[Edit]]:
    def fix(fixer: FixContext) -> list[Edit]:
        if traced.scalars_call is not None:  # `result.scalars()` -> `result.unique().scalars()`
            scalars = traced.scalars_call.func
            assert isinstance(scalars, ast.Attribute)
            return [fixer.insert(attribute_name_start(scalars, fixer.document), "unique().")]
        if consumer is not None:  # `session.scalars(stmt).all()` -> `session.scalars(stmt).unique().all()`
            return [fixer.insert(attribute_name_start(consumer, fixer.document), "unique().")]
        if isinstance(results, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)):
            return [fixer.insert_after(results, ".unique()")]
        return [fixer.replace(results, f"({fixer.text(results)}).unique()")]

    return fix
