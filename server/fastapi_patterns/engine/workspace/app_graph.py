"""The apps and routers of the workspace and how they hang together: who includes whom, who can be followed.

The route table answers "where is this route served"; rules about the objects themselves ask different things:
is this router included anywhere (also by an include whose parent the index cannot follow), which
`include_router` calls pass something the index cannot follow (a loop variable, a call, `getattr`), which calls
pass a router along to other code (`Mount(app=router)`, `setup(app, router)`, `routes=router.routes`), which
objects register startup/shutdown handlers, and what an expression of a file stands for. An `AppGraph` is built
once per index version (`app_graph(index)`), on the same node resolution as the route table (through imports,
aliases, factory functions and the call sites of a factory's parameters), and answers those questions by node:
`(file, object name)`, matched by name so that a slightly older summary of the file being edited still serves.
"""

from __future__ import annotations

import os
import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Optional

from .resolve import Resolver, Target
from .routes import NodeKey, RouteTableBuilder, _Node as RouteNode  # the table's nodes: one resolution for both
from .summary import CallUse, IncludeEdge, ModuleSummary, ObjectSummary, Ref, TextRange, Value, keyword

if TYPE_CHECKING:
    from .index import WorkspaceIndex
    from .view import WorkspaceView

EVENT_METHODS = ("on_event", "add_event_handler")
DYNAMIC_IMPORTS = ("importlib", "pkgutil")
MAX_WALK = 64


@dataclass(frozen=True)
class Inclusion:
    """One `include_router`/`mount` edge, resolved: `parent` is None when the including object is unknown."""

    parent: Optional[NodeKey]
    child: NodeKey
    file: str
    edge: IncludeEdge

    @property
    def is_mount(self) -> bool:
        return self.edge.mount_path is not None


class _Resolution(RouteTableBuilder):
    """The route table's node resolution, reused without building the table."""

    def collect_nodes(self) -> None:
        for path, summary in self.summaries.items():
            for obj in summary.objects:
                kinds = self.resolver.kinds_of_object(path, obj)
                kind = "app" if "app" in kinds else "router" if "router" in kinds else None
                if kind is not None:
                    self.nodes[(path, obj.name)] = RouteNode((path, obj.name), kind, obj)

    def resolve_nodes(self, path: str, ref: Optional[Ref]) -> list[NodeKey]:
        return self._nodes_for(path, ref)


