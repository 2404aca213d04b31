"""The symbol table: which binding every name in a module refers to, and the qualified name it stands for.

One pass over the tree records, per scope (module, function, lambda, class, comprehension), the bindings of
every name: imports (with their qualified names), assignments (with the assigned value), parameters, and other
local bindings (loop targets, `with ... as`, nested defs and classes). A second, lazy step answers "what is
the qualified name of this expression?" (`t.sleep` after `import time as t` is ``time.sleep``) by following
imports and simple aliases, honouring Python's scoping: a parameter or local variable that shadows an import is
not that import, class bodies do not leak into methods, and `global`/`nonlocal` are respected.
"""

from __future__ import annotations

import ast
import enum
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional, Union

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]
ScopeNode = Union[ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.comprehension]


class BindingKind(enum.Enum):
    IMPORT = "import"  # `from m import x` / `import m` / `import m.sub as x`
    ASSIGNMENT = "assignment"  # `x = value` / `x: T = value`
    PARAMETER = "parameter"
    FUNCTION = "function"
    CLASS = "class"
    OTHER = "other"  # loop targets, with-targets, except names, walrus in comprehensions, deletes...


@dataclass
class Binding:
    name: str
    kind: BindingKind
    node: ast.AST
    scope: "Scope"
    qualified_name: Optional[str] = None  # imports: the imported object's dotted name
    value: Optional[ast.expr] = None  # assignments: the assigned expression (single target only)
    annotation: Optional[ast.expr] = None  # parameters and annotated assignments
    position: tuple[int, int] = (0, 0)


@dataclass
class Scope:
    node: ScopeNode
    parent: Optional["Scope"]
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    owners: tuple[ast.AST, ...] = ()  # enclosing def/async def/lambda/class nodes, outermost first

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, ast.ClassDef)

    def add(self, binding: Binding) -> None:
        self.bindings.setdefault(binding.name, []).append(binding)


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


class SymbolTable:
    """Scopes and bindings of one module, with qualified-name resolution."""

    def __init__(self, tree: ast.Module, module_name: str = "") -> None:
        self.module_name = module_name
        self.module_scope = Scope(tree, None)
        self._scope_of_node: dict[int, Scope] = {}
        self._scope_by_owner: dict[int, Scope] = {id(tree): self.module_scope}
        self._qualified_cache: dict[int, Optional[str]] = {}
        self.visit_order: list[tuple[ast.AST, Scope]] = []  # every node once, pre-order, with its scope
        _Collector(self).collect(tree, self.module_scope)

    # -- scopes ------------------------------------------------------------------------------------------

    def scope_of(self, name_node: ast.AST) -> Scope:
        """The scope a Name node was read or written in (module scope when unknown)."""
        return self._scope_of_node.get(id(name_node), self.module_scope)

    def scope_owned_by(self, node: ast.AST) -> Optional[Scope]:
        return self._scope_by_owner.get(id(node))

    def lookup(self, name: str, scope: Scope, position: tuple[int, int] = (1 << 30, 0)) -> Optional[Binding]:
        """The binding `name` refers to when read in `scope` at `position` (Python's LEGB, class scopes skipped)."""
        current: Optional[Scope] = scope
        first = True
        while current is not None:
            if name in current.globals:
                current = self.module_scope
                first = False
                continue
            if (first or not current.is_class) and name in current.bindings:
                candidates = current.bindings[name]
                if first:
                    before = [b for b in candidates if b.position <= position]
                    return before[-1] if before else candidates[0]
                return candidates[-1]
            current = current.parent
            first = False
        return None

    def binding_of(self, node: ast.expr) -> Optional[Binding]:
        if not isinstance(node, ast.Name):
            return None
        return self.lookup(node.id, self.scope_of(node), _position(node))

    # -- qualified names ---------------------------------------------------------------------------------

    def qualified_name(self, node: ast.expr) -> Optional[str]:
        """Dotted name an expression stands for, following imports and plain aliases; None when unknown."""
        key = id(node)
        if key in self._qualified_cache:
            return self._qualified_cache[key]
        self._qualified_cache[key] = None  # guards against alias cycles
        result = self._resolve(node, depth=0)
        self._qualified_cache[key] = result
        return result

    def _resolve(self, node: ast.expr, depth: int) -> Optional[str]:
        if depth > 20:
            return None
        if isinstance(node, ast.Attribute):
            base = self._resolve(node.value, depth + 1)
            return f"{base}.{node.attr}" if base else None
        if not isinstance(node, ast.Name):
            return None
        binding = self.binding_of(node)
        if binding is None:
            return f"builtins.{node.id}" if node.id in _BUILTINS else None
        if binding.kind is BindingKind.IMPORT:
            return binding.qualified_name
        if binding.kind is BindingKind.ASSIGNMENT and isinstance(binding.value, (ast.Name, ast.Attribute)):
            if binding.value is node:
                return None
            return self._resolve(binding.value, depth + 1)
        if binding.kind in (BindingKind.FUNCTION, BindingKind.CLASS) and binding.scope is self.module_scope:
            prefix = f"{self.module_name}." if self.module_name else ""
            return f"{prefix}{binding.name}"
        return None

    def matches(self, node: ast.expr, *qualified_names: str) -> bool:
        return self.qualified_name(node) in qualified_names

    def imports(self) -> Iterator[Binding]:
        for scope in self._scope_by_owner.values():
            for bindings in scope.bindings.values():
                for binding in bindings:
                    if binding.kind is BindingKind.IMPORT:
                        yield binding

    def imported_modules(self) -> set[str]:
        """Top-level package names imported anywhere in the module (relative imports excluded)."""
        roots: set[str] = set()
        for binding in self.imports():
            if binding.qualified_name and not binding.qualified_name.startswith("."):
                roots.add(binding.qualified_name.split(".", 1)[0])
        return roots


