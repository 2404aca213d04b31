"""What runs on a coroutine's event loop, and which of those calls block it.

This module owns two pieces of knowledge shared by the async-correctness rules. First, the *own body* of an
`async def`: the nodes evaluated in that coroutine's frame (nested `def`/`lambda`/class bodies excluded, their
decorators and defaults included), each with its ancestors, and whether that body awaits anything. Second, the
catalog of blocking APIs: plain functions known by qualified name (`time.sleep`, `requests.get`, `open`...) and
methods that block only on a receiver of a known type (`requests.Session`, `httpx.Client`, `pathlib.Path`,
`subprocess.Popen`, a synchronous SQLAlchemy `Session`), with the small type inference needed to know the
receiver: annotations (`Annotated`/`Optional` unwrapped), constructor calls, `sessionmaker()` factories, and
the `Path` operations that return another `Path`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from .names import BindingKind, FunctionNode, SymbolTable, child_nodes

_REQUEST_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")

BLOCKING_FUNCTIONS = frozenset(
    {
        "time.sleep",
        *(f"requests.{verb}" for verb in _REQUEST_VERBS),
        *(f"requests.api.{verb}" for verb in _REQUEST_VERBS),
        *(f"httpx.{verb}" for verb in (*_REQUEST_VERBS, "stream")),
        "urllib.request.urlopen",
        "builtins.open", "io.open",
        "os.system", "os.popen",
        "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
        "socket.create_connection",
        "sqlite3.connect", "psycopg2.connect", "pymysql.connect", "smtplib.SMTP",
        "shutil.copy", "shutil.copyfile", "shutil.copytree", "shutil.rmtree", "shutil.move",
    }
)

# Constructors (or annotations) of receivers whose listed methods block, by the receiver kind they create.
RECEIVER_TYPES: dict[str, str] = {
    "requests.Session": "requests.Session",
    "requests.sessions.Session": "requests.Session",
    "requests.session": "requests.Session",
    "httpx.Client": "httpx.Client",
    "pathlib.Path": "pathlib.Path",
    "pathlib.PosixPath": "pathlib.Path",
    "pathlib.WindowsPath": "pathlib.Path",
    "subprocess.Popen": "subprocess.Popen",
    "sqlalchemy.orm.Session": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.session.Session": "sqlalchemy.orm.Session",
    "sqlmodel.Session": "sqlalchemy.orm.Session",
    "sqlmodel.orm.session.Session": "sqlalchemy.orm.Session",
}
BLOCKING_METHODS: dict[str, frozenset[str]] = {
    "requests.Session": frozenset({*_REQUEST_VERBS, "send"}),
    "httpx.Client": frozenset({*_REQUEST_VERBS, "stream", "send"}),
    "pathlib.Path": frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "open"}),
    "subprocess.Popen": frozenset({"wait", "communicate"}),
    "sqlalchemy.orm.Session": frozenset(
        {"query", "execute", "scalar", "scalars", "get", "commit", "flush", "refresh", "rollback", "merge", "delete"}
    ),
}
_ANY_BLOCKING_METHOD = frozenset(name for methods in BLOCKING_METHODS.values() for name in methods)
SESSION_FACTORIES = frozenset({"sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.session.sessionmaker"})
_PATH_RETURNING_METHODS = frozenset(
    {"resolve", "absolute", "expanduser", "with_name", "with_suffix", "with_stem", "joinpath", "relative_to"}
)
_PATH_CLASS_METHODS = frozenset({"home", "cwd"})
_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})

AncestorPath = tuple[ast.AST, ...]
_OWN_BODY = "_fastapi_patterns_own_body"  # the memo lives on the function node, so it dies with its tree


# -- the coroutine's own body -----------------------------------------------------------------------------


def own_body(function: FunctionNode) -> Iterator[tuple[ast.AST, AncestorPath]]:
    """Every node evaluated in the function's own frame, pre-order, with its ancestors inside the function.

    Nested `def`/`async def`/`lambda` bodies and class bodies are left out; their decorators, defaults,
    bases and keywords, which the enclosing function evaluates, are kept.
    """
    cached: Optional[list[tuple[ast.AST, AncestorPath]]] = getattr(function, _OWN_BODY, None)
    if cached is None:  # computed once per function of a tree, then shared by every rule that asks
        cached = []
        stack: list[tuple[ast.AST, AncestorPath]] = [(stmt, ()) for stmt in reversed(function.body)]
        while stack:
            node, ancestors = stack.pop()
            cached.append((node, ancestors))
            path = (*ancestors, node)
            stack.extend((child, path) for child in reversed(_evaluated_children(node)))
        setattr(function, _OWN_BODY, cached)
    return iter(cached)


def ancestors_in(function: FunctionNode, target: ast.AST) -> Optional[AncestorPath]:
    """The ancestors of `target` inside the function's own body, or None when it is not part of that body."""
    for node, ancestors in own_body(function):
        if node is target:
            return ancestors
    return None


