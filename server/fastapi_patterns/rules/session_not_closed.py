"""FAP502 session-not-closed: a dependency yields a database session that nothing closes when the request fails."""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from typing import Optional, Sequence

from ..engine.blocking import own_body
from ..engine.fixes import FixContext
from ..engine.names import FunctionNode
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Severity
from ._sessions import ASYNC, created_session
from ._with_rewrite import indent_unit, wrap_rest_in_with

_TRY_STATEMENTS = tuple(getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name))
FIXTURES = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})
_SYNC = "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n" \
        "SessionLocal = sessionmaker(bind=create_engine('sqlite://'))\n"
_ASYNC = "from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine\n" \
         "SessionLocal = async_sessionmaker(create_async_engine('sqlite+aiosqlite://'))\n"


@dataclass(frozen=True)
class _Creation:
    statement: ast.stmt  # `x = make()` / `x: T = make()`
    name: str
    call: ast.Call
    kind: str
    ancestors: tuple[ast.AST, ...]


class SessionNotClosed(Rule):
    """
    ## What it does
    Flags a function that creates a database session and `yield`s it without a `try/finally` or a
    `with`/`async with` block around the `yield`: the shape of a FastAPI dependency with `yield`. A session is
    created by `Session(...)`/`AsyncSession(...)` (SQLAlchemy or SQLModel), or by calling a factory assigned in
    the same file from `sessionmaker(...)`/`async_sessionmaker(...)` (`SessionLocal()`). The diagnostic sits on
    the call that creates the session.

    Dependencies are usually defined in a module of their own, so any generator function with this shape is
    checked, not only those passed to `Depends` in the same file. Pytest fixtures are left alone (pytest runs
    their teardown even when the test fails), as are factories imported from another module, which are not
    known to make sessions.

    ## Why is this bad?
    When the path operation raises, FastAPI throws the exception into the dependency at its `yield`. Code
    after the `yield` that is not in a `finally` (or the exit of a `with`) never runs, so the session keeps its
    connection and transaction open until garbage collection. Under a burst of failing requests the pool runs
    dry and every later request waits for a connection until it times out.

    ## Example
    ```python
    from collections.abc import Iterator

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session, sessionmaker

    SessionLocal = sessionmaker(bind=create_engine("sqlite://"))


    def get_db() -> Iterator[Session]:
        db = SessionLocal()
        yield db
        db.close()
    ```

    Use instead:
    ```python
    from collections.abc import Iterator

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session, sessionmaker

    SessionLocal = sessionmaker(bind=create_engine("sqlite://"))


    def get_db() -> Iterator[Session]:
        with SessionLocal() as db:
            yield db
    ```

    ## Fix safety
    Unsafe: the session is now closed also when the request fails, and the statements after the `yield`
    (a commit, say) run inside the `with` block, before the session closes. The fix turns `db = SessionLocal()`
    and the rest of its block into `with SessionLocal() as db:` (`async with` for an async session) over that
    rest, dropping a final `db.close()` that the block now does. `yield SessionLocal()` becomes
    `with SessionLocal() as session: yield session`. No fix is offered for an async session in a plain `def`,
    or when re-indenting could change a multi-line string.
    """

    code = "FAP502"
    name = "session-not-closed"
    message = "the session from `{call}` is yielded without `try/finally` or `with`: it is not closed when the request fails"
    fix_title = "Manage the session with a `with` block"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.WARNING
    node_types = (ast.FunctionDef, ast.AsyncFunctionDef)

    VALID = (
        Valid(_SYNC + "def get_db():\n    db = SessionLocal()\n    try:\n        yield db\n    finally:\n        db.close()\n"),
        Valid(_SYNC + "def get_db():\n    with SessionLocal() as db:\n        yield db\n"),
        Valid(_ASYNC + "async def get_db():\n    async with SessionLocal() as s:\n        try:\n            yield s\n"
              "        except Exception:\n            await s.rollback()\n            raise\n"),
        Valid(_SYNC + "def get_db():\n    db = SessionLocal()\n    with db.begin():\n        yield db\n"),
        Valid(_SYNC + "import pytest\n@pytest.fixture\ndef db():\n    db = SessionLocal()\n    yield db\n    db.close()\n"),
        Valid("from app.db import SessionLocal\ndef get_db():\n    db = SessionLocal()\n    yield db\n    db.close()\n"),
        Valid(_SYNC + "def get_db():\n    db = SessionLocal()\n    return db\n"),
        Valid(_SYNC + "def numbers():\n    factory = sessionmaker\n    yield factory\n"),
        Valid(_SYNC + "def get_db(db):\n    yield db\n"),
        Valid(_SYNC + "def get_db():\n    db = SessionLocal()\n    db = Tracked(db)\n    yield db\n"),
        Valid(_SYNC + "def get_db():\n    try:\n        db = SessionLocal()\n        yield db\n    finally:\n"
              "        db.close()\n"),
        Valid(_SYNC + "def get_db():\n    db = SessionLocal()\n    def inner():\n        yield db\n    return inner\n"),
    )
    INVALID = (
        Invalid(_SYNC + "def get_db():\n    db = SessionLocal()\n    yield db\n    db.close()\n",
                _SYNC + "def get_db():\n    with SessionLocal() as db:\n        yield db\n", unsafe=True),
        Invalid(_ASYNC + "async def get_db():\n    session = SessionLocal()  # one per request\n    yield session\n"
                "    await session.close()\n",
                _ASYNC + "async def get_db():\n    async with SessionLocal() as session:  # one per request\n"
                "        yield session\n", unsafe=True),
        Invalid(_SYNC + "def get_db():\n    db = SessionLocal()\n    yield db\n    db.commit()\n",
                _SYNC + "def get_db():\n    with SessionLocal() as db:\n        yield db\n        db.commit()\n",
                unsafe=True),
        Invalid(_SYNC + "def get_db():\n    db = SessionLocal()\n    try:\n        yield db\n    except Exception:\n"
                "        db.rollback()\n        raise\n",
                _SYNC + "def get_db():\n    with SessionLocal() as db:\n        try:\n            yield db\n"
                "        except Exception:\n            db.rollback()\n            raise\n", unsafe=True),
        Invalid("from sqlmodel import Session, create_engine\nengine = create_engine('sqlite://')\n"
                "def get_session():\n    yield Session(engine)\n",
                "from sqlmodel import Session, create_engine\nengine = create_engine('sqlite://')\n"
                "def get_session():\n    with Session(engine) as session:\n        yield session\n", unsafe=True),
        Invalid("from sqlalchemy.ext.asyncio import AsyncSession\nfrom app.db import engine\n"
                "async def get_session():\n    s = AsyncSession(engine)\n    yield s\n",
                "from sqlalchemy.ext.asyncio import AsyncSession\nfrom app.db import engine\n"
                "async def get_session():\n    async with AsyncSession(engine) as s:\n        yield s\n", unsafe=True),
        Invalid(_ASYNC + "def get_db():\n    db = SessionLocal()\n    yield db\n"),
        Invalid(_SYNC + "from contextlib import contextmanager\n@contextmanager\ndef session_scope():\n"
                "    db = SessionLocal()\n    yield db\n    db.commit()\n    db.close()\n",
                _SYNC + "from contextlib import contextmanager\n@contextmanager\ndef session_scope():\n"
                "    with SessionLocal() as db:\n        yield db\n        db.commit()\n", unsafe=True),
        Invalid(_SYNC + "def get_db():\n\tdb = SessionLocal()\n\tyield db\n\n\tdb.info.clear()\n",
                _SYNC + "def get_db():\n\twith SessionLocal() as db:\n\t\tyield db\n\n\t\tdb.info.clear()\n", unsafe=True),
        Invalid("import sqlalchemy.orm as orm\nfrom app.db import engine\nFactory = orm.scoped_session(orm.sessionmaker(engine))\n"
                "def get_db():\n    db: orm.Session = Factory()\n    yield db\n",
                "import sqlalchemy.orm as orm\nfrom app.db import engine\nFactory = orm.scoped_session(orm.sessionmaker(engine))\n"
                "def get_db():\n    with Factory() as db:\n        yield db\n", unsafe=True),
        Invalid(_SYNC + "def get_db():\n    db = SessionLocal()\n    yield db\n    log('''done\n''')\n"),
    )

    def visit(self, node: FunctionNode, ctx: RuleContext) -> None:
        if any(ctx.qualified_name(d.func if isinstance(d, ast.Call) else d) in FIXTURES for d in node.decorator_list):
            return
        latest: dict[str, Optional[_Creation]] = {}  # name -> the session it was last assigned, None for others
        reported: set[int] = set()
        for child, ancestors in own_body(node):
            if isinstance(child, (ast.Assign, ast.AnnAssign)):
                for target in child.targets if isinstance(child, ast.Assign) else [child.target]:
                    for name in (n.id for n in ast.walk(target) if isinstance(n, ast.Name)):
                        latest[name] = None
                creation = _creation(child, ancestors, ctx)
                if creation is not None:
                    latest[creation.name] = creation
            if not isinstance(child, ast.Yield) or child.value is None:
                continue
            if isinstance(child.value, ast.Call) and created_session(child.value, ctx.names) is not None:
                self._report_direct(node, child, child.value, ancestors, ctx)
            elif isinstance(child.value, ast.Name):
                found = latest.get(child.value.id)
                if found is None or id(found.call) in reported or _protected(ancestors, found.name):
                    continue
                reported.add(id(found.call))
                ctx.report(found.call, functools.partial(_wrap_fix, function=node, creation=found),
                           call=ctx.document.node_text(found.call.func) + "()")

    def _report_direct(self, function: FunctionNode, node: ast.Yield, call: ast.Call, ancestors: tuple[ast.AST, ...],
                       ctx: RuleContext) -> None:
        if _protected(ancestors, None):
            return
        kind = created_session(call, ctx.names)
        statement = ancestors[-1] if ancestors else None
        fix = None
        if isinstance(statement, ast.Expr) and statement.value is node and (kind != ASYNC or _is_async(function)):
            fix = functools.partial(_direct_fix, function=function, statement=statement, call=call, kind=kind)
        ctx.report(call, fix, call=ctx.document.node_text(call.func) + "()")


