"""What the Pydantic rules (FAP301-FAP306) need to know about model classes and their fields.

Owns the questions those rules share: which expression names a Pydantic model class (through a `ClassLookup`,
so a cross-file index can later answer for models defined in other modules), which classes are written for
Pydantic v1 on purpose (`pydantic.v1`), the fields a class declares or inherits, whether a field has a
default (`Field(None)`, `Field(default_factory=...)` do; `Field(...)` and bare annotations do not), whether an
annotation admits `None`, how a response model is read from a path operation (`response_model=` or the
return annotation, containers such as `list[...]` and `X | None` unwrapped), which models receive input
(settings, parameters of handlers and dependencies, input-like names), and which code keeps v1 spellings on
purpose (version checks, `except ImportError:` fallbacks, `pytest.warns` blocks).
"""

from __future__ import annotations

import ast
import re
import threading
import weakref
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from ..engine.document import Document
from ..engine.fastapi_model import (
    DEPENDS, MODEL_BASES, SETTINGS_BASES, PathOperation, annotated_parts, iter_parameters, keyword_value,
)
from ..engine.names import BindingKind, FunctionNode, SymbolTable
from ..engine.rule import RuleContext

ClassLookup = Callable[[ast.expr], Optional[ast.ClassDef]]

FIELD_FUNCTIONS = frozenset({"pydantic.Field", "pydantic.fields.Field", "sqlmodel.Field", "sqlmodel.main.Field"})
V1_PREFIX = "pydantic.v1."
_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_UNION = frozenset({"typing.Union", "typing_extensions.Union"})
_CLASS_VAR = frozenset({"typing.ClassVar", "typing_extensions.ClassVar"})
_CONTAINERS = frozenset(
    f"{module}.{name}"
    for module, names in (
        ("builtins", ("list", "set", "frozenset", "tuple")),
        ("typing", ("List", "Set", "FrozenSet", "Tuple", "Sequence", "Iterable", "Iterator", "Collection",
                    "AbstractSet", "Optional", "Union")),
        ("typing_extensions", ("Optional", "Union")),
        ("collections.abc", ("Sequence", "Iterable", "Iterator", "Collection", "Set")),
    )
    for name in names
)
_MAPPINGS = frozenset({"builtins.dict", "typing.Dict", "typing.Mapping", "typing.MutableMapping",
                       "collections.abc.Mapping", "collections.abc.MutableMapping"})


@dataclass(frozen=True)
class ModelField:
    """One field declared in a model class body: `name: annotation [= value]`."""

    node: ast.AnnAssign
    name: str
    owner: ast.ClassDef

    @property
    def annotation(self) -> ast.expr:
        return self.node.annotation

    @property
    def value(self) -> Optional[ast.expr]:
        return self.node.value


@dataclass(frozen=True)
class LocalModels:
    """The Pydantic model classes of one module (any scope), and which of them are settings classes."""

    classes: dict[int, ast.ClassDef]
    settings: frozenset[int]

    def is_model(self, cls: ast.AST) -> bool:
        return id(cls) in self.classes

    def is_settings(self, cls: ast.AST) -> bool:
        return id(cls) in self.settings


_cache: "weakref.WeakKeyDictionary[SymbolTable, LocalModels]" = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def local_models(names: SymbolTable) -> LocalModels:
    """Every class of the module deriving, directly or through classes of the module, from a Pydantic base.

    Bases are resolved through the scope each class sits in, so two classes of the same name in different
    functions are told apart. Computed once per symbol table, shared by the Pydantic rules.
    """
    with _cache_lock:
        cached = _cache.get(names)
    if cached is not None:
        return cached
    classes = [node for node, _ in names.visit_order if isinstance(node, ast.ClassDef)]
    models: dict[int, ast.ClassDef] = {}
    settings: set[int] = set()
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if id(cls) in models:
                continue
            for written in cls.bases:
                base = written.value if isinstance(written, ast.Subscript) else written  # RootModel[int]
                qualified = names.qualified_name(base)
                binding = names.binding_of(base) if isinstance(base, ast.Name) else None
                parent = binding.node if binding is not None and binding.kind is BindingKind.CLASS else None
                if qualified in MODEL_BASES or qualified in SETTINGS_BASES or id(parent) in models:
                    models[id(cls)] = cls
                    if qualified in SETTINGS_BASES or id(parent) in settings:
                        settings.add(id(cls))
                    changed = True
                    break
    result = LocalModels(models, frozenset(settings))
    with _cache_lock:
        _cache[names] = result
    return result


