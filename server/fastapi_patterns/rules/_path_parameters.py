"""Where a route's path parameters come from and go to, for FAP206.

Owns the questions FAP206 asks about one path operation: which `{name}`s its path declares (Starlette's own
syntax, converters included), which names the handler's parameters provide (`Path(alias=...)` included),
which names its dependencies defined in this file consume (recursively), and which parameters its router's
prefixes add. Every answer can be "unknown" (None): a dependency imported from another module, a type alias
that may hide a `Depends`, a router included from another file. Callers then stay silent rather than guess.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from typing import Callable, Iterator, Optional

from ..engine.fastapi_model import (
    DEPENDS, PARAM_MARKERS, PathOperation, RouterInfo, annotated_parts, iter_parameters, keyword_value,
    literal_string,
)
from ..engine.names import BindingKind, FunctionNode, SymbolTable

ANY_NAME = "*"  # a dependency that reads `request.path_params` consumes every name
_ROUTE_PARAMETER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-zA-Z_][a-zA-Z0-9_]*)?\}")
_PATH_MARKERS = frozenset(name for name in PARAM_MARKERS if name.endswith(".Path"))
_TYPE_MODULES = frozenset({"typing", "typing_extensions", "pydantic", "fastapi", "starlette", "sqlalchemy",
                           "sqlmodel", "collections", *sys.stdlib_module_names})
_CONSUMES_NOTHING = ("fastapi.security.",)
_ALIAS_CHOICES = frozenset({"pydantic.AliasChoices", "pydantic.aliases.AliasChoices"})


def route_parameters(path: str) -> list[str]:
    """The `{name}` / `{name:converter}` parameters of a route path, in order, without repeats."""
    return list(dict.fromkeys(match.group(1) for match in _ROUTE_PARAMETER.finditer(path)))


def _markers(arg: ast.arg, default: Optional[ast.expr], names: SymbolTable) -> Optional[list[ast.Call]]:
    """The marker calls of a parameter (its default, its `Annotated` metadata through type aliases and marker
    variables of this file); None when a metadata name cannot be resolved here."""
    metadata = resolved_metadata(arg.annotation, names)
    if metadata is None:
        return None
    found = [m for m in metadata if isinstance(m, ast.Call)]
    if isinstance(default, ast.Call):
        found.append(default)
    return found


def resolved_metadata(annotation: Optional[ast.expr], names: SymbolTable) -> Optional[list[ast.expr]]:
    """`Annotated` metadata of an annotation, following type aliases (`Item = Annotated[int, item_path]`) and
    metadata variables (`item_path = Path(...)`) assigned in this file; None when a metadata name is imported."""
    found: list[ast.expr] = []
    for item in annotated_parts(_assigned_value(annotation, names), names)[1]:
        value = _assigned_value(item, names)
        if isinstance(value, (ast.Name, ast.Attribute)):
            binding = names.binding_of(value) if isinstance(value, ast.Name) else None
            imported = binding is not None and binding.kind is BindingKind.IMPORT or isinstance(value, ast.Attribute)
            if imported and not _is_type_module(names.qualified_name(value)):
                return None  # an imported marker may be a `Path(alias=...)` or a `Depends(...)`
            continue
        if value is not None:
            found.append(value)
    return found


def _assigned_value(node: Optional[ast.expr], names: SymbolTable) -> Optional[ast.expr]:
    for _ in range(5):
        binding = names.binding_of(node) if isinstance(node, ast.Name) else None
        if binding is None or binding.kind is not BindingKind.ASSIGNMENT or binding.value is None:
            return node
        node = binding.value
    return node


def _read_names(marker: ast.Call, arg: ast.arg, names: SymbolTable) -> Optional[tuple[str, ...]]:
    """The request names a `Path(...)` marker may read, as FastAPI does: a string `validation_alias`; the
    strings of `AliasChoices(...)` and, when none is in the path, `alias` or the parameter's name; else
    `alias`; else the parameter's name. None when a name is computed at run time."""
    alias = keyword_value(marker, "alias")
    fallback = (arg.arg,) if alias is None else (literal_string(alias),)
    validation = keyword_value(marker, "validation_alias")
    read: tuple[Optional[str], ...] = fallback
    if validation is not None:
        read = (literal_string(validation),)
        if isinstance(validation, ast.Call) and names.qualified_name(validation.func) in _ALIAS_CHOICES:
            read = (*(literal_string(choice) for choice in validation.args), *fallback)
    if any(name is None for name in read):
        return None
    return tuple(dict.fromkeys(name or "" for name in read))


