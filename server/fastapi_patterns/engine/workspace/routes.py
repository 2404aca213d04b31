"""The resolved route table: every path operation with its full path, as the app will serve it.

Apps and routers are the objects whose constructor resolves to `FastAPI`/`APIRouter` or a subclass of them,
wherever they are built (module level or inside a factory function). A route belongs to the object its
decorator hangs off (followed through imports and aliases); `include_router` and `mount` edges link objects,
also when the parent is a factory function's parameter (`def register(app: FastAPI)`: its call sites tell which
app). Every chain from a route up to an app gives one row: the path joins, from the app down, each include's
prefix and each router's own prefix, as FastAPI does; tags and dependencies accumulate in the same order.
Routers never included anywhere still list their routes, marked as not mounted; webhooks and OpenAPI callbacks,
which the app describes but never serves, are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from .resolve import Resolver, Target
from .summary import (
    CallUse, IncludeEdge, ModuleSummary, ObjectSummary, Ref, RefKind, RouteDeclaration, TextRange, Value,
    keyword,
)

MAX_CHAIN = 12
MAX_CHAINS_PER_ROUTE = 16
NodeKey = tuple[str, str]  # (file, object name)


@dataclass(frozen=True)
class RouterLink:
    """One app or router on a route's chain, with the prefix of the include that leads below it."""

    file: str
    module: str
    name: str
    kind: str  # app | router
    prefix: str  # its own `prefix=`
    include_prefix: str = ""  # the `include_router(prefix=...)`/`mount(path)` that mounts the next link
    included_at: tuple[str, int] = ("", -1)  # file and line of the call that includes this link in the previous one

    @property
    def label(self) -> str:
        return f"{self.module}:{self.name}"


