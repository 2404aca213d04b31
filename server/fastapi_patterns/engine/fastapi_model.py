"""What one module means to FastAPI: its apps and routers, path operations, dependencies and Pydantic models.

Computed once per document version from the `ast` tree and the symbol table, and shared by every rule, so no
rule re-detects `FastAPI()` or `APIRouter()` itself. Objects are recognised by qualified name (through imports,
aliases and in-file subclasses). When the object a route decorator hangs off cannot be resolved in the file
(imported from another module, a parameter, the result of a user function), the catalog's fallback applies: in
a module that imports fastapi, a decorator attribute named like a route method still makes a path operation.
An object that *is* resolved to something else (a module, a Flask app, a cache client) never does.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterator, Optional, Union

from .names import BindingKind, FunctionNode, SymbolTable

ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "options", "head", "trace", "api_route", "websocket"}
)
APP_CLASSES = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})
ROUTER_CLASSES = frozenset({"fastapi.APIRouter", "fastapi.routing.APIRouter"})
DEPENDS = frozenset(
    {"fastapi.Depends", "fastapi.params.Depends", "fastapi.param_functions.Depends",
     "fastapi.Security", "fastapi.params.Security", "fastapi.param_functions.Security"}
)
PARAM_MARKERS = frozenset(
    f"{module}.{name}"
    for module in ("fastapi", "fastapi.params", "fastapi.param_functions")
    for name in ("Query", "Path", "Body", "Header", "Cookie", "Form", "File")
)
MODEL_BASES = frozenset(
    {"pydantic.BaseModel", "pydantic.main.BaseModel", "pydantic.v1.BaseModel", "sqlmodel.SQLModel",
     "pydantic.RootModel"}
)
SETTINGS_BASES = frozenset(
    {"pydantic_settings.BaseSettings", "pydantic.BaseSettings", "pydantic.v1.BaseSettings",
     "pydantic_settings.main.BaseSettings"}
)
NON_FASTAPI_ROOTS = frozenset(
    {"builtins", "flask", "quart", "sanic", "django", "aiohttp", "requests", "httpx", "bottle", "falcon",
     "litestar", "starlette", "typer", "click", "redis", "collections", "functools", "cachetools", "aiocache"}
)
FRAMEWORK_MODULES = frozenset({"fastapi", "starlette", "pydantic", "pydantic_settings", "sqlalchemy", "sqlmodel"})


@dataclass
class RouterInfo:
    """An app or router object created in this module."""

    name: str
    kind: str  # "app" | "router"
    call: ast.Call

    def keyword(self, name: str) -> Optional[ast.expr]:
        return keyword_value(self.call, name)

    @property
    def prefix(self) -> str:
        return literal_string(self.keyword("prefix")) or ""


@dataclass
class PathOperation:
    """One route decorator on one handler function."""

    function: FunctionNode
    decorator: ast.Call
    router: Optional[RouterInfo]
    attribute: str  # get, post, ..., api_route, websocket
    methods: tuple[str, ...]
    path: Optional[str]
    path_node: Optional[ast.expr]

    @property
    def is_async(self) -> bool:
        return isinstance(self.function, ast.AsyncFunctionDef)

    @property
    def is_websocket(self) -> bool:
        return self.attribute == "websocket"

    @property
    def is_documentation_only(self) -> bool:
        """A webhook (`@app.webhooks.post("new-order")`) or an OpenAPI callback (`"{$callback_url}/events"`):
        described in the OpenAPI schema for the client's server to implement, never served by this app."""
        owner = self.decorator.func.value if isinstance(self.decorator.func, ast.Attribute) else None
        if isinstance(owner, ast.Attribute) and owner.attr == "webhooks":
            return True
        return self.path is not None and self.path.startswith("{$")

    def keyword(self, name: str) -> Optional[ast.expr]:
        return keyword_value(self.decorator, name)

    def has_keyword(self, name: str) -> bool:
        return any(k.arg == name for k in self.decorator.keywords) or any(
            k.arg is None for k in self.decorator.keywords
        )


