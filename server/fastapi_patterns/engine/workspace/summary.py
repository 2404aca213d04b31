"""What the workspace index keeps of one module: a plain, immutable summary built once per content hash.

A summary holds no syntax tree and no module name, so it stays small, can be shared by two files with the same
text (a copy, a rename) and never goes stale when the project layout changes. Names that point elsewhere are
kept as `Ref`s, exactly as the module sees them (`.users.router`, `app.deps.get_db`, a local `router`); the
index resolves them across modules when asked. Positions are 0-based lines and code-point columns; a
`TextRange` also keeps its line's text so that an editor adapter can convert columns without the file.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional, Union

SUMMARY_FORMAT = 8  # bump when the shape below changes: summaries are cached by (format, content hash)


class RefKind(enum.Enum):
    IMPORTED = "imported"  # `target` is an import path as written, maybe relative: `.users.router`
    MODULE = "module"  # `target` is a dotted path from one of this module's top-level names: `settings.PREFIX`
    LOCAL = "local"  # `target` is an object bound inside a function: `create_app.<locals>.app`
    PARAMETER = "parameter"  # `target` is a function's qualified name, `parameter` one of its parameters


@dataclass(frozen=True)
class Ref:
    """A name as one module sees it; resolved to its definition by the index."""

    kind: RefKind
    target: str
    parameter: Optional[str] = None

    def with_attribute(self, attribute: str) -> "Ref":
        return Ref(self.kind, f"{self.target}.{attribute}", self.parameter)


@dataclass(frozen=True)
class TextRange:
    """A range on one line, with that line's text (for other position encodings)."""

    line: int
    start: int
    end: int
    line_text: str


@dataclass(frozen=True)
class Value:
    """A keyword argument or default: its source text, its literal value when it has one, or the name it reads;
    for a list of `Depends(...)`/`Security(...)` calls, the dependencies they name."""

    text: str
    literal: Union[str, int, bool, tuple[str, ...], None] = None
    is_literal: bool = False
    ref: Optional[Ref] = None
    depends: tuple[str, ...] = ()
    keys: Optional[tuple[str, ...]] = None  # for a dict literal without `**`: its keys' source text


Keywords = tuple[tuple[str, Value], ...]


def keyword(keywords: Keywords, name: str) -> Optional[Value]:
    for key, value in keywords:
        if key == name:
            return value
    return None


class TopKind(enum.Enum):
    IMPORT = "import"  # `target` is the imported path
    ALIAS = "alias"  # `name = other.name`: `ref` is what it reads
    FUNCTION = "function"
    CLASS = "class"
    OBJECT = "object"  # `name = Callee(...)`, see ModuleSummary.objects
    CONSTANT = "constant"  # `name = "literal"`, see ModuleSummary.constants
    OTHER = "other"


@dataclass(frozen=True)
class TopLevelName:
    """What a module-level name is bound to at the end of the module (its last binding)."""

    kind: TopKind
    line: int
    target: Optional[str] = None
    ref: Optional[Ref] = None


@dataclass(frozen=True)
class ObjectSummary:
    """`name = Callee(...)` at module level or inside a function (apps, routers, settings, clients...)."""

    name: str  # `app`, or `create_app.<locals>.app`
    callee: Ref
    keywords: Keywords
    range: TextRange


@dataclass(frozen=True)
class ParameterSummary:
    name: str
    annotation: Optional[str]
    dependencies: tuple[str, ...]  # `Depends(x)` targets written on the parameter itself
    alias: Optional[Ref] = None  # an annotation name that may be an `Annotated[..., Depends(...)]` alias


@dataclass(frozen=True)
class RouteDeclaration:
    """A path operation as written: a route decorator (or `add_api_route`) on an owner object."""

    owner: Optional[Ref]  # None when the decorator hangs off an expression the index cannot follow
    attribute: str  # get, post, ..., api_route, websocket, add_api_route
    methods: tuple[str, ...]  # () for a websocket
    path: Optional[str]
    path_text: str
    handler: str  # the handler's qualified name in its module
    handler_range: TextRange  # its name in `def name(`, or the call for `add_api_route`
    decorator_range: TextRange  # first line of the decorator (or the call)
    function_lines: tuple[int, int]  # first decorator line to last body line
    is_async: bool
    keywords: Keywords
    parameters: tuple[ParameterSummary, ...]
    return_annotation: Optional[str]
    confirmed: bool  # the module alone shows the owner is an app or a router
    recognised: bool  # the FastAPI model counts it as a path operation (else the index must find the owner)
    handler_ref: Optional[Ref] = None  # `add_api_route(path, endpoint)` with an endpoint from elsewhere
    documentation_only: bool = False  # a webhook or an OpenAPI callback: described, never served


