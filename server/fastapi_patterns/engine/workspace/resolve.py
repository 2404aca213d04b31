"""Following names across the user's modules: imports, re-exports, aliases, and what a class or object is.

A `Resolver` answers, for one version of the index, where a `Ref` of some module leads: to one of the user's
modules, to a name defined in one (a function, a class, an object, a constant; maybe with attributes read from
it, `settings.API_PREFIX`), or out of the workspace to an installed package's qualified name (`fastapi.APIRouter`).
Relative imports are resolved from the importing file's directory, absolute ones against the layout's roots;
re-exports (`from .users import router` in a package's `__init__.py`), star imports and module-level aliases are
followed, with a depth limit against cycles. Classes are classified through their bases across modules (an
`APIRouter` subclass defined in another file, a Pydantic model whose base lives elsewhere, ORM models).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Optional

from ..fastapi_model import APP_CLASSES, MODEL_BASES, ROUTER_CLASSES, SETTINGS_BASES
from .layout import ProjectLayout
from .summary import ModuleSummary, ObjectSummary, Ref, RefKind, TopKind, Value

MAX_DEPTH = 24
ORM_BASES = frozenset({"sqlalchemy.orm.DeclarativeBase", "sqlalchemy.orm.DeclarativeBaseNoMeta",
                       "sqlalchemy.orm.decl_api.DeclarativeBase"})
ORM_BASE_FACTORIES = frozenset({"sqlalchemy.orm.declarative_base", "sqlalchemy.ext.declarative.declarative_base",
                                "sqlalchemy.orm.decl_api.declarative_base"})
EXTERNAL_KINDS: dict[str, str] = {
    **{name: "app" for name in APP_CLASSES}, **{name: "router" for name in ROUTER_CLASSES},
    **{name: "model" for name in MODEL_BASES}, **{name: "settings" for name in SETTINGS_BASES},
    **{name: "orm" for name in ORM_BASES},
}


@dataclass(frozen=True)
class Target:
    """Where a name leads: `module` (path), `symbol` (path, name, attributes read from it) or `external`."""

    kind: str
    path: Optional[str] = None
    name: str = ""
    attributes: tuple[str, ...] = ()


class Resolver:
    def __init__(self, layout: ProjectLayout, summaries: Mapping[str, ModuleSummary],
                 library: Optional[Callable[[str], frozenset[str]]] = None) -> None:
        self.layout = layout
        self.summaries = summaries
        self.library = library  # kinds of a class of an installed package, when someone can tell
        self._imports: dict[tuple[str, str], Optional[Target]] = {}
        self._kinds: dict[tuple[str, str], frozenset[str]] = {}

    # -- names -------------------------------------------------------------------------------------------------

    def resolve(self, path: str, ref: Optional[Ref], depth: int = 0) -> Optional[Target]:
        """The definition `ref` (as seen in the module at `path`) leads to."""
        if ref is None or depth > MAX_DEPTH:
            return None
        if ref.kind is RefKind.IMPORTED:
            return self.resolve_import(path, ref.target, depth + 1)
        if ref.kind is RefKind.MODULE:
            head, *rest = ref.target.split(".")
            return self.lookup(path, head, tuple(rest), depth + 1)
        if ref.kind is RefKind.LOCAL:
            scope, separator, tail = ref.target.rpartition(".<locals>.")
            name, *rest = tail.split(".")
            return Target("symbol", path, f"{scope}{separator}{name}", tuple(rest))
        return None  # a parameter: only its call sites can tell

    def resolve_import(self, path: str, dotted: str, depth: int = 0) -> Optional[Target]:
        key = (self.layout.relative_base(path, 1) if dotted.startswith(".") else "", dotted)
        if key in self._imports:
            return self._imports[key]
        self._imports[key] = None  # guards against import cycles
        found = self._resolve_import(path, dotted, depth)
        self._imports[key] = found
        return found

    def _resolve_import(self, path: str, dotted: str, depth: int) -> Optional[Target]:
        if dotted.startswith("."):
            level = len(dotted) - len(dotted.lstrip("."))
            remainder = dotted[level:]
            base = self.layout.relative_base(path, level)
            return self._resolve_below(base, remainder.split(".") if remainder else [], 0, depth)
        parts = dotted.split(".")
        for root in self.layout.search_paths:
            found = self._resolve_below(root, parts, 1, depth)
            if found is not None:
                return found
        return Target("external", name=dotted)

    def _resolve_below(self, base: str, parts: list[str], fewest: int, depth: int) -> Optional[Target]:
        for count in range(len(parts), fewest - 1, -1):
            location = self.layout.locate(base, parts[:count])
            if location is None:
                continue
            rest = parts[count:]
            if not rest:
                return Target("module", location.file or location.directory)
            if location.file is None:
                return None  # a namespace package has no attributes besides its submodules
            return self.lookup(location.file, rest[0], tuple(rest[1:]), depth + 1)
        return None

    def module_of(self, path: str, dotted: str) -> Optional[str]:
        """The file of the module an import path names (the package itself for `from pkg import name`)."""
        level = len(dotted) - len(dotted.lstrip("."))
        parts = [part for part in dotted[level:].split(".") if part]
        bases = [self.layout.relative_base(path, level)] if level else self.layout.search_paths
        for base in bases:
            for count in range(len(parts), -1 if level else 0, -1):
                location = self.layout.locate(base, parts[:count])
                if location is not None:
                    return location.file
        return None

    def lookup(self, path: str, name: str, attributes: tuple[str, ...], depth: int = 0) -> Optional[Target]:
        """`name` (then `attributes`) read from the top level of the module at `path`."""
        summary = self.summaries.get(path)
        if summary is None or depth > MAX_DEPTH:
            return None
        top = summary.names.get(name)
        if top is None:
            for star in summary.star_imports:
                joined = f"{star}{name}" if star.endswith(".") else f"{star}.{name}"
                found = self.resolve_import(path, ".".join((joined, *attributes)), depth + 1)
                if found is not None and found.kind != "external":
                    return found
            return None
        if top.kind is TopKind.IMPORT and top.target:
            return self.resolve_import(path, ".".join((top.target, *attributes)), depth + 1)
        if top.kind is TopKind.ALIAS and top.ref is not None:
            ref = top.ref
            for attribute in attributes:
                ref = ref.with_attribute(attribute)
            return self.resolve(path, ref, depth + 1)
        return Target("symbol", path, name, attributes)

    # -- what things are ---------------------------------------------------------------------------------------

    def object_of(self, target: Optional[Target]) -> Optional[ObjectSummary]:
        if target is None or target.kind != "symbol" or target.path is None:
            return None
        summary = self.summaries.get(target.path)
        return summary.object_named(target.name) if summary is not None else None

    def kinds_of_object(self, path: str, obj: ObjectSummary) -> frozenset[str]:
        """What calling the object's constructor makes: an app, a router, settings, an ORM base..."""
        return self.kinds_of_type(path, obj.callee)

    def kinds_of_type(self, path: str, ref: Ref) -> frozenset[str]:
        """The kinds of the class `ref` names (for a factory such as `declarative_base`, of what it makes)."""
        callee = self.resolve(path, ref)
        if callee is None:
            return frozenset()
        if callee.kind == "external":
            if callee.name in ORM_BASE_FACTORIES:
                return frozenset({"orm-base"})
            kind = EXTERNAL_KINDS.get(callee.name)
            if kind is None and self.library is not None:
                return self.library(callee.name)
            return frozenset({kind}) if kind else frozenset()
        if callee.kind == "symbol" and callee.path is not None and not callee.attributes:
            return self.kinds_of_class(callee.path, callee.name)
        return frozenset()

    def kinds_of_class(self, path: str, name: str, depth: int = 0) -> frozenset[str]:
        """Every kind a class is through its bases: model, settings, router, app, orm (empty when none)."""
        key = (path, name)
        if key in self._kinds:
            return self._kinds[key]
        self._kinds[key] = frozenset()
        summary = self.summaries.get(path)
        cls = summary.class_named(name) if summary is not None else None
        known = EXTERNAL_KINDS.get(f"{self.layout.module_name(path)}.{name}")
        if known is not None:  # the framework's own source is indexed: its classes are what they are
            self._kinds[key] = frozenset({known})
            return self._kinds[key]
        if cls is None or depth > MAX_DEPTH:
            return frozenset()
        kinds: set[str] = {cls.local_kind} if cls.local_kind else set()
        for base in cls.bases:
            target = self.resolve(path, base)
            if target is None:
                continue
            if target.kind == "external":
                if target.name in EXTERNAL_KINDS:
                    kinds.add(EXTERNAL_KINDS[target.name])
                elif self.library is not None:
                    kinds |= self.library(target.name)
            elif target.kind == "symbol" and target.path is not None and not target.attributes:
                base_object = self.object_of(target)
                if base_object is not None:
                    if "orm-base" in self.kinds_of_object(target.path, base_object):
                        kinds.add("orm")
                else:
                    kinds |= self.kinds_of_class(target.path, target.name, depth + 1)
        table = dict(cls.keywords).get("table")
        if table is not None and table.literal is True and "model" in kinds:
            kinds.add("orm")
        result = frozenset(kinds)
        self._kinds[key] = result
        return result

    def string_value(self, path: str, value: Optional[Value]) -> Optional[str]:
        """A string a value stands for: a literal, a module constant, or a class field's literal default read
        through an object (`settings.API_PREFIX` where `settings = Settings()`)."""
        if value is None:
            return None
        if isinstance(value.literal, str):
            return value.literal
        target = self.resolve(path, value.ref)
        if target is None or target.kind != "symbol" or target.path is None:
            return None
        summary = self.summaries[target.path]
        if not target.attributes:
            return summary.constants.get(target.name)
        if len(target.attributes) != 1:
            return None
        obj = summary.object_named(target.name)
        class_path, class_name = target.path, target.name
        if obj is not None:
            callee = self.resolve(target.path, obj.callee)
            if callee is None or callee.kind != "symbol" or callee.path is None or callee.attributes:
                return None
            class_path, class_name = callee.path, callee.name
        cls = self.summaries[class_path].class_named(class_name) if class_path in self.summaries else None
        for field in cls.fields if cls is not None else ():
            if field.name == target.attributes[0] and field.default is not None:
                return field.default.literal if isinstance(field.default.literal, str) else None
        return None