_BUILTINS = frozenset(
    name for name in dir(__import__("builtins")) if not name.startswith("_")
)


_NODE_FIELDS: dict[type, tuple[str, ...]] = {}
_SCALAR_FIELDS = frozenset(
    {"ctx", "id", "attr", "arg", "module", "level", "asname", "kind", "type_comment", "is_async", "conversion",
     "name", "op", "ops", "lineno", "col_offset", "end_lineno", "end_col_offset"}
)


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """Direct children of a node, in source order, without context and operator markers."""
    fields = _NODE_FIELDS.get(type(node))
    if fields is None:
        fields = _NODE_FIELDS[type(node)] = tuple(f for f in node._fields if f not in _SCALAR_FIELDS)
    children: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            children.append(value)
        elif isinstance(value, list):
            children.extend(v for v in value if isinstance(v, ast.AST))
    return children


class _Collector:
    """Walks the tree once: creates scopes, records bindings, the scope of every Name, and the visit order."""

    def __init__(self, table: SymbolTable) -> None:
        self.table = table
        self.order = table.visit_order

    def collect(self, root: ast.AST, scope: Scope) -> None:
        stack: list[tuple[ast.AST, Scope]] = [(root, scope)]
        order_append = self.order.append
        scope_of = self.table._scope_of_node
        scoped, recorders, name_type, leaf = _SCOPED, _RECORDERS, ast.Name, ast.Constant
        while stack:
            item = stack.pop()
            order_append(item)
            node, current = item
            node_type = type(node)
            if node_type is name_type:
                scope_of[id(node)] = current
                continue
            if node_type is leaf:
                continue
            handler = scoped.get(node_type)
            if handler is not None:
                stack.extend(reversed(handler(self, node, current)))
                continue
            recorder = recorders.get(node_type)
            if recorder is not None:
                recorder(self, node, current)
            for child in reversed(child_nodes(node)):
                stack.append((child, current))
        for owned in self.table._scope_by_owner.values():
            for bindings in owned.bindings.values():
                if len(bindings) > 1:
                    bindings.sort(key=lambda binding: binding.position)

    def _new_scope(self, node: ScopeNode, parent: Scope) -> Scope:
        scope = Scope(node, parent)
        scope.owners = parent.owners if isinstance(node, ast.comprehension) else (*parent.owners, node)
        self.table._scope_by_owner[id(node)] = scope
        return scope

    def _bind(self, scope: Scope, name: str, kind: BindingKind, node: ast.AST, **extra: object) -> None:
        target = self.table.module_scope if name in scope.globals else scope
        target.add(Binding(name, kind, node, target, position=_position(node), **extra))  # type: ignore[arg-type]

    # -- nodes that open a scope: return their children with the scope each belongs to ------------------

    def _function(self, node: FunctionNode, scope: Scope) -> list[tuple[ast.AST, Scope]]:
        self._bind(scope, node.name, BindingKind.FUNCTION, node)
        outer: list[ast.AST] = [*node.decorator_list, node.args]
        if node.returns is not None:
            outer.append(node.returns)
        inner = self._new_scope(node, scope)
        self._bind_arguments(node.args, inner)
        return [(n, scope) for n in outer] + [(stmt, inner) for stmt in node.body]

    def _lambda(self, node: ast.Lambda, scope: Scope) -> list[tuple[ast.AST, Scope]]:
        inner = self._new_scope(node, scope)
        self._bind_arguments(node.args, inner)
        return [(node.args, scope), (node.body, inner)]

    def _class(self, node: ast.ClassDef, scope: Scope) -> list[tuple[ast.AST, Scope]]:
        self._bind(scope, node.name, BindingKind.CLASS, node)
        inner = self._new_scope(node, scope)
        outer = [*node.decorator_list, *node.bases, *node.keywords]
        return [(n, scope) for n in outer] + [(stmt, inner) for stmt in node.body]

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp,
                       scope: Scope) -> list[tuple[ast.AST, Scope]]:
        first = node.generators[0]
        inner = self._new_scope(first, scope)
        children: list[tuple[ast.AST, Scope]] = []
        for index, generator in enumerate(node.generators):
            self._bind_target(generator.target, inner)
            self.order.append((generator, inner))
            children.append((generator.iter, scope if index == 0 else inner))
            children.append((generator.target, inner))
            children.extend((cond, inner) for cond in generator.ifs)
        if isinstance(node, ast.DictComp):
            children.extend([(node.key, inner), (node.value, inner)])
        else:
            children.append((node.elt, inner))
        return children

    # -- nodes that bind names: record them; their children are walked as usual ---------------------------

    def _import(self, node: ast.Import, scope: Scope) -> None:
        for alias in node.names:
            if alias.asname:
                self._bind(scope, alias.asname, BindingKind.IMPORT, node, qualified_name=alias.name)
            else:
                root = alias.name.split(".", 1)[0]
                self._bind(scope, root, BindingKind.IMPORT, node, qualified_name=root)

    def _import_from(self, node: ast.ImportFrom, scope: Scope) -> None:
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            joined = f"{module}.{alias.name}" if not module.endswith(".") else f"{module}{alias.name}"
            self._bind(scope, alias.asname or alias.name, BindingKind.IMPORT, node, qualified_name=joined)

    def _assign(self, node: ast.Assign, scope: Scope) -> None:
        for target in node.targets:
            self._bind_target(target, scope, value=node.value if isinstance(target, ast.Name) else None)

    def _ann_assign(self, node: ast.AnnAssign, scope: Scope) -> None:
        if isinstance(node.target, ast.Name):
            self._bind(scope, node.target.id, BindingKind.ASSIGNMENT, node, value=node.value,
                       annotation=node.annotation)

    def _target_only(self, node: ast.AugAssign | ast.For | ast.AsyncFor, scope: Scope) -> None:
        self._bind_target(node.target, scope)

    def _with(self, node: ast.With | ast.AsyncWith, scope: Scope) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._bind_target(item.optional_vars, scope, value=item.context_expr)

    def _except(self, node: ast.ExceptHandler, scope: Scope) -> None:
        if node.name:
            self._bind(scope, node.name, BindingKind.OTHER, node)

    def _global(self, node: ast.Global, scope: Scope) -> None:
        scope.globals.update(node.names)

    def _nonlocal(self, node: ast.Nonlocal, scope: Scope) -> None:
        scope.nonlocals.update(node.names)

    def _delete(self, node: ast.Delete, scope: Scope) -> None:
        for target in node.targets:
            self._bind_target(target, scope)

    def _named_expr(self, node: ast.NamedExpr, scope: Scope) -> None:
        target_scope = scope
        while isinstance(target_scope.node, ast.comprehension) and target_scope.parent is not None:
            target_scope = target_scope.parent
        self._bind(target_scope, node.target.id, BindingKind.ASSIGNMENT, node, value=node.value)

    def _bind_target(self, target: ast.AST, scope: Scope, value: Optional[ast.expr] = None) -> None:
        if isinstance(target, ast.Name):
            kind = BindingKind.ASSIGNMENT if value is not None else BindingKind.OTHER
            self._bind(scope, target.id, kind, target, value=value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._bind_target(element, scope)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, scope)

    def _bind_arguments(self, args: ast.arguments, scope: Scope) -> None:
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            self._bind(scope, arg.arg, BindingKind.PARAMETER, arg, annotation=arg.annotation)
        for star in (args.vararg, args.kwarg):
            if star is not None:
                self._bind(scope, star.arg, BindingKind.PARAMETER, star, annotation=star.annotation)


_SCOPED: dict[type, Any] = {
    ast.FunctionDef: _Collector._function, ast.AsyncFunctionDef: _Collector._function,
    ast.Lambda: _Collector._lambda, ast.ClassDef: _Collector._class,
    ast.ListComp: _Collector._comprehension, ast.SetComp: _Collector._comprehension,
    ast.GeneratorExp: _Collector._comprehension, ast.DictComp: _Collector._comprehension,
}
_RECORDERS: dict[type, Any] = {
    ast.Import: _Collector._import, ast.ImportFrom: _Collector._import_from, ast.Assign: _Collector._assign,
    ast.AnnAssign: _Collector._ann_assign, ast.AugAssign: _Collector._target_only,
    ast.For: _Collector._target_only, ast.AsyncFor: _Collector._target_only, ast.With: _Collector._with,
    ast.AsyncWith: _Collector._with, ast.ExceptHandler: _Collector._except, ast.Global: _Collector._global,
    ast.Nonlocal: _Collector._nonlocal, ast.Delete: _Collector._delete, ast.NamedExpr: _Collector._named_expr,
}
