"""Building a module's summary from the same pieces `analyze()` uses: document, symbol table, FastAPI model.

This module owns the FastAPI side of a summary: module-level names, objects built by calls (apps, routers,
settings), path operations, and `include_router`/`mount` edges. Path operations come from `build_model`; on top
of it (additively) it records what only the whole workspace can confirm: routers created inside factory
functions, route decorators and `add_api_route` calls on objects built or imported from elsewhere (a router
class defined in another module, a router imported from another file). Functions, classes and models are
summarised by `code_facts`. The symbol table is built without a module name, so the summary does not depend on
where the file lives.
"""

from __future__ import annotations

import ast
from typing import Optional

from ..document import Document
from ..fastapi_model import (
    NON_FASTAPI_ROOTS, ROUTE_METHODS, FastApiModel, PathOperation, annotated_parts, build_model,
    iter_parameters, keyword_value, literal_string,
)
from ..fastapi_model import _methods as route_methods
from ..names import BindingKind, FunctionNode, SymbolTable
from . import code_facts
from .references import (
    depends_target, first_line_range, is_library_ref, keywords_of, local_name, name_range, qualified_scope_name,
    reference, text_of, value_of,
)
from .summary import (
    IncludeEdge, ModuleSummary, ObjectSummary, ParameterSummary, Ref, RefKind, RouteDeclaration, TopKind,
    TopLevelName,
)

KEPT_LIBRARY_OBJECTS = frozenset({"contextvars.ContextVar"})  # standard-library objects rules ask about
IMPERATIVE_ROUTES = {"add_api_route": "api_route", "add_api_websocket_route": "websocket"}


def summarize(source: str, path: str = "<unknown>") -> ModuleSummary:
    """The summary of one version of a module. Never raises: a file that does not parse says so."""
    document = Document(source, path)
    tree = document.tree
    if tree is None:
        problem = document.syntax_problem
        where = f"{problem.message} (line {problem.line + 1})" if problem is not None else "cannot parse"
        return ModuleSummary(parsed=False, syntax_error=where)
    names = SymbolTable(tree)
    return _Summarizer(document, tree, names, build_model(tree, names)).build()