def same_file_lookup(ctx: RuleContext) -> ClassLookup:
    """A lookup answering for Pydantic model classes defined in the analysed file."""
    known = local_models(ctx.names).classes

    def lookup(expression: ast.expr) -> Optional[ast.ClassDef]:
        if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
            return _forward_reference(expression.value, ctx.names, known)
        binding = ctx.names.binding_of(expression) if isinstance(expression, ast.Name) else None
        if binding is None or binding.kind is not BindingKind.CLASS:
            return None
        node = binding.node
        return node if isinstance(node, ast.ClassDef) and id(node) in known else None

    return lookup


def _forward_reference(text: str, names: SymbolTable, known: dict[int, ast.ClassDef]) -> Optional[ast.ClassDef]:
    """A quoted annotation naming a module-level model class (`"User"`)."""
    if not text.isidentifier():
        return None
    binding = names.lookup(text, names.module_scope)
    if binding is None or binding.kind is not BindingKind.CLASS or id(binding.node) not in known:
        return None
    return binding.node if isinstance(binding.node, ast.ClassDef) else None


def class_chain(cls: ast.ClassDef, lookup: ClassLookup) -> list[ast.ClassDef]:
    """The class and its model ancestors the lookup can resolve, nearest first, each once."""
    chain: list[ast.ClassDef] = []
    pending = [cls]
    while pending:
        current = pending.pop(0)
        if any(current is seen for seen in chain):
            continue
        chain.append(current)
        pending.extend(base for base in (lookup(b) for b in current.bases) if base is not None)
    return chain


def is_explicit_v1(cls: ast.ClassDef, lookup: ClassLookup, names: SymbolTable) -> bool:
    """True when the class (or an ancestor in reach) derives from `pydantic.v1`: written for v1 on purpose."""
    for member in class_chain(cls, lookup):
        for base in member.bases:
            if (names.qualified_name(base) or "").startswith(V1_PREFIX):
                return True
    return False


def is_table_model(cls: ast.ClassDef) -> bool:
    """A SQLModel table class (`class Hero(SQLModel, table=True)`): a mapped table, not validated on creation."""
    return any(k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True for k in cls.keywords)


def declared_fields(cls: ast.ClassDef, names: SymbolTable) -> list[ModelField]:
    """Fields declared directly in the class body; private (`_x`) attributes and `ClassVar`s are not fields."""
    fields = []
    for statement in cls.body:
        if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
            continue
        name = statement.target.id
        if name.startswith("_") or _is_class_var(statement.annotation, names):
            continue
        fields.append(ModelField(statement, name, cls))
    return fields


def all_fields(cls: ast.ClassDef, lookup: ClassLookup, names: SymbolTable) -> list[ModelField]:
    """Declared and inherited fields, the subclass's declaration winning over a base's."""
    seen: dict[str, ModelField] = {}
    for member in class_chain(cls, lookup):
        for field in declared_fields(member, names):
            seen.setdefault(field.name, field)
    return list(seen.values())


def _is_class_var(annotation: ast.expr, names: SymbolTable) -> bool:
    target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    return names.qualified_name(target) in _CLASS_VAR


def field_call(value: Optional[ast.expr], names: SymbolTable) -> Optional[ast.Call]:
    if isinstance(value, ast.Call) and names.qualified_name(value.func) in FIELD_FUNCTIONS:
        return value
    return None