def _creation(node: ast.AST, ancestors: tuple[ast.AST, ...], ctx: RuleContext) -> Optional[_Creation]:
    target: Optional[ast.expr] = None
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        target = node.target
    value = getattr(node, "value", None)
    if not isinstance(target, ast.Name) or not isinstance(value, ast.Call):
        return None
    kind = created_session(value, ctx.names)
    if kind is None:
        return None
    assert isinstance(node, ast.stmt)
    return _Creation(node, target.id, value, kind, ancestors)


def _protected(ancestors: Sequence[ast.AST], name: Optional[str]) -> bool:
    """The `yield` sits in a `try` that has a `finally`, or in a `with` that manages the session."""
    for index, ancestor in enumerate(ancestors):
        below = ancestors[index + 1] if index + 1 < len(ancestors) else None
        final = getattr(ancestor, "finalbody", None) if isinstance(ancestor, _TRY_STATEMENTS) else None
        if final and not any(below is statement for statement in final):
            return True
        if isinstance(ancestor, (ast.With, ast.AsyncWith)) and name is not None:
            if any(isinstance(n, ast.Name) and n.id == name for item in ancestor.items for n in ast.walk(item)):
                return True
    return False


def _is_async(function: FunctionNode) -> bool:
    return isinstance(function, ast.AsyncFunctionDef)