def provided_names(function: FunctionNode, names: SymbolTable) -> Optional[dict[str, ast.arg]]:
    """Path-parameter names each parameter reads (its aliases when declared with `Path(...)`)."""
    provided: dict[str, ast.arg] = {}
    for arg, default in iter_parameters(function):
        markers = _markers(arg, default, names)
        if markers is None:
            return None
        read: Optional[tuple[str, ...]] = (arg.arg,)
        for marker in markers:
            if names.qualified_name(marker.func) in _PATH_MARKERS:
                read = _read_names(marker, arg, names)
        if read is None:
            return None  # an alias computed at run time could be any name
        provided.update((name, arg) for name in read)
    return provided


def path_declared(function: FunctionNode, names: SymbolTable) -> Iterator[tuple[ast.arg, tuple[str, ...]]]:
    """Parameters declared with `Path(...)` (as default or in `Annotated`), with the names they may read."""
    for arg, default in iter_parameters(function):
        for marker in _markers(arg, default, names) or []:
            if names.qualified_name(marker.func) in _PATH_MARKERS:
                read = _read_names(marker, arg, names)
                if read is not None:
                    yield arg, read


class DependencyReader:
    """Answers "which path-parameter names can the dependencies of this operation consume?" for one module."""

    def __init__(self, tree: ast.Module, names: SymbolTable, source: str, includes: list[ast.Call],
                 remote: Optional[Callable[[ast.expr], Optional[set[str]]]] = None) -> None:
        self.remote = remote  # what a dependency defined in another module consumes (None: unknown)
        self.tree = tree
        self.includes = includes
        self.names = names
        self.mentions_path_params = "path_params" in source
        self.functions = {s.name: s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}

    @functools.cached_property
    def class_of(self) -> dict[int, ast.ClassDef]:
        """The class each method is defined in (class-based views keep dependencies as class attributes)."""
        return {
            id(stmt): node for node in ast.walk(self.tree) if isinstance(node, ast.ClassDef)
            for stmt in node.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        }

    def consumed(self, operation: PathOperation) -> Optional[set[str]]:
        """Names consumed by the operation's dependencies (and a class-based view's attributes); None if unknown."""
        targets: list[ast.expr] = []
        roots = [operation.keyword("dependencies")]
        if operation.router is not None:
            roots.append(operation.router.keyword("dependencies"))
            roots.extend(keyword_value(call, "dependencies") for call in self.includes
                         if isinstance(call.args[0], ast.Name) and call.args[0].id == operation.router.name)
        for root in roots:
            if root is None:
                continue
            if not isinstance(root, (ast.List, ast.Tuple)):
                return None
            targets.extend(root.elts)
        consumed: set[str] = set()
        owner = self.class_of.get(id(operation.function))
        if owner is not None:
            for stmt in owner.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    consumed.add(stmt.target.id)
                    targets.extend(e for e in (stmt.annotation, stmt.value) if e is not None)
        markers = self._parameter_markers(operation.function)
        if markers is None:
            return None
        targets.extend(markers)
        for target in targets:
            found = self._consumed_by_marker(target, set())
            if found is None:
                return None
            consumed |= found
        return consumed

    def reads_path_params(self, function: FunctionNode) -> bool:
        """The function reads `request.path_params` (or any `.path_params`) itself."""
        return self.mentions_path_params and any(
            isinstance(n, ast.Attribute) and n.attr == "path_params" for n in ast.walk(function))

    def _parameter_markers(self, function: FunctionNode) -> Optional[list[ast.expr]]:
        """The `Depends(...)` markers of a function's parameters; None when an annotation may hide one."""
        markers: list[ast.expr] = []
        for arg, default in iter_parameters(function):
            if arg.annotation is not None:
                hidden = self._alias_markers(arg.annotation)
                if hidden is None:
                    return None
                markers.extend(hidden)
            if default is not None:
                markers.append(default)
        return markers

    def _alias_markers(self, annotation: ast.expr, depth: int = 0) -> Optional[list[ast.expr]]:
        """Markers inside an annotation, following type aliases defined in this file; None when it may hide one."""
        if depth > 5:
            return None
        if isinstance(annotation, ast.Name):
            binding = self.names.binding_of(annotation)
            if binding is not None and binding.kind is BindingKind.ASSIGNMENT and binding.value is not None:
                return self._alias_markers(binding.value, depth + 1)
            if binding is not None and binding.kind is BindingKind.IMPORT:
                return [] if _is_type_module(binding.qualified_name) else None
        elif isinstance(annotation, ast.Attribute):
            return [] if _is_type_module(self.names.qualified_name(annotation)) else None
        return resolved_metadata(annotation, self.names)

    def _consumed_by_marker(self, marker: ast.expr, seen: set[int]) -> Optional[set[str]]:
        if not (isinstance(marker, ast.Call) and self.names.qualified_name(marker.func) in DEPENDS):
            return set()
        target = marker.args[0] if marker.args else keyword_value(marker, "dependency")
        function = self._local_function(target)
        if function is None:
            if self._consumes_nothing(target):
                return set()
            return self.remote(target) if self.remote is not None and target is not None else None
        if id(function) in seen:
            return set()
        seen.add(id(function))
        if function.args.kwarg is not None or self.reads_path_params(function):
            return {ANY_NAME}
        provided = provided_names(function, self.names)
        consumed = set(provided) if provided is not None else {ANY_NAME}
        markers = self._parameter_markers(function)
        if markers is None:
            return None
        for inner in markers:
            found = self._consumed_by_marker(inner, seen)
            if found is None:
                return None
            consumed |= found
        return consumed

    def _local_function(self, target: Optional[ast.expr]) -> Optional[FunctionNode]:
        if not isinstance(target, ast.Name):
            return None
        binding = self.names.binding_of(target)
        if binding is not None and binding.kind is BindingKind.FUNCTION and isinstance(
                binding.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return binding.node
        return self.functions.get(target.id) if binding is None else None

    def _consumes_nothing(self, target: Optional[ast.expr]) -> bool:
        """A FastAPI security scheme (`OAuth2PasswordBearer(...)`, directly or through a variable)."""
        if isinstance(target, ast.Name):
            binding = self.names.binding_of(target)
            target = binding.value if binding is not None and binding.kind is BindingKind.ASSIGNMENT else None
        if isinstance(target, ast.Call):
            callee = self.names.qualified_name(target.func) or ""
            return callee.startswith(_CONSUMES_NOTHING)
        return False


def prefix_parameters(operation: PathOperation, includes: list[ast.Call],
                      routers: dict[str, RouterInfo]) -> Optional[set[str]]:
    """Path parameters the operation's prefixes add, when every prefix on the way to an app is in this file."""
    if operation.router is None:
        return None
    return _router_prefix_parameters(operation.router, includes, routers, depth=0)


def _router_prefix_parameters(router: RouterInfo, includes: list[ast.Call], routers: dict[str, RouterInfo],
                              depth: int) -> Optional[set[str]]:
    if router.kind == "app":
        return set()
    own = router.keyword("prefix")
    if depth > 5 or (own is not None and literal_string(own) is None):
        return None
    found = set(route_parameters(router.prefix))
    mine = [call for call in includes if isinstance(call.args[0], ast.Name) and call.args[0].id == router.name]
    if not mine:
        return None  # included from another module, under a prefix this file cannot see
    for call in mine:
        assert isinstance(call.func, ast.Attribute)
        prefix = keyword_value(call, "prefix")
        parent = routers.get(call.func.value.id) if isinstance(call.func.value, ast.Name) else None
        if parent is None or (prefix is not None and literal_string(prefix) is None):
            return None
        above = _router_prefix_parameters(parent, includes, routers, depth + 1)
        if above is None:
            return None
        found |= above | set(route_parameters(literal_string(prefix) or ""))
    return found


def _is_type_module(qualified: Optional[str]) -> bool:
    return bool(qualified) and (qualified or "").split(".", 1)[0] in _TYPE_MODULES