@dataclass
class FastApiModel:
    imports_fastapi: bool
    routers: dict[str, RouterInfo] = field(default_factory=dict)
    path_operations: list[PathOperation] = field(default_factory=list)
    dependency_calls: list[ast.Call] = field(default_factory=list)
    dependencies: dict[int, FunctionNode] = field(default_factory=dict)
    models: dict[str, ast.ClassDef] = field(default_factory=dict)
    include_calls: list[ast.Call] = field(default_factory=list)  # `<app or router>.include_router(<name>, ...)`
    settings: dict[str, ast.ClassDef] = field(default_factory=dict)
    _operations_by_function: dict[int, list[PathOperation]] = field(default_factory=dict)

    def operations_of(self, function: ast.AST) -> list[PathOperation]:
        return self._operations_by_function.get(id(function), [])

    def is_path_operation(self, function: ast.AST) -> bool:
        return id(function) in self._operations_by_function

    def is_dependency(self, function: ast.AST) -> bool:
        return id(function) in self.dependencies

    def is_endpoint_or_dependency(self, function: ast.AST) -> bool:
        return self.is_path_operation(function) or self.is_dependency(function)


def build_model(tree: ast.Module, names: SymbolTable) -> FastApiModel:
    return _ModelBuilder(tree, names).build()