def field_default(call: ast.Call) -> tuple[bool, Optional[ast.expr]]:
    """For a `Field(...)` call: (whether it sets a default, the expression that is the default if any)."""
    if keyword_value(call, "default_factory") is not None:
        return True, None
    default = call.args[0] if call.args else keyword_value(call, "default")
    if default is None or _is_ellipsis(default):
        return False, default
    return True, default


def has_default(field: ModelField, names: SymbolTable) -> bool:
    """Whether Pydantic gives the field a default (so a client may leave it out)."""
    value = field.value
    if value is None:
        _, metadata = annotated_parts(field.annotation, names)
        return any(field_default(call)[0] for call in (field_call(m, names) for m in metadata) if call)
    if _is_ellipsis(value):
        return False
    call = field_call(value, names)
    return field_default(call)[0] if call is not None else True


def explicitly_required(field: ModelField, names: SymbolTable) -> bool:
    """`x: T = ...` or `x: T = Field(...)`: the author marked the field required on purpose."""
    value = field.value
    if value is not None and _is_ellipsis(value):
        return True
    call = field_call(value, names)
    if call is None:
        return False
    has, default = field_default(call)
    return not has and default is not None


def _is_ellipsis(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def admits_none(annotation: ast.expr, names: SymbolTable) -> bool:
    """`Optional[X]`, `Union[X, None]`, `X | None`, `None`, also inside `Annotated[...]`."""
    annotation = annotated_parts(annotation, names)[0] or annotation
    if isinstance(annotation, ast.Constant) and annotation.value is None:
        return True
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return admits_none(annotation.left, names) or admits_none(annotation.right, names)
    if isinstance(annotation, ast.Subscript):
        origin = names.qualified_name(annotation.value)
        if origin in _OPTIONAL:
            return True
        if origin in _UNION:
            members = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            return any(admits_none(member, names) for member in members)
    return False


# -- response models -----------------------------------------------------------------------------------


def response_annotation(operation: PathOperation) -> Optional[ast.expr]:
    """The expression FastAPI builds the response model from: `response_model=`, else the return annotation."""
    if operation.is_websocket:
        return None
    if any(k.arg == "response_model" for k in operation.decorator.keywords):
        value = keyword_value(operation.decorator, "response_model")
        return None if isinstance(value, ast.Constant) and value.value is None else value
    return operation.function.returns


def response_models(operation: PathOperation, lookup: ClassLookup, names: SymbolTable) -> list[ast.ClassDef]:
    """Model classes a path operation serialises its response with, containers and unions unwrapped."""
    found: list[ast.ClassDef] = []
    for expression in _unwrap(response_annotation(operation), names, depth=0):
        cls = lookup(expression)
        if cls is not None and not any(cls is known for known in found):
            found.append(cls)
    return found


def annotation_members(annotation: Optional[ast.expr], names: SymbolTable) -> list[ast.expr]:
    """The types an annotation is made of, with `Optional`, unions, `Annotated` and containers unwrapped."""
    return list(_unwrap(annotation, names, depth=0))


def _unwrap(annotation: Optional[ast.expr], names: SymbolTable, depth: int) -> Iterator[ast.expr]:
    if annotation is None or depth > 8:
        return
    annotation = annotated_parts(annotation, names)[0] or annotation
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        yield from _unwrap(annotation.left, names, depth + 1)
        yield from _unwrap(annotation.right, names, depth + 1)
    elif isinstance(annotation, ast.Subscript):
        origin = names.qualified_name(annotation.value)
        inner = annotation.slice
        members = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        if origin in _CONTAINERS:
            for member in members:
                yield from _unwrap(member, names, depth + 1)
        elif origin in _MAPPINGS and len(members) == 2:
            yield from _unwrap(members[1], names, depth + 1)
    else:
        yield annotation


# -- models that receive input --------------------------------------------------------------------------

INPUT_NAME_SUFFIXES = ("Create", "Update", "Patch", "In", "Input", "Request", "Payload", "Form", "Params")
BODY_MARKERS = frozenset(f"{module}.Body" for module in ("fastapi", "fastapi.params", "fastapi.param_functions"))


@dataclass(frozen=True)
class ParameterModel:
    """A handler or dependency parameter typed with a model class, with the FastAPI markers it carries."""

    function: FunctionNode
    arg: ast.arg
    model: ast.ClassDef
    markers: tuple[str, ...]  # qualified names of Body/Query/Depends/... calls in its default or Annotated

    @property
    def is_body(self) -> bool:
        return all(marker in BODY_MARKERS for marker in self.markers)


def parameter_models(function: FunctionNode, lookup: ClassLookup, names: SymbolTable) -> list[ParameterModel]:
    """Parameters whose type is a model the client sends (`Depends(f)` parameters are produced, not sent)."""
    found: list[ParameterModel] = []
    for arg, default in iter_parameters(function):
        annotation, metadata = annotated_parts(arg.annotation, names)
        calls = [m for m in metadata if isinstance(m, ast.Call)] + ([default] if isinstance(default, ast.Call) else [])
        markers = tuple(names.qualified_name(call.func) or "" for call in calls)
        if any(marker in DEPENDS and (call.args or call.keywords) for marker, call in zip(markers, calls)):
            continue
        for expression in _unwrap(annotation, names, depth=0):
            cls = lookup(expression)
            if cls is not None:
                found.append(ParameterModel(function, arg, cls, markers))
    return found


def input_models(ctx: RuleContext, lookup: ClassLookup) -> set[int]:
    """Ids of the file's model classes known to validate input, and of their bases: settings classes, models
    a path operation or dependency of the file receives, and models named like inputs (`ItemCreate`, `UserIn`)."""
    models = local_models(ctx.names)
    roots: list[ast.ClassDef] = [cls for cls in models.classes.values()
                                 if models.is_settings(cls) or _named_like_input(cls.name)]
    functions = [operation.function for operation in ctx.model.path_operations]
    functions.extend(ctx.model.dependencies.values())
    for function in functions:
        roots.extend(parameter.model for parameter in parameter_models(function, lookup, ctx.names))
    return {id(member) for root in roots for member in class_chain(root, lookup)}


def _named_like_input(name: str) -> bool:
    return any(name.endswith(suffix) and len(name) > len(suffix) for suffix in INPUT_NAME_SUFFIXES)


# -- code that uses v1 spellings on purpose -------------------------------------------------------------

_VERSION_TEST = re.compile(r"pydantic|version|(?:\b|_)v[12]\b", re.IGNORECASE)
_IMPORT_ERRORS = frozenset({"builtins.ImportError", "builtins.ModuleNotFoundError"})
_EXPECTS_WARNINGS = frozenset({"pytest.warns", "pytest.deprecated_call", "warnings.catch_warnings"})


def deliberate_v1_nodes(tree: ast.Module, document: Document, names: SymbolTable) -> set[int]:
    """Ids of nodes where v1 spellings are deliberate: a branch that only runs under one Pydantic version
    (the body and `else` of an `if` testing a version, such as `if PYDANTIC_V2:`), an `except ImportError:`
    fallback, and a `with pytest.warns(...)` / `pytest.deprecated_call()` block that expects the warning."""
    guarded: set[int] = set()
    for node in ast.walk(tree):
        branches: list[ast.stmt] = []
        if isinstance(node, ast.If) and _VERSION_TEST.search(document.node_text(node.test)):
            branches = [*node.body, *node.orelse]
        elif isinstance(node, ast.Try):
            for handler in node.handlers:
                caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                if any(c is not None and names.qualified_name(c) in _IMPORT_ERRORS for c in caught):
                    branches.extend(handler.body)
        elif isinstance(node, (ast.With, ast.AsyncWith)) and any(
            isinstance(item.context_expr, ast.Call) and names.qualified_name(item.context_expr.func)
            in _EXPECTS_WARNINGS for item in node.items
        ):
            branches = node.body
        for statement in branches:
            guarded.update(id(inner) for inner in ast.walk(statement))
    return guarded
