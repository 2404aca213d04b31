"""FAP410 router-not-included: a module-level `APIRouter` with routes that no `include_router` anywhere includes."""

from __future__ import annotations

import ast
import os
from typing import Optional, Union

from ..engine.fastapi_model import ROUTE_METHODS, RouterInfo
from ..engine.rule import Rule, RuleContext
from ..engine.types import Severity
from ..engine.workspace.app_graph import AppGraph, graph_for, imports_dynamically
from ..engine.workspace.routes import NodeKey, RouterLink
from ..engine.workspace.view import WorkspaceView
from ._router_not_included_cases import INVALID_CASES, VALID_CASES

# what a module may do with its router without handing it to other code
_CONFIGURING = ROUTE_METHODS | {
    "add_api_route", "add_api_websocket_route", "include_router", "on_event", "add_event_handler", "route",
    "websocket_route", "add_route", "add_websocket_route",
}


class RouterNotIncluded(Rule):
    """
    ## What it does
    Flags a module-level `APIRouter` that has routes (its own, or those of routers included into it) when
    no `include_router(...)` in the whole project includes it, directly or through other routers. The
    finding sits on the router's name in its assignment and counts the routes that are never served.

    It needs the whole project, so it stays silent when the file is checked without its project. It also
    stays silent where it cannot be sure: routers built inside functions (factories), projects that build no
    `FastAPI` app at all (a library ships routers for its users to include), routers the module hands to other
    code (passed to a call, `router.routes` read, returned), routers an `include_router` with an argument the
    project cannot follow (a loop over a list of routers, a call, `getattr`) may reach because its module
    imports the router's module or imports modules at run time (`importlib`, `pkgutil`), directly or through
    other modules, and routers included by an object the project cannot identify.

    ## Why is this bad?
    Decorating a function with `@router.get(...)` only records the route on the router. The application
    serves it once the router is included (`app.include_router(router)`), usually in the module that builds
    the app. A router nobody includes fails silently: the code is there, imports fine and passes review, yet
    every request to its paths gets a 404 and the routes are missing from the OpenAPI docs.

    ## Example
    ```python
    from fastapi import APIRouter, FastAPI

    app = FastAPI()
    items = APIRouter(prefix="/items")


    @items.get("/")
    def list_items() -> list[str]:
        return ["a", "b"]
    ```

    Use instead:
    ```python
    from fastapi import APIRouter, FastAPI

    app = FastAPI()
    items = APIRouter(prefix="/items", tags=["items"])


    @items.get("/")
    def list_items() -> list[str]:
        return ["a", "b"]


    app.include_router(items)
    ```
    """

    code = "FAP410"
    name = "router-not-included"
    message = "`{router}` has {routes} but no `include_router` includes it: the app never serves them"
    severity = Severity.WARNING
    node_types = (ast.Assign, ast.AnnAssign)

    VALID = VALID_CASES
    INVALID = INVALID_CASES

    def visit(self, node: Union[ast.Assign, ast.AnnAssign], ctx: RuleContext) -> None:
        if ctx.enclosing_scope() is not None or not isinstance(node.value, ast.Call):
            return
        router = next((r for r in ctx.model.routers.values() if r.call is node.value and r.kind == "router"), None)
        target = _target_named(node, router)
        if router is None or target is None or _handed_over(router.name, ctx):
            return
        workspace = ctx.workspace
        if not workspace.complete:
            return
        graph = graph_for(workspace)
        key = (workspace.path, router.name)
        if graph.kind(key) != "router" or key in graph.included_by or key in graph.passed_to_calls():
            return
        served = {(r.method, r.path, r.handler) for r in workspace.routes() if r.chain and _is(r.chain[0], key)}
        if not served or not _project_has_app(graph, key) or _maybe_included(graph, workspace, key):
            return
        count = len(served)
        ctx.report(target, router=router.name, routes=f"{count} route{'s' if count != 1 else ''}")


def _target_named(node: Union[ast.Assign, ast.AnnAssign], router: Optional[RouterInfo]) -> Optional[ast.Name]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return next((t for t in targets if isinstance(t, ast.Name) and router is not None and t.id == router.name), None)


def _handed_over(name: str, ctx: RuleContext) -> bool:
    """The module uses the router other than by configuring it (`router.get(...)`, `router.include_router`):
    it passes it on, returns it, reads its routes, includes it itself."""
    configuring: set[int] = set()
    loads: list[ast.Name] = []
    for node, _scope in ctx.names.visit_order:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr in _CONFIGURING:
            configuring.add(id(node.value))
        elif isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            loads.append(node)
    for load in loads:
        binding = ctx.names.binding_of(load)
        if binding is not None and binding.scope is ctx.names.module_scope and id(load) not in configuring:
            return True
    return False


def _is(link: RouterLink, key: NodeKey) -> bool:
    return (link.file, link.name) == key


def _project_has_app(graph: AppGraph, key: NodeKey) -> bool:
    return bool(graph.apps_under(graph.project_root(key[0])))


def _maybe_included(graph: AppGraph, workspace: WorkspaceView, key: NodeKey) -> bool:
    """An `include_router` the index cannot follow might include this router: one in the router's own module,
    in a module that imports it (directly or not), or in one that imports, directly or not, a module that
    imports others at run time; or one naming a package the index does not hold that ends like this router."""
    root = graph.project_root(key[0])
    dotted = f"{workspace.index.module_name(key[0])}.{key[1]}"
    for file, target in graph.opaque_includes:
        if target is not None and target.kind == "external":
            if target.name == dotted or target.name.endswith("." + ".".join(dotted.split(".")[-2:])):
                return True
            continue
        if root is not None and not file.startswith(root.rstrip(os.sep) + os.sep):
            continue
        reached = graph.imported_by(file)
        if file == key[0] or key[0] in reached:
            return True
        if any(imports_dynamically(graph.summaries.get(other)) for other in (file, *reached)):
            return True
    return False