class AppGraph:
    """Apps, routers and the inclusions between them for one version of an index (see `app_graph`)."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.summaries: dict[str, ModuleSummary] = dict(resolver.summaries)
        self._resolution = _Resolution(resolver, self.summaries, {})
        self._resolution.collect_nodes()
        self.objects: dict[NodeKey, ObjectSummary] = {key: node.obj for key, node in self._resolution.nodes.items()}
        self.included_by: dict[NodeKey, list[Inclusion]] = {}
        self.includes: dict[NodeKey, list[Inclusion]] = {}
        self.opaque_includes: list[tuple[str, Optional[Target]]] = []  # (file, what the router argument names)
        self._collect_inclusions()
        self._passed: Optional[set[NodeKey]] = None
        self._events: Optional[set[NodeKey]] = None
        self._imported: dict[str, set[str]] = {}

    # -- nodes ---------------------------------------------------------------------------------------------

    def kind(self, key: NodeKey) -> Optional[str]:
        node = self._resolution.nodes.get(key)
        return node.kind if node is not None else None

    def nodes_for(self, path: str, ref: Optional[Ref]) -> list[NodeKey]:
        """The apps and routers a name of the module at `path` stands for (none when it cannot be followed)."""
        return self._resolution.resolve_nodes(path, ref)

    def made_by(self, path: str, callee: Optional[Ref]) -> list[NodeKey]:
        """The apps and routers a call of the user's function `callee` returns (`create_app()`)."""
        target = self.resolver.resolve(path, callee)
        if target is None or target.kind != "symbol" or target.path is None or target.attributes:
            return []
        summary = self.summaries.get(target.path)
        function = summary.function_named(target.name) if summary is not None else None
        if function is None:
            return []
        return [key for ref in function.returns for key in self.nodes_for(target.path, ref)]

    def apps_under(self, directory: Optional[str]) -> list[NodeKey]:
        """Apps built in files below `directory` (anywhere when None)."""
        prefix = directory.rstrip(os.sep) + os.sep if directory else ""
        return [key for key, node in self._resolution.nodes.items()
                if node.kind == "app" and key in self.objects and key[0].startswith(prefix)]

    def project_root(self, path: str) -> Optional[str]:
        """The innermost project root (a `src/` layout's parent) or workspace folder holding `path`."""
        layout = self.resolver.layout
        candidates = [root for root in [*layout.project_roots, *layout.folders]
                      if path.startswith(root.rstrip(os.sep) + os.sep)]
        if not candidates:
            return None
        root = max(candidates, key=len)
        return os.path.dirname(root) if os.path.basename(root) == "src" else root

    # -- inclusion -----------------------------------------------------------------------------------------

    def _collect_inclusions(self) -> None:
        for path, summary in self.summaries.items():
            for edge in summary.includes:
                children = self.nodes_for(path, edge.child)
                if not children and edge.mount_path is None:
                    target = self.resolver.resolve(path, edge.child)
                    if target is None or target.kind != "module":
                        self.opaque_includes.append((path, target))
                    continue
                parents: list[Optional[NodeKey]] = [*self.nodes_for(path, edge.parent)] or [None]
                for child in children:
                    for parent in parents:
                        if parent == child:
                            continue
                        inclusion = Inclusion(parent, child, path, edge)
                        self.included_by.setdefault(child, []).append(inclusion)
                        if parent is not None:
                            self.includes.setdefault(parent, []).append(inclusion)
            for calls in [summary.calls, *(function.calls for function in summary.functions)]:
                for use in calls:
                    if use.ref.target.endswith(".include_router") and _passes_no_name(use):
                        self._include_of_a_call(path, use, [c for c in calls if c.line == use.line and c is not use])

    def _include_of_a_call(self, path: str, use: CallUse, beside: list[CallUse]) -> None:
        """`include_router(make_router())`: the routers the user's factory returns are included (by a parent
        left unknown: the call's keywords are not kept); a library's function or method gives none of the
        user's; anything else (or a call spread over lines) cannot be followed."""
        children: list[NodeKey] = []
        followed = bool(beside)
        for call in beside:
            target = self.resolver.resolve(path, call.ref)
            made = self.made_by(path, call.ref)
            children.extend(made)
            if not made and not self._from_library(path, target):
                followed = False
        edge = IncludeEdge(use.ref, beside[0].ref, (), TextRange(use.line, 0, 0, "")) if beside else None
        for child in children:
            if edge is not None:
                self.included_by.setdefault(child, []).append(Inclusion(None, child, path, edge))
        if not followed:
            self.opaque_includes.append((path, None))

    def _from_library(self, path: str, target: Optional[Target]) -> bool:
        """An installed package's function, or a method of an object built from an installed package's class."""
        if target is None or target.kind == "external":
            return target is not None
        if target.kind != "symbol" or target.path is None or not target.attributes:
            return False
        built = self.resolver.object_of(Target("symbol", target.path, target.name))
        callee = self.resolver.resolve(target.path, built.callee) if built is not None else None
        return callee is not None and callee.kind == "external"

    def ancestors(self, key: NodeKey) -> Iterator[Inclusion]:
        """Every inclusion above `key`, following parents upwards (each node once)."""
        seen = {key}
        pending = [key]
        while pending and len(seen) < MAX_WALK:
            for inclusion in self.included_by.get(pending.pop(), []):
                yield inclusion
                if inclusion.parent is not None and inclusion.parent not in seen:
                    seen.add(inclusion.parent)
                    pending.append(inclusion.parent)

    def descendants(self, key: NodeKey, includes_only: bool = False) -> list[NodeKey]:
        """The routers included below `key` (through `mount` too unless `includes_only`), each once."""
        found: list[NodeKey] = []
        pending = [key]
        while pending and len(found) < MAX_WALK:
            for inclusion in self.includes.get(pending.pop(), []):
                if includes_only and inclusion.is_mount:
                    continue
                if inclusion.child != key and inclusion.child not in found:
                    found.append(inclusion.child)
                    pending.append(inclusion.child)
        return found

    def passed_to_calls(self) -> set[NodeKey]:
        """Apps and routers handed to any call as an argument (or their `.routes`): other code may serve them."""
        if self._passed is None:
            names = {key[1].rsplit(".", 1)[-1] for key in self.objects}
            self._passed = set()
            for path, summary in self.summaries.items():
                for use in _all_calls(summary):
                    for ref in [*use.arguments, *(ref for _name, ref in use.keyword_arguments)]:
                        if ref is None or names.isdisjoint(ref.target.split(".")):
                            continue
                        target = self.resolver.resolve(path, ref)
                        if target is not None and target.kind == "symbol" and target.path is not None:
                            self._passed.add((target.path, target.name))
                        self._passed.update(self.nodes_for(path, ref))
        return self._passed

    def imported_by(self, path: str) -> set[str]:
        """The project's modules that the module at `path` imports, directly or through others (cached)."""
        found = self._imported.get(path)
        if found is None:
            found = set()
            pending = [path]
            while pending:
                current = pending.pop()
                summary = self.summaries.get(current)
                for dotted in summary.imports if summary is not None else ():
                    target = self.resolver.resolve_import(current, dotted)
                    reached = {self.resolver.module_of(current, dotted), target.path if target is not None else None}
                    for module in reached:
                        if module is not None and module not in found and module != path:
                            found.add(module)
                            pending.append(module)
            self._imported[path] = found
        return found

    # -- startup and shutdown --------------------------------------------------------------------------------

    def registers_events(self, key: NodeKey) -> bool:
        """`on_event(...)`/`add_event_handler(...)` is called on the object somewhere in the workspace."""
        if self._events is None:
            self._events = set()
            for path, summary in self.summaries.items():
                for use in _all_calls(summary):
                    head, _dot, method = use.ref.target.rpartition(".")
                    if method in EVENT_METHODS and head:
                        self._events.update(self.nodes_for(path, Ref(use.ref.kind, head, use.ref.parameter)))
        return key in self._events

    def lifecycle(self, key: NodeKey) -> Optional[str]:
        """"lifespan" or "startup handlers" when the app (or a router it includes) has them, else None."""
        for node in [key, *self.descendants(key, includes_only=True)]:
            obj = self.objects.get(node)
            keywords = obj.keywords if obj is not None else ()
            if is_set(keyword(keywords, "lifespan")):
                return "lifespan"
            if any(is_set(keyword(keywords, name)) for name in ("on_startup", "on_shutdown")):
                return "startup handlers"
            if self.registers_events(node):
                return "startup handlers"
        return None