def _keyword(kind: str, function: FunctionNode) -> Optional[str]:
    if kind == ASYNC:
        return "async with" if _is_async(function) else None
    return "with"


def _wrap_fix(fixer: FixContext, *, function: FunctionNode, creation: _Creation) -> Optional[list[Edit]]:
    keyword = _keyword(creation.kind, function)
    parent = creation.ancestors[-1] if creation.ancestors else function
    block = next((b for b in _blocks(parent) if any(s is creation.statement for s in b)), None)
    if keyword is None or block is None:
        return None
    index = next(i for i, s in enumerate(block) if s is creation.statement)
    header = f"{keyword} {fixer.text(creation.call)} as {creation.name}"
    return wrap_rest_in_with(fixer, block, index, header, indent_unit(fixer, function), creation.name)


def _blocks(node: ast.AST) -> list[list[ast.stmt]]:
    found = [getattr(node, name) for name in ("body", "orelse", "finalbody") if isinstance(getattr(node, name, None), list)]
    found.extend(handler.body for handler in getattr(node, "handlers", []))
    found.extend(case.body for case in getattr(node, "cases", []))
    return found


def _direct_fix(fixer: FixContext, *, function: FunctionNode, statement: ast.Expr, call: ast.Call,
                kind: Optional[str]) -> Optional[list[Edit]]:
    keyword = _keyword(kind or "", function)
    used = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)} | {a.arg for a in ast.walk(function.args)
                                                                            if isinstance(a, ast.arg)}
    name = next((c for c in ("session", "db_session", "new_session") if c not in used), None)
    if keyword is None or name is None or fixer.document.line_text(statement.lineno - 1)[: statement.col_offset].strip():
        return None
    indent = fixer.document.line_indent(statement.lineno - 1)
    newline = fixer.document.newline
    text = f"{keyword} {fixer.text(call)} as {name}:{newline}{indent}{indent_unit(fixer, function)}yield {name}"
    return [fixer.replace(statement, text)]
