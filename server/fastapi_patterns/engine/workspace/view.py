"""One file's window on the workspace: the cross-file questions a rule may ask while it visits that file.

A `WorkspaceView` pairs a `WorkspaceIndex` with the path of the file being analysed. It turns an expression of
that file into the definition it names anywhere in the workspace, and answers what cross-file rules need: what a
function calls and whether that blocks, who calls it, a class's fields and relationships through its bases in
other modules, and the resolved route table. The index may hold an older version of the file being analysed (an
editor re-indexes a document only after a pause in typing), so rules match what they find here by name, never by
position. Whether a rule asked about the whole project (the route table, who calls a function) or only
about what this file reaches through its imports is recorded, so a cache can tell which changes matter.
`complete` says whether the index holds the whole project: a view made from the file alone (when the
caller has no index) answers the same questions, but a rule that must see every module before it can say
"nowhere" (a router that nothing includes) stays silent on it.
"""

from __future__ import annotations

import ast
import os
from typing import Iterator, Optional

from ..names import SymbolTable
from .calls import BlockingChain, CallSite, blocking_chain, callers_of
from .index import WorkspaceIndex
from .references import reference
from .resolve import Resolver, Target
from .routes import Route
from .summary import ClassSummary, FieldSummary, FunctionSummary, ModuleSummary, RelationshipSummary

MAX_BASES = 24


class WorkspaceView:
    def __init__(self, index: WorkspaceIndex, path: str, complete: bool = True) -> None:
        self.index = index
        self.path = os.path.abspath(path) if not path.startswith("<") else path
        self.complete = complete
        self.asked_whole = False  # a question about the whole project, not only the modules this file imports
        self._routes_here: Optional[list[Route]] = None
        self._by_handler: Optional[dict[str, list[Route]]] = None

    @property
    def resolver(self) -> Resolver:
        return self.index.latest_resolver()

    @property
    def summary(self) -> Optional[ModuleSummary]:
        """This file's summary as the index holds it (maybe of an earlier version)."""
        return self.index.summary(self.path)

    # -- names -------------------------------------------------------------------------------------------------

    def target_of(self, node: Optional[ast.AST], names: SymbolTable) -> Optional[Target]:
        """Where the name or attribute chain `node` (in this file) is defined, in the workspace or outside."""
        ref = reference(node, names)
        return self.resolver.resolve(self.path, ref) if ref is not None else None

    def function(self, target: Optional[Target]) -> Optional[tuple[str, FunctionSummary]]:
        """The user's function a target names, with its file."""
        if target is None or target.kind != "symbol" or target.path is None or target.attributes:
            return None
        summary = self.resolver.summaries.get(target.path)
        found = summary.function_named(target.name) if summary is not None else None
        return (target.path, found) if found is not None else None

    def class_(self, target: Optional[Target]) -> Optional[tuple[str, ClassSummary]]:
        """The user's class a target names, with its file."""
        if target is None or target.kind != "symbol" or target.path is None or target.attributes:
            return None
        summary = self.resolver.summaries.get(target.path)
        found = summary.class_named(target.name) if summary is not None else None
        return (target.path, found) if found is not None else None

    def constructor_of(self, node: Optional[ast.AST], names: SymbolTable) -> Optional[str]:
        """For a name of an object built at the top of another module (`request_id = ContextVar(...)`), the
        qualified name of what built it, when that is outside the project (`contextvars.ContextVar`)."""
        target = self.target_of(node, names)
        obj = self.resolver.object_of(target)
        if obj is None or target is None or target.path is None:
            return None
        callee = self.resolver.resolve(target.path, obj.callee)
        return callee.name if callee is not None and callee.kind == "external" else None

    def class_kinds(self, path: str, name: str) -> frozenset[str]:
        """model, settings, orm, router, app: what a class is through its bases (empty when unknown)."""
        return self.resolver.kinds_of_class(path, name)

    # -- classes through their bases ---------------------------------------------------------------------------

    def lineage(self, path: str, cls: ClassSummary) -> Iterator[tuple[str, ClassSummary]]:
        """The class, then each base class of the user's defined anywhere in the workspace (depth first, once)."""
        pending = [(path, cls)]
        seen: set[tuple[str, str]] = set()
        while pending and len(seen) < MAX_BASES:
            current_path, current = pending.pop(0)
            if (current_path, current.name) in seen:
                continue
            seen.add((current_path, current.name))
            yield current_path, current
            for base in current.bases:
                found = self.class_(self.resolver.resolve(current_path, base))
                if found is not None:
                    pending.append(found)

    def fields(self, path: str, cls: ClassSummary) -> list[tuple[str, FieldSummary]]:
        """Every field the class has, its own first, then inherited ones (a redefinition hides the base's)."""
        found: dict[str, tuple[str, FieldSummary]] = {}
        for owner_path, owner in self.lineage(path, cls):
            for field in owner.fields:
                found.setdefault(field.name, (owner_path, field))
        return list(found.values())

    def relationships(self, path: str, cls: ClassSummary) -> dict[str, RelationshipSummary]:
        """The ORM relationships of a class, inherited ones included, by attribute name."""
        found: dict[str, RelationshipSummary] = {}
        for _owner_path, owner in self.lineage(path, cls):
            for relationship in owner.relationships:
                found.setdefault(relationship.name, relationship)
        return found

    # -- calls -------------------------------------------------------------------------------------------------

    def blocking_chain(self, path: str, function: str) -> Optional[BlockingChain]:
        return blocking_chain(self.resolver, path, function)

    def callers_of(self, path: str, function: str) -> list[CallSite]:
        self.asked_whole = True
        return callers_of(self.resolver, path, function)

    def called_from_elsewhere(self, function: str) -> bool:
        """Whether a module other than this file calls its top-level `function` (answered for the whole
        workspace at once, then cached until the index changes)."""
        self.asked_whole = True
        return bool(self.index.latest_called_functions().get((self.path, function), frozenset()) - {self.path})

    def used_as_dependency(self, function: str) -> bool:
        """Whether some `Depends(...)` of the project, in any module, names this file's top-level `function`."""
        self.asked_whole = True
        return (self.path, function) in self.index.latest_dependency_functions()

    # -- routes ------------------------------------------------------------------------------------------------

    def routes(self) -> tuple[Route, ...]:
        self.asked_whole = True
        return self.index.latest_routes()

    def routes_here(self) -> list[Route]:
        """Routes declared in this file, in source order (worked out once per view)."""
        self.asked_whole = True
        if self._routes_here is None:
            self._routes_here = self.index.latest_routes_by_file().get(self.path, [])
        return self._routes_here

    def routes_of_handler(self, function: str) -> list[Route]:
        """Routes of this file whose handler is named `function` (any class or factory around it)."""
        if self._by_handler is None:
            self._by_handler = {}
            for route in self.routes_here():
                self._by_handler.setdefault(route.handler.rsplit(".", 1)[-1], []).append(route)
        self.asked_whole = True
        return self._by_handler.get(function, [])


def standalone_view(path: str, source: str) -> WorkspaceView:
    """A view over an index of this one file: what a file alone can tell cross-file rules."""
    folder = os.path.dirname(os.path.abspath(path)) if not path.startswith("<") else os.getcwd()
    index = WorkspaceIndex((folder,))
    index.set_file(path if not path.startswith("<") else os.path.join(folder, "<unknown>.py"), source)
    view_path = path if not path.startswith("<") else os.path.join(folder, "<unknown>.py")
    return WorkspaceView(index, view_path, complete=False)
