"""FAP210 unchecked-none-return: a path operation returns a database lookup that may be `None`, unchecked."""

from __future__ import annotations

import ast
import functools
import re
from typing import Optional

from ..engine.fastapi_model import PathOperation
from ..engine.fixes import FixContext
from ..engine.names import BindingKind, FunctionNode, SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Severity
from ._none_flow import NoneFlow, NullableReturn
from ._pydantic_models import admits_none
from ._status_codes import HTTP_EXCEPTIONS, status_reference
from ._unchecked_none_cases import INVALID_CASES, VALID_CASES
from ._with_rewrite import indent_unit

SELECTS = frozenset(
    {"sqlalchemy.select", "sqlalchemy.future.select", "sqlalchemy.sql.select", "sqlalchemy.sql.expression.select",
     "sqlmodel.select", "sqlmodel.sql.expression.select"}
)
_NEUTRAL = ("Resource", "record")


class UncheckedNoneReturn(Rule):
    """
    ## What it does
    Flags a `return` in a path operation that hands back the result of a lookup that gives `None` for a
    missing row, when no `None` check guards every path to it. Lookups are `session.get(Model, id)` (on a
    value known to be a SQLAlchemy or SQLModel session, or with a class as first argument),
    `.scalar_one_or_none()`, `.one_or_none()`, `.first()` and `.scalar()` (count and `exists()` queries
    excluded). Only returning the variable itself, or the lookup itself, is flagged.

    `if x is None: raise ...`, `if not x: return ...`, `assert x`, `if x is not None: ... else: raise ...` and
    a branch that ends by calling a plain helper (`raise_not_found()`) all count as checks. A handler whose
    `response_model` or return annotation admits `None` (`User | None`, `Optional[User]`) returns `None` on
    purpose and is not flagged.

    ## Why is this bad?
    When the row does not exist the handler returns `None`: without a response model the client receives
    `200 OK` with a `null` body, and with one FastAPI fails validating the response and answers
    `500 Internal Server Error`. Either way the client cannot tell "not found" from success or a crash.
    Check the result and raise `HTTPException(status_code=404)`.

    ## Example
    ```python
    from fastapi import FastAPI
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

    app = FastAPI()


    class Base(DeclarativeBase):
        pass


    class User(Base):
        __tablename__ = "users"
        id: Mapped[int] = mapped_column(primary_key=True)


    @app.get("/users/{user_id}")
    def read_user(user_id: int, session: Session) -> dict[str, int]:
        user = session.get(User, user_id)
        return user
    ```

    Use instead:
    ```python
    from fastapi import FastAPI, HTTPException, status
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

    app = FastAPI()


    class Base(DeclarativeBase):
        pass


    class User(Base):
        __tablename__ = "users"
        id: Mapped[int] = mapped_column(primary_key=True)


    @app.get("/users/{user_id}", responses={404: {"description": "User not found"}})
    def read_user(user_id: int, session: Session) -> dict[str, int]:
        user = session.get(User, user_id)
        if user is None:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
        return {"id": user.id}
    ```

    ## Fix safety
    Unsafe: the route now answers 404 where it answered `200 null` (or 500), which clients may rely on. The
    fix inserts `if x is None: raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not
    found")` before the `return`, naming the model from `session.get(User, ...)`, `select(User)` or
    `query(User)` when it is visible ("Resource" otherwise), and imports `HTTPException` and `status` from
    fastapi when needed. When the lookup itself is returned, it is first assigned to a new variable.
    """

    code = "FAP210"
    name = "unchecked-none-return"
    message = "`{value}` may be `None`{origin}: a missing row answers `200 null` instead of 404"
    fix_title = "Raise 404 when the lookup finds nothing"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.WARNING
    node_types = (ast.Module,)
    VALID = VALID_CASES
    INVALID = INVALID_CASES

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        seen: set[int] = set()
        for operation in ctx.model.path_operations:
            function = operation.function
            if id(function) in seen:
                continue
            seen.add(id(function))
            operations = ctx.model.operations_of(function)
            if any(op.is_websocket for op in operations) or _allows_none(function, operations, ctx.names):
                continue
            for found in NoneFlow(ctx.names).run(function.body):
                lookup = _short(ctx.document.node_text(found.lookup))
                value, origin = (found.variable, f" (from `{lookup}`)") if found.variable else (lookup, "")
                ctx.report(found.statement, functools.partial(_fix, function=function, found=found),
                           value=value, origin=origin)


def _allows_none(function: FunctionNode, operations: list[PathOperation], names: SymbolTable) -> bool:
    """The return annotation or a `response_model=` admits None (`User | None`, `Optional["User"]`, `"User | None"`)."""
    for annotation in [function.returns, *(op.keyword("response_model") for op in operations)]:
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value.strip(), mode="eval").body
            except (SyntaxError, ValueError):
                continue
        if annotation is not None and admits_none(annotation, names):
            return True
    return False


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


