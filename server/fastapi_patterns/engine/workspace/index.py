"""The workspace index: one summary per module, kept current file by file, and the answers built on them.

`WorkspaceIndex` holds the summaries of a set of files under some workspace folders. `set_file` summarises a
new version of a file unless its content hash is already known (`SummaryCache` is shared, so a renamed or
copied file costs nothing); `remove_file`, `remove_under` and `rename_file` follow the editor's file events.
Derived answers (module names, name resolution, the route table, who imports whom) are rebuilt lazily after a
change, once, however many questions follow. All methods are safe to call from several threads; summaries are
built outside the lock, so a long build never blocks a reader for more than one file's bookkeeping.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Optional, Sequence

from .layout import ProjectLayout
from .resolve import Resolver
from .routes import Route, RouteTableBuilder
from .summarize import summarize
from .summary import SUMMARY_FORMAT, ModuleSummary, Ref, RefKind


def content_hash(source: str) -> str:
    return hashlib.blake2b(f"{SUMMARY_FORMAT}\0{source}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def safe_summarize(source: str, path: str) -> ModuleSummary:
    """`summarize`, with a file too deep or too large to summarise recorded as unparsed instead of raising."""
    try:
        return summarize(source, path)
    except (RecursionError, MemoryError, ValueError) as error:
        return ModuleSummary(parsed=False, syntax_error=f"cannot summarise: {type(error).__name__}")


class SummaryCache:
    """Summaries by content hash, least recently used evicted past `capacity`."""

    def __init__(self, capacity: int = 20_000) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[str, ModuleSummary] = OrderedDict()
        self._lock = threading.Lock()
        self.built = 0  # summaries computed (not found in the cache)

    def __getstate__(self) -> dict[str, object]:  # locks do not cross process boundaries
        return {**self.__dict__, "_lock": None}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state, _lock=threading.Lock())

    def release(self, digest: str) -> None:
        """Forget a summary nothing indexes any more (an edited file's previous version)."""
        with self._lock:
            self._entries.pop(digest, None)

    def get_or_build(self, digest: str, source: str, path: str) -> ModuleSummary:
        with self._lock:
            found = self._entries.get(digest)
            if found is not None:
                self._entries.move_to_end(digest)
                return found
        summary = safe_summarize(source, path)
        with self._lock:
            self.built += 1
            self._entries[digest] = summary
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        return summary


@dataclass(frozen=True)
class IndexedFile:
    path: str
    digest: str
    summary: ModuleSummary


@dataclass(frozen=True)
class _Derived:
    version: int
    layout: ProjectLayout
    resolver: Resolver
    module_names: dict[str, str]


class WorkspaceIndex:
    """Summaries of the Python files under some folders, and the route table they resolve to."""

    def __init__(self, folders: Sequence[str] = (), cache: Optional[SummaryCache] = None) -> None:
        self.folders = tuple(os.path.abspath(folder) for folder in folders)
        self.cache = cache if cache is not None else SummaryCache()
        self._files: dict[str, IndexedFile] = {}
        self._lock = threading.RLock()
        self.version = 0
        self.complete = False  # every file of the folders is indexed (set by whoever builds it)
        self.library: Optional[Callable[[str], frozenset[str]]] = None  # kinds of installed packages' classes
        # An editor's index: rules get the latest route table and call graph already built, even if a change came
        # after it, rather than wait for a rebuild (the owner rebuilds after each change, then re-checks)
        self.snapshots = False
        self._layout: Optional[tuple[int, ProjectLayout, dict[str, str]]] = None  # (file-set version, layout, names)
        self._file_set_version = 0
        self._derived: Optional[_Derived] = None
        self._routes: Optional[tuple[int, tuple[Route, ...]]] = None
        self._called: Optional[tuple[int, dict[tuple[str, str], frozenset[str]]]] = None
        self._dependencies: Optional[tuple[int, frozenset[tuple[str, str]]]] = None
        self._by_file: Optional[tuple[tuple[Route, ...], dict[str, list[Route]]]] = None
        self.derived_cache: dict[str, object] = {}  # answers rules compute from one route table, by rule

    def __getstate__(self) -> dict[str, object]:  # sent to worker processes: locks and derived answers stay
        return {**self.__dict__, "_lock": None, "_derived": None, "_routes": None, "_layout": None, "_called": None,
                "_dependencies": None, "_by_file": None, "derived_cache": {}}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state, _lock=threading.RLock())

    # -- changes -----------------------------------------------------------------------------------------------

    def set_file(self, path: str, source: str) -> bool:
        """Index this version of a file; False when it was already indexed with this content."""
        path = os.path.abspath(path)
        digest = content_hash(source)
        current = self._files.get(path)
        if current is not None and current.digest == digest:
            return False
        summary = self.cache.get_or_build(digest, source, path)
        with self._lock:
            if path not in self._files:
                self._file_set_version += 1
            self._files[path] = IndexedFile(path, digest, summary)
            self.version += 1
            if current is not None and all(entry.digest != current.digest for entry in self._files.values()):
                self.cache.release(current.digest)  # else every version typed in an editor would stay cached
        return True

    def put_summary(self, path: str, digest: str, summary: ModuleSummary) -> None:
        """Index a summary built elsewhere (another process) for the file's content with hash `digest`."""
        with self._lock:
            path = os.path.abspath(path)
            if path not in self._files:
                self._file_set_version += 1
            self._files[path] = IndexedFile(path, digest, summary)
            self.version += 1

    def remove_file(self, path: str) -> bool:
        with self._lock:
            if self._files.pop(os.path.abspath(path), None) is None:
                return False
            self._file_set_version += 1
            self.version += 1
            return True

    def remove_under(self, directory: str) -> list[str]:
        """Forget every file below a deleted directory; returns their paths."""
        prefix = os.path.abspath(directory).rstrip(os.sep) + os.sep
        with self._lock:
            gone = [path for path in self._files if path.startswith(prefix)]
            for path in gone:
                self.remove_file(path)
            return gone

    def rename_file(self, old: str, new: str, source: Optional[str] = None) -> bool:
        """Move a file's summary to its new path (re-summarised only when `source` differs)."""
        with self._lock:
            entry = self._files.pop(os.path.abspath(old), None)
            if entry is not None:
                self._files[os.path.abspath(new)] = IndexedFile(os.path.abspath(new), entry.digest, entry.summary)
                self._file_set_version += 1
                self.version += 1
        if source is not None:
            self.set_file(new, source)
        return entry is not None

    # -- contents ----------------------------------------------------------------------------------------------

    @property
    def paths(self) -> list[str]:
        with self._lock:
            return sorted(self._files)

    def entries(self) -> list[IndexedFile]:
        with self._lock:
            return list(self._files.values())

    def summary(self, path: str) -> Optional[ModuleSummary]:
        entry = self._files.get(os.path.abspath(path))
        return entry.summary if entry is not None else None

    def summaries(self) -> dict[str, ModuleSummary]:
        with self._lock:
            return {path: entry.summary for path, entry in self._files.items()}

    def covers(self, path: str) -> bool:
        """Whether `path` lies inside one of the index's folders."""
        path = os.path.abspath(path)
        return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in self.folders)

    # -- derived answers ---------------------------------------------------------------------------------------

    def derived(self) -> _Derived:
        with self._lock:
            if self._derived is not None and self._derived.version == self.version:
                return self._derived
            if self._layout is None or self._layout[0] != self._file_set_version:
                layout = ProjectLayout(self.folders, self._files)
                names = {path: layout.module_name(path) for path in self._files}
                self._layout = (self._file_set_version, layout, names)
            _version, layout, names = self._layout
            summaries = {path: entry.summary for path, entry in self._files.items()}
            self._derived = _Derived(self.version, layout, Resolver(layout, summaries, self.library), names)
            return self._derived

    @property
    def resolver(self) -> Resolver:
        return self.derived().resolver

    def module_name(self, path: str) -> str:
        derived = self.derived()
        path = os.path.abspath(path)
        return derived.module_names.get(path) or derived.layout.module_name(path)

    def routes(self) -> tuple[Route, ...]:
        """The whole route table, sorted by path and method."""
        with self._lock:
            if self._routes is not None and self._routes[0] == self.version:
                return self._routes[1]
            derived = self.derived()
            table = RouteTableBuilder(derived.resolver, dict(derived.resolver.summaries), derived.module_names).build()
            self._routes = (self.version, table)
            return table

    def latest_resolver(self) -> Resolver:
        """`resolver`, or with `snapshots` on, the last one built when there is one (no waiting for the lock)."""
        latest = self._derived
        return latest.resolver if self.snapshots and latest is not None else self.resolver

    def latest_routes_by_file(self) -> dict[str, list[Route]]:
        """`latest_routes()` grouped by file, in source order (grouped once per table)."""
        table = self.latest_routes()
        cached = self._by_file
        if cached is not None and cached[0] is table:
            return cached[1]
        grouped: dict[str, list[Route]] = {}
        for route in table:
            grouped.setdefault(route.file, []).append(route)
        for routes in grouped.values():
            routes.sort(key=lambda route: (route.decorator_range.line, route.method))
        self._by_file = (table, grouped)
        return grouped

    def latest_routes(self) -> tuple[Route, ...]:
        """`routes()`, or with `snapshots` on, the last table built when there is one."""
        latest = self._routes
        return latest[1] if self.snapshots and latest is not None else self.routes()

    def latest_dependency_functions(self) -> frozenset[tuple[str, str]]:
        latest = self._dependencies
        return latest[1] if self.snapshots and latest is not None else self.dependency_functions()

    def latest_called_functions(self) -> dict[tuple[str, str], frozenset[str]]:
        latest = self._called
        return latest[1] if self.snapshots and latest is not None else self.called_functions()

    def routes_in(self, path: str) -> list[Route]:
        """Routes declared in one file, in source order."""
        path = os.path.abspath(path)
        return sorted((r for r in self.routes() if r.file == path), key=lambda r: (r.decorator_range.line, r.method))

    def called_functions(self) -> dict[tuple[str, str], frozenset[str]]:
        """For every function of the user's that something calls: (file, qualified name) -> the calling files."""
        with self._lock:
            if self._called is not None and self._called[0] == self.version:
                return self._called[1]
            resolver = self.derived().resolver
            found: dict[tuple[str, str], set[str]] = {}
            for caller_path, summary in resolver.summaries.items():
                uses = [*summary.calls, *(call for function in summary.functions for call in function.calls)]
                for call in uses:
                    target = resolver.resolve(caller_path, call.ref)
                    if target is not None and target.kind == "symbol" and target.path and not target.attributes:
                        found.setdefault((target.path, target.name), set()).add(caller_path)
            table = {key: frozenset(files) for key, files in found.items()}
            self._called = (self.version, table)
            return table

    def imported_closure(self, path: str) -> set[str]:
        """The indexed files the module at `path` reaches through its imports, directly or not (with the
        `__init__.py` of the packages on the way)."""
        resolver = self.derived().resolver
        start = os.path.abspath(path)
        found: set[str] = set()
        pending = [start]
        while pending:
            current = pending.pop()
            summary = resolver.summaries.get(current)
            for dotted in summary.imports if summary is not None else ():
                target = resolver.resolve_import(current, dotted)
                for module in (resolver.module_of(current, dotted), target.path if target is not None else None):
                    for reached in _with_packages(module, resolver.summaries):
                        if reached != start and reached not in found:
                            found.add(reached)
                            pending.append(reached)
        return found

    def dependency_functions(self) -> frozenset[tuple[str, str]]:
        """(file, name) of every function some `Depends(...)`/`Security(...)` of the project names: on a route's
        parameters, in `dependencies=[...]` of a route, router, app or include, or in an `Annotated` alias."""
        with self._lock:
            if self._dependencies is not None and self._dependencies[0] == self.version:
                return self._dependencies[1]
            resolver = self.derived().resolver
            found: set[tuple[str, str]] = set()
            for path, summary in resolver.summaries.items():
                written: list[str] = [*(t for targets in summary.dependency_aliases.values() for t in targets)]
                keyword_sets = [*(r.keywords for r in summary.routes), *(o.keywords for o in summary.objects),
                                *(e.keywords for e in summary.includes)]
                written += [t for keywords in keyword_sets for name, value in keywords if name == "dependencies"
                            for t in value.depends]
                written += [t for route in summary.routes for p in route.parameters for t in p.dependencies]
                for text in written:
                    if not all(part.isidentifier() for part in text.split(".")):
                        continue
                    target = resolver.resolve(path, Ref(RefKind.MODULE, text))
                    if target is not None and target.kind == "symbol" and target.path and not target.attributes:
                        found.add((target.path, target.name))
            result = frozenset(found)
            self._dependencies = (self.version, result)
            return result

    def dependents(self, path: str) -> set[str]:
        """Files that import the module at `path`, directly or through other modules."""
        derived = self.derived()
        importers: dict[str, set[str]] = {}
        for importer, summary in derived.resolver.summaries.items():
            for dotted in summary.imports:
                target = derived.resolver.resolve_import(importer, dotted)
                reached = {derived.resolver.module_of(importer, dotted), target.path if target is not None else None}
                for module in reached - {None, importer}:
                    importers.setdefault(module, set()).add(importer)  # type: ignore[arg-type]
        found: set[str] = set()
        pending = [os.path.abspath(path)]
        while pending:
            for importer in importers.get(pending.pop(), ()):
                if importer not in found:
                    found.add(importer)
                    pending.append(importer)
        found.discard(os.path.abspath(path))
        return found


def _with_packages(module: Optional[str], files: Mapping[str, object]) -> list[str]:
    """The module's file and the indexed `__init__.py` files of the packages above it."""
    if module is None:
        return []
    found = [module]
    directory = os.path.dirname(module)
    while True:
        init = os.path.join(directory, "__init__.py")
        if init not in files or init == module:
            break
        found.append(init)
        directory = os.path.dirname(directory)
    return found


def build_index(folders: Sequence[str], sources: Iterable[tuple[str, str]],
                cache: Optional[SummaryCache] = None) -> WorkspaceIndex:
    """An index of `(path, source)` pairs under `folders`."""
    index = WorkspaceIndex(folders, cache)
    for path, source in sources:
        index.set_file(path, source)
    index.complete = True
    return index
