"""FAP211 shadowed-route: a route no request can reach, because an earlier one of the same app matches first."""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from typing import Iterator

from ..engine.fastapi_model import PathOperation
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity
from ..engine.workspace.routes import Route
from ._route_patterns import CoverIndex, covers

_ROUTER = "from fastapi import APIRouter\nrouter = APIRouter()\n"
_APP = "from fastapi import FastAPI\napp = FastAPI()\n"


@dataclass(frozen=True)
class _Declared:
    """A route as the current file declares it, in registration order within its owner."""

    operation: PathOperation
    owner: str
    method: str
    path: str
    block: int  # the statement list holding the handler: routes in two branches of an `if` never meet


class ShadowedRoute(Rule):
    """
    ## What it does
    Flags a route that can never be reached: an earlier route of the same app or router, for the same HTTP
    method, already matches every path it matches (`/users/{user_id}` declared before `/users/me`), or has the
    very same method and path (reported as an error). Routes of different routers are compared with their full
    paths once the prefixes of `APIRouter(prefix=...)` and `include_router(..., prefix=...)` are resolved, across
    modules; which comes first follows the order of the `include_router` calls.

    Routes are compared when they are declared in the same block of statements: two declarations in the two
    branches of an `if`, or one inside `with pytest.raises(...)`, never both reach the app. Parameter convertors
    are respected (`/items/{item_id:int}` does not hide `/items/latest`), and so is a
    trailing slash. Paths are compared as written: a path without its leading slash (FAP214) is left out, and
    routers whose include order cannot be known (included from different modules) are not compared.

    ## Why is this bad?
    Starlette tries routes in the order they were added and takes the first that matches. A request for
    `/users/me` is handled by `get_user(user_id="me")`, which fails validation or looks up a user called "me";
    the handler written for it never runs, and nothing says so until a client reports it.

    ## Example
    ```python
    from fastapi import APIRouter

    router = APIRouter()


    @router.get("/users/{user_id}")
    def get_user(user_id: int) -> dict[str, int]:
        return {"id": user_id}


    @router.get("/users/me")
    def get_current_user() -> dict[str, str]:
        return {"name": "me"}
    ```

    Use instead:
    ```python
    from fastapi import APIRouter

    router = APIRouter()


    @router.get("/users/me")
    def get_current_user() -> dict[str, str]:
        return {"name": "me"}


    @router.get("/users/{user_id}")
    def get_user(user_id: int) -> dict[str, int]:
        return {"id": user_id}
    ```
    """

    code = "FAP211"
    name = "shadowed-route"
    message = "Route `{route}` can never match: {earlier} matches every path it does and comes first"
    severity = Severity.WARNING
    node_types = (ast.Module,)

    VALID = (
        Valid(_ROUTER + "@router.get('/users/me')\ndef me(): ...\n@router.get('/users/{user_id}')\ndef one(user_id: int): ...\n"),
        Valid(_ROUTER + "@router.get('/users/{user_id}')\ndef one(user_id: int): ...\n"
              "@router.post('/users/me')\ndef me(): ...\n"),
        Valid(_ROUTER + "@router.get('/items/{item_id:int}')\ndef one(item_id: int): ...\n"
              "@router.get('/items/latest')\ndef latest(): ...\n"),
        Valid(_ROUTER + "@router.get('/users/{user_id}')\ndef one(user_id: int): ...\n"
              "@router.get('/users/{user_id}/posts')\ndef posts(user_id: int): ...\n"),
        Valid(_ROUTER + "other = APIRouter()\n@router.get('/users/{user_id}')\ndef one(user_id: int): ...\n"
              "@other.get('/users/me')\ndef me(): ...\n"),
        Valid(_ROUTER + "@router.get('/users')\ndef a(): ...\n@router.get('/users/')\ndef b(): ...\n"),
        Valid(_ROUTER + "@router.get('{user_id}')\ndef one(user_id: int): ...\n@router.get('me')\ndef me(): ...\n"),
        Valid("class Registry:\n    def get(self, path):\n        return lambda f: f\nr = Registry()\n"
              "@r.get('/a/{x}')\ndef a(x): ...\n@r.get('/a/b')\ndef b(): ...\n"),
        Valid(_APP + "@app.websocket('/ws/{room}')\nasync def room(ws, room: str): ...\n@app.get('/ws/lobby')\ndef lobby(): ...\n"),
        Valid("from fastapi import FastAPI\ndef test_one():\n    app = FastAPI()\n    @app.get('/')\n    def a(): ...\n"
              "def test_two():\n    app = FastAPI()\n    @app.get('/')\n    def b(): ...\n"),
        Valid(_ROUTER + "if FLAG:\n    @router.get('/a')\n    def a(): ...\nelse:\n    @router.get('/a')\n    def b(): ...\n"),
        Valid(_ROUTER + "@router.get('/files/{name}.json')\ndef js(name: str): ...\n@router.get('/files/a.json')\ndef a(): ...\n"),
        Valid(_APP + "app.include_router(users.router)\napp.include_router(me.router)\n",
              files={"app/users.py": _ROUTER + "@router.get('/users/{user_id}')\ndef one(user_id: int): ...\n",
                     "app/me.py": _ROUTER + "@router.get('/users/me')\ndef me(): ...\n"},
              path="app/other.py"),
        Valid(_ROUTER + "@router.get('/me')\ndef me(): ...\n",
              files={"app/main.py": _APP + "from app import me, users\napp.include_router(me.router, prefix='/users')\n"
                                   "app.include_router(users.router)\n",
                     "app/users.py": _ROUTER + "@router.get('/users/{user_id}')\ndef one(user_id: int): ...\n"},
              path="app/me.py"),
        Valid(_ROUTER + "@router.get('/{user_id}')\ndef one(user_id: int): ...\n",
              files={"app/main.py": _APP + "from app import users\napp.include_router(users.router, prefix='/users')\n"
                                   "@app.get('/users/{name}')\ndef by_name(name: str): ...\n"},
              path="app/users.py"),
    )
    INVALID = (
        Invalid(_ROUTER + "@router.get('/users/{user_id}')\ndef one(user_id: int): ...\n"
                "@router.get('/users/me')\ndef me(): ...\n"),
        Invalid(_ROUTER + "@router.get('/users')\ndef a(): ...\n@router.get('/users')\ndef b(): ...\n"),
        Invalid("import fastapi as f\nr = f.APIRouter(prefix='/v1')\n@r.api_route('/{anything:path}', methods=['GET'])\n"
                "def proxy(anything: str): ...\n@r.get('/health')\ndef health(): ...\n"),
        Invalid(_ROUTER + "@router.get('/users/me')\n@router.get('/users/{user_id}')\ndef one(user_id: str = 'me'): ...\n"),
        Invalid(_APP + "@app.get('/items/{a}/{b}')\ndef pair(a: str, b: str): ...\n"
                "@app.get('/items/{item_id}/reviews')\ndef reviews(item_id: int): ...\n"
                "@app.put('/items/{x}/{y}')\ndef put(x: str, y: str): ...\n"),
        Invalid(_ROUTER + "@router.get('/me')\ndef me(): ...\n",
                files={"app/main.py": _APP + "from app import me, users\napp.include_router(users.router)\n"
                                     "app.include_router(me.router, prefix='/users')\n",
                       "app/users.py": _ROUTER + "@router.get('/users/{user_id}')\ndef one(user_id: int): ...\n"},
                path="app/me.py"),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        declared = list(_declared(ctx))
        reported: set[int] = set()
        seen: dict[tuple[str, str, int], CoverIndex] = {}
        for later in declared:
            earlier_routes = seen.setdefault((later.owner, later.method, later.block), CoverIndex())
            earlier = earlier_routes.first_covering(later.path)
            earlier_routes.add(later.path, later)
            if isinstance(earlier, _Declared) and id(later.operation.decorator) not in reported:
                reported.add(id(later.operation.decorator))
                _report(ctx, later.operation, later.method, later.path, f"`{earlier.method} {earlier.path}` "
                        f"(`{earlier.operation.function.name}`)", earlier.path == later.path)
        if declared and ctx.model.imports_fastapi:
            for operation, route, other in _shadowed_across_routers(ctx, declared):
                if id(operation.decorator) not in reported:
                    reported.add(id(operation.decorator))
                    where = f"{os.path.relpath(other.file, os.path.dirname(route.file))}:{other.decorator_range.line + 1}"
                    _report(ctx, operation, route.method, route.path,
                            f"`{other.method} {other.path}` (`{other.handler}` in {where})", other.path == route.path)


def _report(ctx: RuleContext, operation: PathOperation, method: str, path: str, earlier: str, duplicate: bool) -> None:
    ctx.report(operation.decorator, route=f"{method} {path}", earlier=earlier,
               severity=Severity.ERROR if duplicate else None)


def _declared(ctx: RuleContext) -> Iterator[_Declared]:
    operations = [op for op in ctx.model.path_operations
                  if op.path is not None and op.path.startswith("/") and not op.is_documentation_only]
    operations.sort(key=lambda op: (op.function.lineno, -op.decorator.lineno))
    blocks = _blocks(ctx.document.tree) if len(operations) > 1 else {}
    for operation in operations:
        owner = operation.decorator.func.value if isinstance(operation.decorator.func, ast.Attribute) else None
        if owner is None or operation.path is None:
            continue
        owner_key = _owner_key(owner, ctx)
        for method in operation.methods or ("WEBSOCKET",):
            yield _Declared(operation, owner_key, method, operation.path, blocks.get(id(operation.function), 0))


def _blocks(tree: ast.AST | None) -> dict[int, int]:
    """For every function definition, the identity of the statement list it sits in (statements only are
    visited: expressions cannot hold a `def`)."""
    found: dict[int, int] = {}
    pending: list[list[ast.stmt]] = [tree.body] if isinstance(tree, ast.Module) else []
    while pending:
        statements = pending.pop()
        for statement in statements:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found[id(statement)] = id(statements)
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(statement, name, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    pending.append(inner)
            for handler in getattr(statement, "handlers", ()) or ():
                pending.append(handler.body)
            for case in getattr(statement, "cases", ()) or ():
                pending.append(case.body)
    return found


def _owner_key(owner: ast.expr, ctx: RuleContext) -> str:
    """Which object a decorator hangs off: two `app = FastAPI()` in two test functions are two apps."""
    binding = ctx.names.binding_of(owner) if isinstance(owner, ast.Name) else None
    if binding is not None:
        return f"{binding.name}@{id(binding)}"
    return f"{ast.unparse(owner)}@{id(ctx.names.scope_of(owner))}"


def _shadowed_across_routers(ctx: RuleContext, declared: list[_Declared]) -> Iterator[tuple[PathOperation, Route, Route]]:
    """Routes of this file hidden by an earlier route of another router of the same app, full paths resolved."""
    view = ctx.workspace
    mine_by_key: dict[tuple[str, str], list[Route]] = {}
    for route in view.routes_here():
        if route.mounted and "<" not in route.path:
            mine_by_key.setdefault((route.handler, route.method), []).append(route)
    if not mine_by_key:
        return
    by_app = _apps_of(view.index.latest_routes(), view.index.derived_cache)
    for item in declared:
        for mine in mine_by_key.get((_qualified(item.operation), item.method), ()):
            key = (mine.method, (mine.chain[0].file, mine.chain[0].name))
            others = [r for r in by_app[key].candidates(mine.path) if isinstance(r, Route)
                      and r.chain[-1] != mine.chain[-1] and _registered_before(r, mine) and covers(r.path, mine.path)]
            if others:
                yield item.operation, mine, others[0]
                break


def _apps_of(table: tuple[Route, ...], cache: dict[str, object]) -> dict[tuple[str, tuple[str, str]], CoverIndex]:
    """The mounted routes of each (method, app), bucketed for cover queries: built once per route table and kept
    on the index, so checking a project's files does not rebuild it for each of them."""
    cached = cache.get("FAP211")
    if isinstance(cached, tuple) and cached[0] is table:
        return cached[1]  # type: ignore[no-any-return]
    by_app: dict[tuple[str, tuple[str, str]], CoverIndex] = {}
    for route in table:
        if route.mounted and "<" not in route.path:
            key = (route.method, (route.chain[0].file, route.chain[0].name))
            by_app.setdefault(key, CoverIndex()).add(route.path, route)
    cache["FAP211"] = (table, by_app)
    return by_app


def _qualified(operation: PathOperation) -> str:
    return operation.function.name


def _registered_before(first: Route, second: Route) -> bool:
    """Whether `first` is added to the app before `second`: decided where their include chains part, when both
    includes are written in the same module; False when it cannot be known."""
    for a, b in zip(first.chain, second.chain):
        if (a.file, a.name) == (b.file, b.name):
            continue
        if a.included_at[0] and a.included_at[0] == b.included_at[0]:
            return a.included_at[1] < b.included_at[1]
        return False
    return False
