"""The plain-Python side of a module summary: functions (what they call, await and block on) and classes.

For every function it records the blocking calls of its own body (the catalog in `engine/blocking.py`), the
calls it makes to named functions (with whether each is awaited and which names it passes), whether it awaits
anything, its decorators, and whether it is a fixture that builds a test client. For every class it records
its bases as references, its fields with their annotations and defaults, and its ORM relationships (the
related class, whether the relationship holds a collection, and the loader strategy it declares). Calls made
at module level are kept apart.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

from ..blocking import blocking_call
from ..document import Document
from ..fastapi_model import FastApiModel, keyword_value
from ..names import BindingKind, FunctionNode, SymbolTable
from .references import is_library_ref, local_name, qualified_scope_name, reference, text_of, value_of
from .summary import (
    BlockingUse, CallUse, ClassSummary, FieldSummary, FunctionSummary, Ref, RelationshipSummary,
)

TEST_CLIENT_CLASSES = frozenset({
    "fastapi.testclient.TestClient", "starlette.testclient.TestClient", "httpx.AsyncClient", "httpx.Client",
})
FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})
RELATIONSHIP_FUNCTIONS = frozenset({
    "sqlalchemy.orm.relationship", "sqlalchemy.orm.relation", "sqlalchemy.orm.relationships.relationship",
    "sqlmodel.Relationship", "sqlmodel.main.Relationship",
})
_COLLECTION_HEADS = frozenset({"list", "List", "set", "Set", "Sequence", "tuple", "Tuple", "frozenset", "FrozenSet"})
_WRAPPER_HEADS = frozenset({"Mapped", "WriteOnlyMapped", "DynamicMapped", "Optional", "Annotated", *_COLLECTION_HEADS})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass
class Facts:
    functions: tuple[FunctionSummary, ...]
    classes: tuple[ClassSummary, ...]
    module_calls: tuple[CallUse, ...]


@dataclass
class _FunctionFacts:
    blocking: list[BlockingUse] = field(default_factory=list)
    calls: list[CallUse] = field(default_factory=list)
    awaits: bool = False
    builds_test_client: bool = False
    returns: list[Ref] = field(default_factory=list)


def collect(document: Document, names: SymbolTable, model: FastApiModel) -> Facts:
    awaited = {id(node.value) for node, _scope in names.visit_order if isinstance(node, ast.Await)}
    per_function: dict[int, _FunctionFacts] = {}
    module = _FunctionFacts()
    functions: list[FunctionNode] = []
    classes: list[ClassSummary] = []
    for node, scope in names.visit_order:
        owner = scope.owners[-1] if scope.owners else None
        facts = module if owner is None else per_function.setdefault(id(owner), _FunctionFacts())
        if isinstance(node, _FUNCTIONS):
            functions.append(node)
        elif isinstance(node, ast.ClassDef):
            classes.append(_class_summary(node, local_name(scope, node.name), document, names, model))
        elif isinstance(node, ast.Call):
            _record_call(node, facts, names, id(node) in awaited)
        elif isinstance(node, ast.Return) and (returned := reference(node.value, names)) is not None:
            facts.returns.append(returned)
        elif isinstance(node, (ast.Await, ast.AsyncFor, ast.AsyncWith)) or (
            isinstance(node, ast.comprehension) and node.is_async
        ):
            facts.awaits = True
    summaries = tuple(
        _function_summary(function, per_function.get(id(function), _FunctionFacts()), document, names)
        for function in functions
    )
    return Facts(summaries, tuple(classes), tuple(module.calls))


def _record_call(call: ast.Call, facts: _FunctionFacts, names: SymbolTable, awaited: bool) -> None:
    blocking = blocking_call(call, names)
    if blocking is not None:
        facts.blocking.append(BlockingUse(blocking.label, call.lineno - 1))
    if names.qualified_name(call.func) in TEST_CLIENT_CLASSES:
        facts.builds_test_client = True
    ref = reference(call.func, names)
    if ref is None or is_library_ref(ref):
        return
    arguments = tuple(reference(argument, names) for argument in call.args)
    keywords = tuple(
        (k.arg, found) for k in call.keywords if k.arg is not None
        for found in (reference(k.value, names),) if found is not None
    )
    facts.calls.append(CallUse(ref, call.lineno - 1, awaited, arguments, keywords))


def _function_summary(function: FunctionNode, facts: _FunctionFacts, document: Document,
                      names: SymbolTable) -> FunctionSummary:
    scope = names.scope_owned_by(function)
    decorators = tuple(
        names.qualified_name(d.func if isinstance(d, ast.Call) else d) or text_of(d, document)
        for d in function.decorator_list
    )
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    parameters = tuple(a.arg for a in every)
    annotations = tuple((a.arg, ref) for a in every if (ref := reference(a.annotation, names)) is not None)
    return FunctionSummary(
        name=qualified_scope_name(scope.owners) if scope is not None else function.name,
        is_async=isinstance(function, ast.AsyncFunctionDef),
        line=function.lineno - 1,
        parameters=parameters,
        blocking=tuple(facts.blocking),
        calls=tuple(facts.calls),
        awaits=facts.awaits,
        decorators=decorators,
        makes_test_client=facts.builds_test_client and bool(FIXTURE_DECORATORS.intersection(decorators)),
        annotations=annotations,
        returns=tuple(facts.returns),
        consumes=_consumes(function, names),
    )


_PLAIN_TYPE_ROOTS = frozenset({"builtins", "typing", "typing_extensions", "datetime", "uuid", "decimal", "enum",
                               "pathlib", "collections", "fastapi", "starlette", "pydantic", "sqlalchemy", "sqlmodel"})


def _consumes(function: FunctionNode, names: SymbolTable) -> Optional[tuple[str, ...]]:
    """What the function reads from a request when used as a dependency (see FunctionSummary.consumes)."""
    args = function.args
    if args.kwarg is not None or any(isinstance(n, ast.Attribute) and n.attr == "path_params"
                                     for n in ast.walk(function)):
        return ("*",)
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    defaults = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
    if any(not isinstance(d, ast.Constant) for d in defaults):
        return None  # `Depends(...)`, `Path(alias=...)` and friends
    for arg in every:
        for node in ast.walk(arg.annotation) if arg.annotation is not None else ():
            if isinstance(node, ast.Call):
                return None
            if isinstance(node, ast.Name) and (names.qualified_name(node) or "").split(".")[0] not in _PLAIN_TYPE_ROOTS:
                binding = names.binding_of(node)
                if binding is None or binding.kind is not BindingKind.CLASS:
                    return None  # maybe an `Annotated[..., Depends()]` alias
    return tuple(arg.arg for arg in every)


# -- classes ----------------------------------------------------------------------------------------------


def _class_summary(cls: ast.ClassDef, name: str, document: Document, names: SymbolTable,
                   model: FastApiModel) -> ClassSummary:
    bases = tuple(ref for ref in (reference(base, names) for base in cls.bases) if ref is not None)
    local_kind: Optional[str] = None
    if model.settings.get(cls.name) is cls:
        local_kind = "settings"
    elif model.models.get(cls.name) is cls:
        local_kind = "model"
    fields: list[FieldSummary] = []
    relationships: list[RelationshipSummary] = []
    for stmt in cls.body:
        target = stmt.target if isinstance(stmt, ast.AnnAssign) else (
            stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None)
        if not isinstance(target, ast.Name):
            continue
        annotation = stmt.annotation if isinstance(stmt, ast.AnnAssign) else None
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
        fields.append(FieldSummary(
            target.id, text_of(annotation, document) if annotation is not None else None,
            value_of(value, document, names) if value is not None else None, stmt.lineno - 1,
        ))
        relationship = _relationship(target.id, annotation, value, stmt.lineno - 1, names)
        if relationship is not None:
            relationships.append(relationship)
    keywords = tuple((k.arg, value_of(k.value, document, names)) for k in cls.keywords if k.arg is not None)
    return ClassSummary(name, cls.lineno - 1, bases, keywords, local_kind, tuple(fields), tuple(relationships))


def _relationship(name: str, annotation: Optional[ast.expr], value: Optional[ast.expr], line: int,
                  names: SymbolTable) -> Optional[RelationshipSummary]:
    """`items: Mapped[list["Item"]] = relationship(...)`, `owner = relationship("User")`, SQLModel's
    `items: list["Item"] = Relationship(...)`."""
    if not isinstance(value, ast.Call) or names.qualified_name(value.func) not in RELATIONSHIP_FUNCTIONS:
        return None
    written, collection = _related(annotation)
    argument = value.args[0] if value.args else keyword_value(value, "argument")
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        written = argument.value
    elif isinstance(argument, ast.Name):
        written = argument.id
    uselist = keyword_value(value, "uselist")
    if isinstance(uselist, ast.Constant) and isinstance(uselist.value, bool):
        collection = uselist.value
    return RelationshipSummary(name, written, collection, line, _loader_strategy(annotation, value))


_LAZY_CONSTANTS = {True: "select", False: "joined", None: "noload"}
_LAZY_ANNOTATIONS = {"WriteOnlyMapped": "write_only", "DynamicMapped": "dynamic"}


def _loader_strategy(annotation: Optional[ast.expr], call: ast.Call) -> Optional[str]:
    """`lazy=` of `relationship(...)`, or of SQLModel's `sa_relationship_kwargs={"lazy": ...}` /
    `sa_relationship=relationship(..., lazy=...)`; `WriteOnlyMapped`/`DynamicMapped` annotations imply one."""
    lazy = keyword_value(call, "lazy")
    options = keyword_value(call, "sa_relationship_kwargs")
    if lazy is None and isinstance(options, ast.Dict):
        for key, item in zip(options.keys, options.values):
            if isinstance(key, ast.Constant) and key.value == "lazy":
                lazy = item
    inner = keyword_value(call, "sa_relationship")
    if lazy is None and isinstance(inner, ast.Call):
        lazy = keyword_value(inner, "lazy")
    if lazy is None:
        head = _tail(annotation.value) if isinstance(annotation, ast.Subscript) else None
        return _LAZY_ANNOTATIONS.get(head) if head is not None else None
    if isinstance(lazy, ast.Constant) and isinstance(lazy.value, str):
        return lazy.value
    if isinstance(lazy, ast.Constant) and (lazy.value is None or isinstance(lazy.value, bool)):
        return _LAZY_CONSTANTS[lazy.value]
    return "?"


def _related(annotation: Optional[ast.expr]) -> tuple[Optional[str], bool]:
    """The class an annotation relates to, and whether it is a collection of it."""
    node, collection = annotation, False
    for _ in range(8):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            try:
                node = ast.parse(text.strip(), mode="eval").body
            except (SyntaxError, ValueError):
                return text, collection
        elif isinstance(node, ast.Subscript):
            head = _tail(node.value)
            if head not in _WRAPPER_HEADS:
                return head, collection
            collection = collection or head in _COLLECTION_HEADS
            node = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and node.slice.elts else node.slice
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            node = node.right if isinstance(node.left, ast.Constant) and node.left.value is None else node.left
        else:
            return _tail(node) if node is not None else None, collection
    return None, collection


def _tail(node: ast.expr) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


__all__ = ["Facts", "TEST_CLIENT_CLASSES", "collect"]