@dataclass(frozen=True)
class Route:
    method: str  # GET, POST, ..., WEBSOCKET
    path: str
    handler: str
    file: str
    module: str
    handler_range: TextRange
    decorator_range: TextRange
    function_lines: tuple[int, int]
    chain: tuple[RouterLink, ...]  # from the app down to the router that declares it
    mounted: bool
    tags: tuple[str, ...]
    response_model: Optional[str]
    status_code: Optional[str]
    dependencies: tuple[str, ...]
    is_async: bool
    declaration: RouteDeclaration

    @property
    def title(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def chain_text(self) -> str:
        return " > ".join(link.label for link in self.chain)


@dataclass(frozen=True)
class _Node:
    key: NodeKey
    kind: str
    obj: ObjectSummary


@dataclass(frozen=True)
class _Edge:
    parent: NodeKey
    file: str
    edge: IncludeEdge


class RouteTableBuilder:
    def __init__(self, resolver: Resolver, summaries: dict[str, ModuleSummary], module_names: dict[str, str]) -> None:
        self.resolver = resolver
        self.summaries = summaries
        self.module_names = module_names
        self.nodes: dict[NodeKey, _Node] = {}
        self.parents: dict[NodeKey, list[_Edge]] = {}
        self._calls: Optional[dict[NodeKey, list[tuple[str, CallUse]]]] = None

    def build(self) -> tuple[Route, ...]:
        for path, summary in self.summaries.items():
            for obj in summary.objects:
                kinds = self.resolver.kinds_of_object(path, obj)
                kind = "app" if "app" in kinds else "router" if "router" in kinds else None
                if kind is not None:
                    self.nodes[(path, obj.name)] = _Node((path, obj.name), kind, obj)
        for path, summary in self.summaries.items():
            for edge in summary.includes:
                children = self._nodes_for(path, edge.child)
                for parent in self._nodes_for(path, edge.parent):
                    for child in children:
                        if child != parent:
                            self.parents.setdefault(child, []).append(_Edge(parent, path, edge))
        routes: list[Route] = []
        for path, summary in self.summaries.items():
            for declaration in summary.routes:
                if declaration.documentation_only:
                    continue
                owners = self._nodes_for(path, declaration.owner)
                if not owners and not declaration.recognised:
                    continue
                chains = [chain for owner in owners for chain in self._chains(owner)] or [[]]
                for chain in chains[:MAX_CHAINS_PER_ROUTE]:
                    routes.extend(self._rows(path, declaration, chain))
        return tuple(sorted(routes, key=lambda r: (r.path, r.method, r.file, r.handler_range.line)))

    # -- finding nodes ---------------------------------------------------------------------------------------

    def _nodes_for(self, path: str, ref: Optional[Ref], depth: int = 0) -> list[NodeKey]:
        if ref is None or depth > 3:
            return []
        if ref.kind is RefKind.PARAMETER:
            passed = [node for argument_path, argument in self._arguments_for(path, ref)
                      for node in self._nodes_for(argument_path, argument, depth + 1)]
            return passed or self._annotated_parameter(path, ref)
        target = self.resolver.resolve(path, ref)
        node = self._node_of(target)
        if node is not None:
            return [node]
        return self._made_by_factory(target, depth)

    def _made_by_factory(self, target: Optional[Target], depth: int) -> list[NodeKey]:
        """`router = make_router()`: the apps or routers the factory function returns."""
        made = self.resolver.object_of(target)
        if made is None or target is None or target.path is None or target.attributes:
            return []
        factory = self.resolver.resolve(target.path, made.callee)
        if factory is None or factory.kind != "symbol" or factory.path is None or factory.attributes:
            return []
        summary = self.summaries.get(factory.path)
        function = summary.function_named(factory.name) if summary is not None else None
        returned = function.returns if function is not None else ()
        return [node for ref in returned for node in self._nodes_for(factory.path, ref, depth + 1)]

    def _node_of(self, target: Optional[Target]) -> Optional[NodeKey]:
        if target is None or target.kind != "symbol" or target.path is None:
            return None
        key = (target.path, target.name)
        node = self.nodes.get(key)
        if node is None:
            return None
        if not target.attributes or (target.attributes == ("router",) and node.kind == "app"):
            return key  # `app.router` is the app's own router
        return None

    def _annotated_parameter(self, path: str, ref: Ref) -> list[NodeKey]:
        """A parameter annotated as an app or a router (`def configure(app: FastAPI)`) whose callers pass
        nothing the index can follow: the parameter itself stands for that app or router."""
        summary = self.summaries.get(path)
        function = summary.function_named(ref.target) if summary is not None else None
        annotation = dict(function.annotations).get(ref.parameter or "") if function is not None else None
        if function is None or annotation is None:
            return []
        kinds = self.resolver.kinds_of_type(path, annotation)
        kind = "app" if "app" in kinds else "router" if "router" in kinds else None
        if kind is None:
            return []
        key = (path, f"{ref.target}({ref.parameter})")
        if key not in self.nodes:
            placeholder = ObjectSummary(key[1], annotation, (), TextRange(function.line, 0, 0, ""))
            self.nodes[key] = _Node(key, kind, placeholder)
        return [key]

    def _arguments_for(self, path: str, ref: Ref) -> Iterator[tuple[str, Ref]]:
        """What the call sites of the function owning a parameter pass for it."""
        function_name, parameter = ref.target, ref.parameter
        summary = self.summaries.get(path)
        function = summary.function_named(function_name) if summary is not None else None
        if function is None or parameter not in function.parameters:
            return
        position = function.parameters.index(parameter)
        for caller_path, use in self._calls_to().get((path, function_name), []):
            passed = dict(use.keyword_arguments).get(parameter)
            if passed is None and position < len(use.arguments):
                passed = use.arguments[position]
            if passed is not None:
                yield caller_path, passed

    def _calls_to(self) -> dict[NodeKey, list[tuple[str, CallUse]]]:
        """Every call of the workspace that passes a name, by the function it calls (resolved once)."""
        if self._calls is None:
            self._calls = {}
            for caller_path, caller in self.summaries.items():
                for use in [*caller.calls, *(call for f in caller.functions for call in f.calls)]:
                    if not use.arguments and not use.keyword_arguments:
                        continue
                    target = self.resolver.resolve(caller_path, use.ref)
                    if target is not None and target.kind == "symbol" and target.path and not target.attributes:
                        self._calls.setdefault((target.path, target.name), []).append((caller_path, use))
        return self._calls

    def _chains(self, start: NodeKey) -> list[list[tuple[NodeKey, Optional[_Edge]]]]:
        """Every path from `start` up to a node nobody includes, as (node, edge to its parent) pairs."""
        finished: list[list[tuple[NodeKey, Optional[_Edge]]]] = []
        pending: list[list[tuple[NodeKey, Optional[_Edge]]]] = [[(start, None)]]
        while pending and len(finished) < MAX_CHAINS_PER_ROUTE:
            chain = pending.pop()
            top = chain[-1][0]
            parents = self.parents.get(top, [])
            seen = {key for key, _edge in chain}
            extended = False
            for edge in parents:
                if edge.parent not in seen and len(chain) < MAX_CHAIN:
                    pending.append([*chain[:-1], (top, edge), (edge.parent, None)])
                    extended = True
            if not extended:
                finished.append(chain)
        return finished

    # -- rows --------------------------------------------------------------------------------------------------

    def _rows(self, path: str, declaration: RouteDeclaration,
              chain: list[tuple[NodeKey, Optional[_Edge]]]) -> Iterator[Route]:
        route_path = declaration.path if declaration.path is not None else f"<{declaration.path_text}>"
        tags = list(_strings(keyword(declaration.keywords, "tags")))
        dependencies = list(_depends(keyword(declaration.keywords, "dependencies")))
        for parameter in declaration.parameters:
            dependencies.extend(parameter.dependencies)
            dependencies.extend(self._alias_dependencies(path, parameter.alias))
        links: list[RouterLink] = []
        for key, edge in chain:
            node = self.nodes[key]
            keywords = node.obj.keywords
            own = self._string(key[0], keyword(keywords, "prefix"), "")
            route_path = own + route_path
            tags = [*_strings(keyword(keywords, "tags")), *tags]
            dependencies = [*_depends(keyword(keywords, "dependencies")), *dependencies]
            include_prefix = ""
            included_at = ("", -1)
            if edge is not None:
                included_at = (edge.file, edge.edge.range.line)
                if edge.edge.mount_path is not None:
                    include_prefix = self._string(edge.file, edge.edge.mount_path, "")
                else:
                    include_prefix = self._string(edge.file, keyword(edge.edge.keywords, "prefix"), "")
                    tags = [*_strings(keyword(edge.edge.keywords, "tags")), *tags]
                    dependencies = [*_depends(keyword(edge.edge.keywords, "dependencies")), *dependencies]
                route_path = include_prefix + route_path
            links.append(RouterLink(key[0], self.module_names.get(key[0], key[0]), key[1], node.kind, own,
                                    include_prefix, included_at))
        mounted = bool(links) and self.nodes[chain[-1][0]].kind == "app"
        response_model = keyword(declaration.keywords, "response_model")
        status_code = keyword(declaration.keywords, "status_code")
        for method in declaration.methods or ("WEBSOCKET",):
            yield Route(
                method=method, path=route_path, handler=declaration.handler, file=path,
                module=self.module_names.get(path, path), handler_range=declaration.handler_range,
                decorator_range=declaration.decorator_range, function_lines=declaration.function_lines,
                chain=tuple(reversed(links)), mounted=mounted, tags=tuple(dict.fromkeys(tags)),
                response_model=response_model.text if response_model is not None else declaration.return_annotation,
                status_code=status_code.text if status_code is not None else None,
                dependencies=tuple(dict.fromkeys(dependencies)), is_async=declaration.is_async,
                declaration=declaration,
            )

    def _string(self, path: str, value: Optional[Value], default: str) -> str:
        if value is None:
            return default
        found = self.resolver.string_value(path, value)
        return found if found is not None else f"<{value.text}>"

    def _alias_dependencies(self, path: str, alias: Optional[Ref]) -> tuple[str, ...]:
        target = self.resolver.resolve(path, alias)
        if target is None or target.kind != "symbol" or target.path is None or target.attributes:
            return ()
        return self.summaries[target.path].dependency_aliases.get(target.name, ())


def _strings(value: Optional[Value]) -> tuple[str, ...]:
    return value.literal if value is not None and isinstance(value.literal, tuple) else ()


def _depends(value: Optional[Value]) -> tuple[str, ...]:
    return value.depends if value is not None else ()