@dataclass(frozen=True)
class IncludeEdge:
    """`parent.include_router(child, prefix=...)` or `parent.mount(path, child)`."""

    parent: Ref
    child: Ref
    keywords: Keywords
    range: TextRange
    mount_path: Optional[Value] = None  # set for `mount`


@dataclass(frozen=True)
class BlockingUse:
    label: str  # `time.sleep()`
    line: int


@dataclass(frozen=True)
class CallUse:
    """A call of a named function, or a reference to one passed as a value."""

    ref: Ref
    line: int
    awaited: bool
    arguments: tuple[Optional[Ref], ...] = ()  # positional arguments that are names
    keyword_arguments: tuple[tuple[str, Ref], ...] = ()


@dataclass(frozen=True)
class FunctionSummary:
    name: str  # qualified inside the module: `get_user`, `Service.get`, `create_app.<locals>.helper`
    is_async: bool
    line: int
    parameters: tuple[str, ...]
    blocking: tuple[BlockingUse, ...]  # blocking calls in its own body
    calls: tuple[CallUse, ...]  # calls made in its own body
    awaits: bool  # its own body awaits something
    decorators: tuple[str, ...]  # qualified names (or text) of its decorators
    makes_test_client: bool = False  # a fixture whose body builds a test client
    annotations: tuple[tuple[str, Ref], ...] = ()  # parameters annotated with a name: (parameter, what it names)
    returns: tuple[Ref, ...] = ()  # the names its `return` statements return (a factory's app or router)
    # as a dependency, the request parameters it can read: its parameter names; ("*",) for `**kwargs` or a
    # `.path_params` read; None when a default or an annotation may hide more (`Depends`, `Path(alias=...)`)
    consumes: Optional[tuple[str, ...]] = None


@dataclass(frozen=True)
class FieldSummary:
    name: str
    annotation: Optional[str]
    default: Optional[Value]
    line: int


@dataclass(frozen=True)
class RelationshipSummary:
    name: str
    target: Optional[str]  # the related class as written (`"Item"`, `Item`)
    collection: bool
    line: int
    # the loader strategy declared on the relationship (`"selectin"`, `"joined"`, `"dynamic"`, ...): None when it
    # is left to the default lazy load, "?" when it is not a literal
    lazy: Optional[str] = None


@dataclass(frozen=True)
class ClassSummary:
    name: str
    line: int
    bases: tuple[Ref, ...]
    keywords: Keywords
    local_kind: Optional[str]  # what the module alone shows: model, settings, router, app, orm
    fields: tuple[FieldSummary, ...]
    relationships: tuple[RelationshipSummary, ...]


@dataclass(frozen=True)
class ModuleSummary:
    """Everything the index knows about one version of one module."""

    parsed: bool
    syntax_error: Optional[str] = None
    names: dict[str, TopLevelName] = field(default_factory=dict)
    star_imports: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()  # every imported path, as written
    constants: dict[str, str] = field(default_factory=dict)
    objects: tuple[ObjectSummary, ...] = ()
    routes: tuple[RouteDeclaration, ...] = ()
    includes: tuple[IncludeEdge, ...] = ()
    functions: tuple[FunctionSummary, ...] = ()
    classes: tuple[ClassSummary, ...] = ()
    dependency_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # `X = Annotated[T, Depends(f)]`
    calls: tuple[CallUse, ...] = ()  # calls made at module level

    def object_named(self, name: str) -> Optional[ObjectSummary]:
        for found in reversed(self.objects):
            if found.name == name:
                return found
        return None

    def class_named(self, name: str) -> Optional[ClassSummary]:
        for found in reversed(self.classes):
            if found.name == name:
                return found
        return None

    def function_named(self, name: str) -> Optional[FunctionSummary]:
        for found in reversed(self.functions):
            if found.name == name:
                return found
        return None