class _ModelBuilder:
    def __init__(self, tree: ast.Module, names: SymbolTable) -> None:
        self.tree = tree
        self.names = names
        roots = names.imported_modules()
        self.model = FastApiModel(imports_fastapi="fastapi" in roots)
        self.app_classes = set(APP_CLASSES)
        self.router_classes = set(ROUTER_CLASSES)
        self.functions: list[FunctionNode] = []
        self.classes: list[ast.ClassDef] = []
        self.calls: list[ast.Call] = []

    def build(self) -> FastApiModel:
        for node, _scope in self.names.visit_order:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.append(node)
            elif isinstance(node, ast.ClassDef):
                self.classes.append(node)
            elif isinstance(node, ast.Call):
                self.calls.append(node)
        self.model.include_calls = [
            call for call in self.calls
            if isinstance(call.func, ast.Attribute) and call.func.attr == "include_router"
            and bool(call.args) and isinstance(call.args[0], ast.Name)
        ]
        self._classes()
        self._routers()
        for function in self.functions:
            self._path_operations(function)
        self._dependencies()
        return self.model

    # -- classes -----------------------------------------------------------------------------------------

    def _classes(self) -> None:
        changed = True
        model_bases, settings_bases = set(MODEL_BASES), set(SETTINGS_BASES)
        prefix = f"{self.names.module_name}." if self.names.module_name else ""
        while changed:  # in-file subclasses of subclasses, in any order
            changed = False
            for cls in self.classes:
                own = prefix + cls.name
                bases = {self.names.qualified_name(b) for b in cls.bases}
                for group, target in (
                    (self.app_classes, None), (self.router_classes, None),
                    (settings_bases, self.model.settings), (model_bases, self.model.models),
                ):
                    if own not in group and bases & group:
                        group.add(own)
                        if target is not None:
                            target[cls.name] = cls
                        if group is settings_bases:
                            self.model.models[cls.name] = cls
                        changed = True

    # -- apps and routers --------------------------------------------------------------------------------

    def _routers(self) -> None:
        for stmt in self.tree.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and isinstance(stmt.value, ast.Call):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                kind = self._created_kind(stmt.value)
                if kind is None:
                    continue
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.model.routers[target.id] = RouterInfo(target.id, kind, stmt.value)

    def _created_kind(self, call: ast.Call) -> Optional[str]:
        callee = self.names.qualified_name(call.func)
        if callee in self.app_classes:
            return "app"
        if callee in self.router_classes:
            return "router"
        return None

    def resolve_owner(self, owner: ast.expr, depth: int = 0) -> Union[RouterInfo, str, None]:
        """RouterInfo when `owner` is a known app/router, "unknown" when it cannot be resolved, None otherwise."""
        if depth > 10:
            return "unknown"
        if isinstance(owner, ast.Name):
            binding = self.names.binding_of(owner)
            if binding is None:
                return "unknown"
            if binding.kind is BindingKind.ASSIGNMENT:
                value = binding.value
                if isinstance(value, ast.Call):
                    kind = self._created_kind(value)
                    if kind is not None:
                        return self.model.routers.get(owner.id) or RouterInfo(owner.id, kind, value)
                    callee = self.names.qualified_name(value.func) or ""
                    if callee.split(".", 1)[0] in NON_FASTAPI_ROOTS:
                        return None
                    local = self.names.binding_of(value.func) if isinstance(value.func, ast.Name) else None
                    if local is not None and local.kind is BindingKind.CLASS:
                        return None
                    return "unknown"
                if isinstance(value, (ast.Name, ast.Attribute)):
                    return self.resolve_owner(value, depth + 1)
                return "unknown" if value is None else None
            if binding.kind is BindingKind.IMPORT:
                return None if isinstance(binding.node, ast.Import) else "unknown"
            if binding.kind is BindingKind.PARAMETER:
                annotation = binding.annotation
                if annotation is not None:
                    qualified = self.names.qualified_name(annotation)
                    if qualified in self.app_classes or qualified in self.router_classes:
                        kind = "app" if qualified in self.app_classes else "router"
                        return RouterInfo(owner.id, kind, ast.Call(func=annotation, args=[], keywords=[]))
                return "unknown"
            if binding.kind in (BindingKind.FUNCTION, BindingKind.CLASS):
                return None
            return "unknown"
        if isinstance(owner, ast.Attribute):
            base = self.names.qualified_name(owner)
            if base is not None and isinstance(owner.value, ast.Name):
                binding = self.names.binding_of(owner.value)
                if binding is not None and isinstance(binding.node, ast.Import):
                    return None  # an attribute of an imported module that is not a router class
            return "unknown"
        return "unknown"

    def _path_operations(self, function: FunctionNode) -> None:
        for decorator in function.decorator_list:
            if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
                continue
            attribute = decorator.func.attr
            if attribute not in ROUTE_METHODS:
                continue
            owner = self.resolve_owner(decorator.func.value)
            if owner is None or (owner == "unknown" and not self.model.imports_fastapi):
                continue
            router = owner if isinstance(owner, RouterInfo) else None
            path_node = decorator.args[0] if decorator.args else keyword_value(decorator, "path")
            operation = PathOperation(
                function=function,
                decorator=decorator,
                router=router,
                attribute=attribute,
                methods=_methods(attribute, decorator),
                path=literal_string(path_node),
                path_node=path_node,
            )
            self.model.path_operations.append(operation)
            self.model._operations_by_function.setdefault(id(function), []).append(operation)

    # -- dependencies ------------------------------------------------------------------------------------

    def _dependencies(self) -> None:
        module_functions = {
            stmt.name: stmt for stmt in self.tree.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        for call in self.calls:
            if self.names.qualified_name(call.func) not in DEPENDS:
                continue
            self.model.dependency_calls.append(call)
            target = call.args[0] if call.args else keyword_value(call, "dependency")
            if isinstance(target, ast.Name):
                binding = self.names.binding_of(target)
                if binding is not None and binding.kind is BindingKind.FUNCTION:
                    node = binding.node
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self.model.dependencies[id(node)] = node
                elif binding is None and target.id in module_functions:
                    node = module_functions[target.id]
                    self.model.dependencies[id(node)] = node


def _methods(attribute: str, decorator: ast.Call) -> tuple[str, ...]:
    if attribute == "websocket":
        return ()
    if attribute != "api_route":
        return (attribute.upper(),)
    methods = keyword_value(decorator, "methods")
    if isinstance(methods, (ast.List, ast.Tuple, ast.Set)):
        found = tuple(s.upper() for s in (literal_string(e) for e in methods.elts) if s)
        return found or ("GET",)
    return ("GET",)


def keyword_value(call: ast.Call, name: str) -> Optional[ast.expr]:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def literal_string(node: Optional[ast.AST]) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def iter_parameters(function: FunctionNode) -> Iterator[tuple[ast.arg, Optional[ast.expr]]]:
    """Every parameter of a function with its default (None when it has none), in declaration order."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    for index, arg in enumerate(positional):
        yield arg, args.defaults[index - first_default] if index >= first_default else None
    if args.vararg is not None:
        yield args.vararg, None
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        yield arg, default
    if args.kwarg is not None:
        yield args.kwarg, None


def annotated_parts(annotation: Optional[ast.expr], names: SymbolTable) -> tuple[Optional[ast.expr], list[ast.expr]]:
    """For `Annotated[T, m1, m2]` return (T, [m1, m2]); otherwise (annotation, [])."""
    if (
        isinstance(annotation, ast.Subscript)
        and names.qualified_name(annotation.value) in ("typing.Annotated", "typing_extensions.Annotated")
        and isinstance(annotation.slice, ast.Tuple)
        and annotation.slice.elts
    ):
        first, *rest = annotation.slice.elts
        return first, rest
    return annotation, []
