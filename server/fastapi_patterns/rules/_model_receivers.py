"""Whether an expression is a Pydantic model class or instance, for FAP304.

Owns one question: given the receiver of a method call, is it known to be a Pydantic model (v2 or
unversioned), and is it the class or an instance? Known means: a model class of the file (through the
`ClassLookup`), a call of one (`User(...)`, `User.model_validate(...)`), a parameter or variable annotated with
one (`Optional[...]`, `X | None` and `Annotated[...]` unwrapped, `type[User]` giving the class), a variable
assigned from such a call, or `self`/`cls` in a method of a model class. Anything else is unknown, and unknown
receivers are never reported.
"""

from __future__ import annotations

import ast
import enum
from dataclasses import dataclass
from typing import Callable, Optional

from ..engine.fastapi_model import MODEL_BASES, annotated_parts
from ..engine.names import BindingKind, SymbolTable
from ._pydantic_models import V1_PREFIX, ClassLookup, is_explicit_v1

_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_TYPE = frozenset({"builtins.type", "typing.Type", "typing_extensions.Type"})
_CONSTRUCTORS = frozenset({"parse_obj", "parse_raw", "from_orm", "construct", "model_validate",
                           "model_validate_json", "model_construct", "validate"})
_METHOD_WRAPPERS = frozenset({"builtins.classmethod", "builtins.staticmethod"})


class Kind(enum.Enum):
    CLASS = "class"
    INSTANCE = "instance"


@dataclass(frozen=True)
class Receiver:
    kind: Kind
    model: Optional[ast.ClassDef]  # None for `pydantic.BaseModel` itself


class ReceiverResolver:
    """Answers `receiver(expr)` for one file, with the lookup that finds its model classes."""

    def __init__(self, names: SymbolTable, lookup: ClassLookup, is_model: Callable[[ast.ClassDef], bool]) -> None:
        self.names = names
        self.lookup = lookup
        self.is_model = is_model

    def receiver(self, node: ast.expr, depth: int = 0) -> Optional[Receiver]:
        if depth > 8:
            return None
        model_class = self._model_class(node)
        if model_class is not None:
            return model_class
        if isinstance(node, ast.Call):
            return self._call_result(node, depth)
        if isinstance(node, ast.Name):
            return self._variable(node, depth)
        return None

    def _model_class(self, node: ast.expr) -> Optional[Receiver]:
        if not isinstance(node, (ast.Name, ast.Attribute, ast.Constant)):
            return None
        cls = self.lookup(node)
        if cls is not None:
            return None if is_explicit_v1(cls, self.lookup, self.names) else Receiver(Kind.CLASS, cls)
        qualified = self.names.qualified_name(node) if not isinstance(node, ast.Constant) else None
        if qualified in MODEL_BASES and not qualified.startswith(V1_PREFIX):
            return Receiver(Kind.CLASS, None)
        return None

    def _call_result(self, call: ast.Call, depth: int) -> Optional[Receiver]:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in _CONSTRUCTORS:
            owner = self.receiver(func.value, depth + 1)
            return Receiver(Kind.INSTANCE, owner.model) if owner is not None else None
        created = self._model_class(func)
        return Receiver(Kind.INSTANCE, created.model) if created is not None and created.model is not None else None

    def from_annotation(self, annotation: Optional[ast.expr], depth: int = 0) -> Optional[Receiver]:
        if annotation is None or depth > 8:
            return None
        annotation = annotated_parts(annotation, self.names)[0] or annotation
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            sides = [s for s in (annotation.left, annotation.right)
                     if not (isinstance(s, ast.Constant) and s.value is None)]
            return self.from_annotation(sides[0], depth + 1) if len(sides) == 1 else None
        if isinstance(annotation, ast.Subscript):
            origin = self.names.qualified_name(annotation.value)
            if origin in _OPTIONAL:
                return self.from_annotation(annotation.slice, depth + 1)
            return self._model_class(annotation.slice) if origin in _TYPE else None
        found = self._model_class(annotation)
        return Receiver(Kind.INSTANCE, found.model) if found is not None else None

    def _variable(self, name: ast.Name, depth: int) -> Optional[Receiver]:
        binding = self.names.binding_of(name)
        if binding is None:
            return None
        if binding.kind is BindingKind.PARAMETER:
            implicit = self._self_or_cls(binding.node, binding.scope.node, binding.scope.parent)
            return implicit if implicit is not None else self.from_annotation(binding.annotation)
        if binding.kind is BindingKind.ASSIGNMENT:
            if binding.annotation is not None:
                return self.from_annotation(binding.annotation)
            if isinstance(binding.value, ast.Call):
                return self._call_result(binding.value, depth + 1)
        return None

    def _self_or_cls(self, arg: ast.AST, function: ast.AST, parent: object) -> Optional[Receiver]:
        """`self` / `cls` as the first parameter of a method of a model class."""
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or parent is None:
            return None
        owner = getattr(parent, "node", None)
        positional = [*function.args.posonlyargs, *function.args.args]
        if not isinstance(owner, ast.ClassDef) or not positional or positional[0] is not arg:
            return None
        if not self.is_model(owner) or is_explicit_v1(owner, self.lookup, self.names):
            return None
        wrappers = {self.names.qualified_name(d) for d in function.decorator_list} & _METHOD_WRAPPERS
        if "builtins.staticmethod" in wrappers:
            return None
        kind = Kind.CLASS if "builtins.classmethod" in wrappers else Kind.INSTANCE
        return Receiver(kind, owner)