def _evaluated_children(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        decorators = node.decorator_list if not isinstance(node, ast.Lambda) else []
        defaults = [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
        return [*decorators, *defaults]
    if isinstance(node, ast.ClassDef):
        return [*node.decorator_list, *node.bases, *node.keywords]
    return child_nodes(node)


def awaits_anything(function: FunctionNode) -> bool:
    """True when the own body has an `await`, `async for`, `async with` or an async comprehension."""
    for node, _ancestors in own_body(function):
        if isinstance(node, (ast.Await, ast.AsyncFor, ast.AsyncWith)):
            return True
        if isinstance(node, ast.comprehension) and node.is_async:
            return True
    return False


# -- blocking calls ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockingCall:
    """A call recognised as blocking; `label` names it for messages (`time.sleep()`, `pathlib.Path.read_text()`)."""

    call: ast.Call
    qualified_name: str  # the function, or `<receiver kind>.<method>`
    is_method: bool

    @property
    def label(self) -> str:
        return f"{self.qualified_name.removeprefix('builtins.')}()"


def blocking_call(call: ast.Call, names: SymbolTable, extra: Iterable[str] = ()) -> Optional[BlockingCall]:
    """The blocking API this call reaches, or None when it is not known to block."""
    qualified = names.qualified_name(call.func)
    if qualified is not None and (qualified in BLOCKING_FUNCTIONS or _configured(qualified, extra)):
        return BlockingCall(call, qualified, is_method=False)
    if isinstance(call.func, ast.Attribute) and call.func.attr in _ANY_BLOCKING_METHOD:
        kind = receiver_kind(call.func.value, names)
        if kind is not None and call.func.attr in BLOCKING_METHODS[kind]:
            return BlockingCall(call, f"{kind}.{call.func.attr}", is_method=True)
    return None


def _configured(qualified: str, extra: Iterable[str]) -> bool:
    """A name from the `blocking-calls` setting; a bare name (`input`) means the builtin."""
    return any(qualified == name or ("." not in name and qualified == f"builtins.{name}") for name in extra)


def receiver_kind(node: ast.expr, names: SymbolTable, depth: int = 0) -> Optional[str]:
    """The receiver kind (a key of BLOCKING_METHODS) an expression is known to evaluate to, or None."""
    if depth > 8:
        return None
    if isinstance(node, ast.Call):
        return _kind_of_call(node, names, depth)
    if isinstance(node, ast.Name):
        binding = names.binding_of(node)
        if binding is None:
            return None
        if binding.kind is BindingKind.PARAMETER:
            return annotation_kind(binding.annotation, names)
        if binding.kind is BindingKind.ASSIGNMENT:
            if binding.annotation is not None:
                return annotation_kind(binding.annotation, names)
            if binding.value is not None and binding.value is not node:
                return receiver_kind(binding.value, names, depth + 1)
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return "pathlib.Path" if receiver_kind(node.left, names, depth + 1) == "pathlib.Path" else None
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        return "pathlib.Path" if receiver_kind(node.value, names, depth + 1) == "pathlib.Path" else None
    return None


def _kind_of_call(call: ast.Call, names: SymbolTable, depth: int) -> Optional[str]:
    qualified = names.qualified_name(call.func)
    if qualified in RECEIVER_TYPES:
        return RECEIVER_TYPES[qualified]
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr in _PATH_CLASS_METHODS and RECEIVER_TYPES.get(names.qualified_name(func.value) or "") == (
            "pathlib.Path"
        ):
            return "pathlib.Path"
        if func.attr in _PATH_RETURNING_METHODS and receiver_kind(func.value, names, depth + 1) == "pathlib.Path":
            return "pathlib.Path"
        return None
    if isinstance(func, ast.Name):  # `SessionLocal()` where `SessionLocal = sessionmaker(...)`
        binding = names.binding_of(func)
        if binding is not None and binding.kind is BindingKind.ASSIGNMENT and isinstance(binding.value, ast.Call):
            factory = binding.value
            if names.qualified_name(factory.func) in SESSION_FACTORIES and _makes_sync_sessions(factory, names):
                return "sqlalchemy.orm.Session"
    return None


def _makes_sync_sessions(factory: ast.Call, names: SymbolTable) -> bool:
    for keyword in factory.keywords:
        if keyword.arg == "class_":
            return RECEIVER_TYPES.get(names.qualified_name(keyword.value) or "") == "sqlalchemy.orm.Session"
        if keyword.arg is None:
            return False  # `**options` may choose another class
    return True


def annotation_kind(annotation: Optional[ast.expr], names: SymbolTable) -> Optional[str]:
    """The receiver kind an annotation names: `Session`, `Annotated[Session, ...]`, `Path | None`, `"Path"`."""
    node = annotation
    detached = False  # parsed from a string: not part of the tree, so its names are read at module level

    def resolve(expr: ast.expr) -> Optional[str]:
        return _module_level_name(expr, names) if detached else names.qualified_name(expr)

    for _ in range(4):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and not detached:
            node, detached = _parse_annotation(node.value), True
        elif isinstance(node, ast.Subscript) and resolve(node.value) in _ANNOTATED:
            node = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and node.slice.elts else None
        elif isinstance(node, ast.Subscript) and resolve(node.value) in _OPTIONAL:
            node = node.slice
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            node = _non_none_side(node)
        else:
            break
    if not isinstance(node, (ast.Name, ast.Attribute)):
        return None
    return RECEIVER_TYPES.get(resolve(node) or "")


def _module_level_name(node: ast.expr, names: SymbolTable) -> Optional[str]:
    """Qualified name of a Name/Attribute chain that is not part of the tree, read at module level."""
    if isinstance(node, ast.Attribute):
        base = _module_level_name(node.value, names)
        return f"{base}.{node.attr}" if base else None
    if not isinstance(node, ast.Name):
        return None
    binding = names.lookup(node.id, names.module_scope)
    if binding is not None and binding.kind is BindingKind.IMPORT:
        return binding.qualified_name
    return None


def _non_none_side(union: ast.BinOp) -> Optional[ast.expr]:
    def is_none(side: ast.expr) -> bool:
        return isinstance(side, ast.Constant) and side.value is None

    if is_none(union.right):
        return union.left
    if is_none(union.left):
        return union.right
    return None


def _parse_annotation(text: str) -> Optional[ast.expr]:
    """A string annotation as an expression; its names resolve at module level."""
    try:
        return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return None