# -- the fix ----------------------------------------------------------------------------------------------


def _fix(fixer: FixContext, *, function: FunctionNode, found: NullableReturn) -> Optional[list[Edit]]:
    document, statement = fixer.document, found.statement
    line = statement.lineno - 1
    if document.line_text(line)[: fixer.span(statement).start.column].strip() or fixer.names is None:
        return None  # `if x: return y` on one line
    exception = _exception_name(fixer, found.lookup)
    status = status_reference(fixer, found.lookup)
    if exception is None or status is None:
        return None
    exception_name, exception_edits = exception
    status_name, status_edits = status
    model, variable = _model_name(found.lookup, fixer.names)
    indent, newline, unit = document.line_indent(line), document.newline, indent_unit(fixer, function)
    if found.variable is None:
        variable = _free_name(fixer, variable)
    else:
        variable = found.variable
    check = (f"if {variable} is None:{newline}{indent}{unit}raise {exception_name}("
             f"status_code={status_name}.HTTP_404_NOT_FOUND, detail=\"{model} not found\"){newline}")
    if found.variable is not None:
        edit = fixer.insert_before(statement, check + indent)
    else:
        value = fixer.text(statement.value)  # type: ignore[arg-type]
        edit = fixer.replace(statement, f"{variable} = {value}{newline}{indent}{check}{indent}return {variable}")
    return [*_merged_imports(exception_edits + status_edits), edit]


def _exception_name(fixer: FixContext, anchor: ast.Call) -> Optional[tuple[str, list[Edit]]]:
    """How to spell `HTTPException` where the lookup is, and the import edits it needs."""
    names = fixer.names
    assert names is not None
    anchor_name = next((n for n in ast.walk(anchor) if isinstance(n, ast.Name)), None)
    scope = names.scope_of(anchor_name) if anchor_name is not None else names.module_scope
    visible = names.lookup("HTTPException", scope, (anchor.lineno, anchor.col_offset))
    if visible is not None:
        if visible.kind is BindingKind.IMPORT and visible.qualified_name in HTTP_EXCEPTIONS:
            return "HTTPException", []
        return None
    return fixer.add_import("fastapi", "HTTPException")


def _merged_imports(edits: list[Edit]) -> list[Edit]:
    """`HTTPException` and `status` added at one point become one edit: one import line, in a stable order."""
    merged: list[Edit] = []
    for edit in edits:
        previous = merged[-1] if merged else None
        if previous is not None and previous.span == edit.span:
            line = re.match(r"from fastapi import (\w+)(\r?\n)$", previous.new_text)
            other = re.match(r"from fastapi import (\w+)\r?\n$", edit.new_text)
            if line and other:
                text = f"from fastapi import {line.group(1)}, {other.group(1)}{line.group(2)}"
            else:
                text = previous.new_text + edit.new_text
            merged[-1] = Edit(edit.span, text)
        else:
            merged.append(edit)
    return merged


def _model_name(lookup: ast.Call, names: SymbolTable) -> tuple[str, str]:
    """("User", "user") for a lookup of `User`, the neutral words when the model is not visible."""
    model = _model_of(lookup, names, 0)
    if model is None:
        return _NEUTRAL
    return model, re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", model).lower()


def _model_of(node: ast.AST, names: SymbolTable, depth: int) -> Optional[str]:
    if depth > 3:
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        return _class_name(node.args[0])
    for child in ast.walk(node):
        if isinstance(child, ast.Call) and child.args and (
            names.qualified_name(child.func) in SELECTS
            or (isinstance(child.func, ast.Attribute) and child.func.attr == "query")
        ):
            return _class_name(child.args[0])
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child is not node:
            binding = names.binding_of(child)
            if binding is not None and binding.kind is BindingKind.ASSIGNMENT and binding.value is not None \
                    and binding.scope is not names.module_scope:
                found = _model_of(binding.value, names, depth + 1)
                if found is not None:
                    return found
    return None


def _class_name(node: ast.expr) -> Optional[str]:
    if isinstance(node, ast.Attribute) and not node.attr[:1].isupper():
        node = node.value  # `select(User.name)`
    last = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return last if last[:1].isupper() and last.isidentifier() else None


def _free_name(fixer: FixContext, wanted: str) -> str:
    tree = fixer.document.tree
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} if tree is not None else set()
    used |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)} if tree is not None else set()
    candidates = [wanted, f"found_{wanted}", *(f"{wanted}_{n}" for n in range(2, 50))]
    return next(c for c in candidates if c not in used)
