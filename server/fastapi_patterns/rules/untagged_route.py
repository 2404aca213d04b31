"""FAP216 untagged-route (opt-in): a path operation that no decorator, router or include gives a tag."""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fastapi_model import PathOperation, RouterInfo, keyword_value
from ..engine.names import FunctionNode
from ..engine.rule import Rule, RuleContext
from ..engine.types import Severity
from ..engine.workspace.app_graph import AppGraph, graph_for, is_set
from ..engine.workspace.references import reference
from ..engine.workspace.routes import NodeKey
from ..engine.workspace.summary import Keywords, keyword
from ._router_chain import RouterChain
from ._untagged_route_cases import INVALID_CASES, VALID_CASES

_MAX_DEPTH = 8


class UntaggedRoute(Rule):
    """
    ## What it does
    Flags a path operation whose route receives no tag from anywhere: not from its decorator (`tags=[...]`),
    not from its router (`APIRouter(tags=[...])`), and not from any `include_router(..., tags=[...])` or
    router on the way up to the application, followed across the project's modules. The finding sits on the
    route decorator. This rule is opt-in: enable it with `extend-select = ["FAP216"]`.

    Routes that never appear in the docs are left alone: websockets, webhooks, `include_in_schema=False` on
    the route, its router or an include, and apps built with `openapi_url=None`. So are routes whose way to
    the application the project does not show (a router nobody includes, an include on an object it cannot
    identify, a file checked without its project while its router is included elsewhere), and tags written
    as any expression count as tags.

    ## Why is this bad?
    The interactive docs (`/docs`) and generated clients group operations by tag. An operation without one
    lands in a catch-all "default" section, away from the resource it belongs to, and client generators put
    it in a generic class. Setting tags once on the router, or on the `include_router` call, covers every
    route below it.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/items")
    def list_items() -> list[str]:
        return ["a", "b"]
    ```

    Use instead:
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/items", tags=["items"])
    def list_items() -> list[str]:
        return ["a", "b"]
    ```
    """

    code = "FAP216"
    name = "untagged-route"
    message = "`{handler}` gets no tags from its decorator, router or any include: the docs list it under \"default\""
    severity = Severity.HINT
    opt_in = True
    node_types = (ast.FunctionDef, ast.AsyncFunctionDef)

    VALID = VALID_CASES
    INVALID = INVALID_CASES

    def visit(self, node: FunctionNode, ctx: RuleContext) -> None:
        chain: Optional[RouterChain] = None
        for operation in ctx.model.operations_of(node):
            if operation.is_documentation_only or operation.is_websocket or _tagged_or_hidden(operation.decorator):
                continue
            chain = chain or RouterChain(ctx.model)
            if chain.hidden_from_schema(operation) or any(_sets_tags(v) for v in chain.inherited(operation, "tags")):
                continue
            if _lands_under_default(operation, ctx):
                ctx.report(operation.decorator, handler=node.name)


def _sets_tags(value: Optional[ast.expr]) -> bool:
    """A `tags=` value that gives tags: anything but `None` and an empty list."""
    if value is None or (isinstance(value, ast.Constant) and value.value is None):
        return False
    return not (isinstance(value, (ast.List, ast.Tuple)) and not value.elts)


def _tagged_or_hidden(call: ast.Call) -> bool:
    """The call gives tags, hides the route from the docs, or passes `**options` that might do either."""
    hidden = keyword_value(call, "include_in_schema")
    return (_sets_tags(keyword_value(call, "tags")) or any(k.arg is None for k in call.keywords)
            or (isinstance(hidden, ast.Constant) and hidden.value is False))


def _lands_under_default(operation: PathOperation, ctx: RuleContext) -> bool:
    """The route reaches an app with no tags on the way (what the file shows first, then the project)."""
    router = operation.router
    if router is not None and router.kind == "app":
        return not _docs_disabled(router.call)
    if router is not None and _tagged_or_hidden(router.call):
        return False
    module_level = router is not None and ctx.model.routers.get(router.name) is router
    in_file = router is not None and module_level and _reaches_app_in_file(router, ctx, 0)
    workspace = None if in_file else ctx.workspace
    if workspace is None or not workspace.complete:
        return in_file
    graph = graph_for(workspace)
    if router is not None and module_level:
        nodes = [(workspace.path, router.name)] if graph.kind((workspace.path, router.name)) else []
    else:
        owner = operation.decorator.func.value if isinstance(operation.decorator.func, ast.Attribute) else None
        nodes = graph.nodes_for(workspace.path, reference(owner, ctx.names))
    if not nodes or any(_returned_by_factory(graph, key) for key in nodes):
        return False
    return all(_untagged_up_to_app(graph, key) for key in nodes)


def _docs_disabled(call: ast.Call) -> bool:
    url = keyword_value(call, "openapi_url")
    return isinstance(url, ast.Constant) and url.value is None


def _reaches_app_in_file(router: RouterInfo, ctx: RuleContext, depth: int) -> bool:
    """An `include_router` of this module mounts the router on an app of this module (through routers)."""
    if depth > _MAX_DEPTH:
        return False
    for call in ctx.model.include_calls:
        first = call.args[0]
        owner = call.func.value if isinstance(call.func, ast.Attribute) else None
        parent = ctx.model.routers.get(owner.id) if isinstance(owner, ast.Name) else None
        if not isinstance(first, ast.Name) or first.id != router.name or parent is None:
            continue
        if parent.kind == "app" or _reaches_app_in_file(parent, ctx, depth + 1):
            return True
    return False


def _returned_by_factory(graph: AppGraph, key: NodeKey) -> bool:
    """A router built and returned by a function (`def get_users_router(): ... return router`): every caller
    includes its own copy, typically with the tags of the caller's choosing."""
    scope, separator, _name = key[1].rpartition(".<locals>.")
    summary = graph.summaries.get(key[0])
    function = summary.function_named(scope) if separator and summary is not None else None
    return function is not None and any(key in graph.nodes_for(key[0], ref) for ref in function.returns)


def _untagged_up_to_app(graph: AppGraph, key: NodeKey) -> bool:
    """Every include above the node is known, none of them or of the routers above sets tags or hides the
    route, and at least one way up ends at an app."""
    own = graph.objects.get(key)
    if graph.kind(key) == "app":
        return own is None or not _hides(own.keywords, "openapi_url")
    if own is not None and (is_set(keyword(own.keywords, "tags")) or _hides(own.keywords)):
        return False
    reaches_app = False
    for inclusion in graph.ancestors(key):
        if inclusion.parent is None or is_set(keyword(inclusion.edge.keywords, "tags")):
            return False
        if _hides(inclusion.edge.keywords):
            return False
        parent = graph.objects.get(inclusion.parent)
        if parent is not None and (is_set(keyword(parent.keywords, "tags")) or _hides(parent.keywords)):
            return False
        if graph.kind(inclusion.parent) == "app":
            if parent is not None and _hides(parent.keywords, "openapi_url"):
                return False
            reaches_app = True
    return reaches_app


def _hides(keywords: Keywords, name: str = "include_in_schema") -> bool:
    """`include_in_schema=False` (or `openapi_url=None` for an app): the routes are not in the docs."""
    value = keyword(keywords, name)
    if value is None or not value.is_literal:
        return False
    return value.literal is (None if name == "openapi_url" else False)