class _Summarizer:
    def __init__(self, document: Document, tree: ast.Module, names: SymbolTable, model: FastApiModel) -> None:
        self.document = document
        self.tree = tree
        self.names = names
        self.model = model
        self.constants: dict[str, str] = {}

    def build(self) -> ModuleSummary:
        facts = code_facts.collect(self.document, self.names, self.model)
        return ModuleSummary(
            parsed=True,
            names=self._top_level_names(),
            star_imports=self._star_imports(),
            imports=tuple(dict.fromkeys(b.qualified_name for b in self.names.imports() if b.qualified_name)),
            constants=self.constants,
            objects=self._objects(),
            routes=self._routes(),
            includes=self._includes(),
            functions=facts.functions,
            classes=facts.classes,
            dependency_aliases=self._dependency_aliases(),
            calls=facts.module_calls,
        )

    # -- names and objects ---------------------------------------------------------------------------------

    def _top_level_names(self) -> dict[str, TopLevelName]:
        found: dict[str, TopLevelName] = {}
        for name, bindings in self.names.module_scope.bindings.items():
            binding = bindings[-1]
            line = binding.position[0] - 1
            value = binding.value
            if binding.kind is BindingKind.IMPORT:
                found[name] = TopLevelName(TopKind.IMPORT, line, target=binding.qualified_name)
            elif binding.kind is BindingKind.FUNCTION:
                found[name] = TopLevelName(TopKind.FUNCTION, line)
            elif binding.kind is BindingKind.CLASS:
                found[name] = TopLevelName(TopKind.CLASS, line)
            elif binding.kind is BindingKind.ASSIGNMENT and isinstance(value, ast.Call):
                found[name] = TopLevelName(TopKind.OBJECT, line)
            elif binding.kind is BindingKind.ASSIGNMENT and isinstance(value, (ast.Name, ast.Attribute)):
                found[name] = TopLevelName(TopKind.ALIAS, line, ref=reference(value, self.names))
            elif binding.kind is BindingKind.ASSIGNMENT and literal_string(value) is not None:
                self.constants[name] = literal_string(value) or ""
                found[name] = TopLevelName(TopKind.CONSTANT, line)
            else:
                found[name] = TopLevelName(TopKind.OTHER, line)
        return found

    def _star_imports(self) -> tuple[str, ...]:
        return tuple(
            "." * stmt.level + (stmt.module or "")
            for stmt in self.tree.body
            if isinstance(stmt, ast.ImportFrom) and any(alias.name == "*" for alias in stmt.names)
        )

    def _objects(self) -> tuple[ObjectSummary, ...]:
        objects: list[ObjectSummary] = []
        for node, scope in self.names.visit_order:
            if not isinstance(node, (ast.Assign, ast.AnnAssign)) or not isinstance(node.value, ast.Call):
                continue
            if scope.is_class or isinstance(scope.node, (ast.Lambda, ast.comprehension)):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            callee = reference(node.value.func, self.names)
            if callee is None or (is_library_ref(callee) and callee.target not in KEPT_LIBRARY_OBJECTS):
                continue
            keywords = keywords_of(node.value, self.document, self.names)
            for target in targets:
                if isinstance(target, ast.Name):
                    objects.append(ObjectSummary(
                        local_name(scope, target.id), callee, keywords, first_line_range(node, self.document)
                    ))
        return tuple(objects)

    # -- path operations -------------------------------------------------------------------------------------

    def _routes(self) -> tuple[RouteDeclaration, ...]:
        routes = [self._declared(operation, recognised=True) for operation in self.model.path_operations]
        for node, _scope in self.names.visit_order:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                routes.extend(self._candidate_decorators(node))
            elif isinstance(node, ast.Call):
                imperative = self._imperative_route(node)
                if imperative is not None:
                    routes.append(imperative)
        return tuple(routes)

    def _declared(self, operation: PathOperation, recognised: bool) -> RouteDeclaration:
        function, decorator = operation.function, operation.decorator
        owner = decorator.func.value if isinstance(decorator.func, ast.Attribute) else None
        first_line = min([d.lineno for d in function.decorator_list] + [function.lineno]) - 1
        return RouteDeclaration(
            owner=reference(owner, self.names),
            attribute=operation.attribute,
            methods=operation.methods,
            path=operation.path,
            path_text=text_of(operation.path_node, self.document) if operation.path_node is not None else "",
            handler=self._qualified(function),
            handler_range=name_range(function, self.document),
            decorator_range=first_line_range(decorator, self.document),
            function_lines=(first_line, (function.end_lineno or function.lineno) - 1),
            is_async=operation.is_async,
            keywords=keywords_of(decorator, self.document, self.names),
            parameters=self._parameters(function),
            return_annotation=text_of(function.returns, self.document) if function.returns is not None else None,
            confirmed=operation.router is not None,
            recognised=recognised,
            documentation_only=operation.is_documentation_only,
        )

    def _candidate_decorators(self, function: FunctionNode) -> list[RouteDeclaration]:
        """Route decorators the model left out because their owner is made or imported elsewhere."""
        known = {id(operation.decorator) for operation in self.model.operations_of(function)}
        found: list[RouteDeclaration] = []
        for decorator in function.decorator_list:
            if id(decorator) in known or not isinstance(decorator, ast.Call):
                continue
            if not isinstance(decorator.func, ast.Attribute) or decorator.func.attr not in ROUTE_METHODS:
                continue
            if not self._may_be_router(reference(decorator.func.value, self.names)):
                continue
            path_node = decorator.args[0] if decorator.args else keyword_value(decorator, "path")
            operation = PathOperation(
                function, decorator, None, decorator.func.attr, route_methods(decorator.func.attr, decorator),
                literal_string(path_node), path_node,
            )
            found.append(self._declared(operation, recognised=False))
        return found

    def _may_be_router(self, ref: Optional[Ref]) -> bool:
        if ref is None or is_library_ref(ref):
            return False
        return not (ref.kind is RefKind.IMPORTED and ref.target.split(".", 1)[0] in NON_FASTAPI_ROOTS)

    def _imperative_route(self, call: ast.Call) -> Optional[RouteDeclaration]:
        """`router.add_api_route("/path", endpoint, methods=[...])` and its websocket twin."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in IMPERATIVE_ROUTES or len(call.args) < 1:
            return None
        owner = reference(func.value, self.names)
        if not self._may_be_router(owner):
            return None
        path_node = call.args[0]
        endpoint = call.args[1] if len(call.args) > 1 else keyword_value(call, "endpoint")
        handler_node = self._local_function(endpoint)
        attribute = IMPERATIVE_ROUTES[func.attr]
        call_range = first_line_range(call, self.document)
        recognised = isinstance(func.value, ast.Name) and func.value.id in self.model.routers
        return RouteDeclaration(
            owner=owner, attribute=attribute, methods=route_methods(attribute, call), path=literal_string(path_node),
            path_text=text_of(path_node, self.document),
            handler=self._qualified(handler_node) if handler_node is not None else (
                text_of(endpoint, self.document) if endpoint is not None else "?"),
            handler_range=name_range(handler_node, self.document) if handler_node is not None else call_range,
            decorator_range=call_range,
            function_lines=(call_range.line, call_range.line),
            is_async=isinstance(handler_node, ast.AsyncFunctionDef),
            keywords=keywords_of(call, self.document, self.names),
            parameters=self._parameters(handler_node) if handler_node is not None else (),
            return_annotation=None, confirmed=recognised, recognised=recognised,
            handler_ref=None if handler_node is not None else reference(endpoint, self.names),
        )

    def _local_function(self, node: Optional[ast.expr]) -> Optional[FunctionNode]:
        binding = self.names.binding_of(node) if isinstance(node, ast.Name) else None
        if binding is not None and isinstance(binding.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return binding.node
        return None

    def _qualified(self, function: FunctionNode) -> str:
        scope = self.names.scope_owned_by(function)
        return qualified_scope_name(scope.owners) if scope is not None else function.name

    def _parameters(self, function: FunctionNode) -> tuple[ParameterSummary, ...]:
        found: list[ParameterSummary] = []
        for arg, default in iter_parameters(function):
            annotation = arg.annotation
            base, metadata = annotated_parts(annotation, self.names)
            markers = [*metadata, *([default] if default is not None else [])]
            dependencies = tuple(target for target in (self._dependency_target(m, base) for m in markers) if target)
            alias = reference(annotation, self.names) if isinstance(annotation, (ast.Name, ast.Attribute)) else None
            found.append(ParameterSummary(
                arg.arg, text_of(annotation, self.document) if annotation is not None else None, dependencies,
                None if is_library_ref(alias) else alias,
            ))
        return tuple(found)

    def _dependency_target(self, marker: ast.expr, annotation: Optional[ast.expr]) -> Optional[str]:
        return depends_target(marker, self.document, self.names, annotation)

    def _dependency_aliases(self) -> dict[str, tuple[str, ...]]:
        aliases: dict[str, tuple[str, ...]] = {}
        for stmt in self.tree.body:
            if not isinstance(stmt, (ast.Assign, ast.AnnAssign)) or not isinstance(stmt.value, ast.Subscript):
                continue
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            base, metadata = annotated_parts(stmt.value, self.names)
            found = tuple(t for t in (self._dependency_target(m, base) for m in metadata) if t)
            for target in targets:
                if found and isinstance(target, ast.Name):
                    aliases[target.id] = found
        return aliases

    # -- include_router and mount --------------------------------------------------------------------------

    def _includes(self) -> tuple[IncludeEdge, ...]:
        edges: list[IncludeEdge] = []
        for node, _scope in self.names.visit_order:
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            attribute = node.func.attr
            if attribute == "include_router":
                child = node.args[0] if node.args else keyword_value(node, "router")
                mount_path = None
            elif attribute == "mount":
                child = node.args[1] if len(node.args) > 1 else keyword_value(node, "app")
                path_node = node.args[0] if node.args else keyword_value(node, "path")
                mount_path = value_of(path_node, self.document, self.names) if path_node is not None else None
            else:
                continue
            parent, child_ref = reference(node.func.value, self.names), reference(child, self.names)
            if parent is None or child_ref is None or not self._may_be_router(parent):
                continue
            edges.append(IncludeEdge(parent, child_ref, keywords_of(node, self.document, self.names),
                                     first_line_range(node, self.document), mount_path))
        return tuple(edges)


__all__ = ["summarize"]