def _all_calls(summary: ModuleSummary) -> Iterator[CallUse]:
    yield from summary.calls
    for function in summary.functions:
        yield from function.calls


def _passes_no_name(use: CallUse) -> bool:
    """An `include_router(...)` whose router argument is no plain name (a call, a subscript...)."""
    if any(name == "router" for name, _ref in use.keyword_arguments):
        return False
    return not use.arguments or use.arguments[0] is None


def is_set(value: Optional[Value]) -> bool:
    """A keyword that is set to something: not absent, not `None`, not an empty literal list."""
    if value is None:
        return False
    if value.is_literal:
        return value.literal not in (None, (), False)
    return value.text.strip() not in ("[]", "()", "None")


def imports_dynamically(summary: Optional[ModuleSummary]) -> bool:
    """The module imports modules by name at run time (`importlib`, `pkgutil`): any module may be reached."""
    return summary is not None and any(name.split(".", 1)[0] in DYNAMIC_IMPORTS for name in summary.imports)


_graphs: "weakref.WeakKeyDictionary[WorkspaceIndex, AppGraph]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def app_graph(index: "WorkspaceIndex") -> AppGraph:
    """The graph on the index's resolver (its latest one in an editor's index), built once per resolver."""
    resolver = index.latest_resolver()
    with _lock:
        cached = _graphs.get(index)
        if cached is not None and cached.resolver is resolver:
            return cached
    graph = AppGraph(resolver)
    with _lock:
        _graphs[index] = graph
    return graph


def graph_for(view: "WorkspaceView") -> AppGraph:
    """The graph behind a file's view: a question about the whole project (any module may include, mount or
    register on what the file defines), recorded as such on the view."""
    view.asked_whole = True
    return app_graph(view.index)
