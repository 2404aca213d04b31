"""Which routes of the project's other modules send a class of this file in their responses.

A route's response model is kept in the index as written (`list[UserOut]`, `"User"`, `schemas.UserOut`); its
names are resolved from the route's own module, through imports and re-exports, and a class counts when it is
the model or one of the model's bases, wherever they are declared. Rules ask this when a class of the file
being analysed is worth flagging only if something responds with it.
"""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from ..engine.workspace.routes import Route
from ..engine.workspace.summary import ClassSummary, Ref, RefKind, keyword
from ..engine.workspace.view import WorkspaceView

_FILTERS = ("response_model_include", "response_model_exclude")


def remote_responders(view: WorkspaceView, class_names: set[str]) -> dict[tuple[str, str], list[Route]]:
    """For (class, field) pairs of this file: the routes of other modules whose response model sends that
    field, i.e. where the class is the model or a base that the field is inherited from."""
    found: dict[tuple[str, str], list[Route]] = {}
    if not class_names:
        return found
    for route in view.routes():
        if route.file == view.path or route.method == "WEBSOCKET" or route.response_model is None:
            continue
        if any(keyword(route.declaration.keywords, name) is not None for name in _FILTERS):
            continue  # include/exclude sets: the route decides what it sends
        for dotted in _names_in(route.response_model):
            model = view.class_(view.resolver.resolve(route.file, Ref(RefKind.MODULE, dotted)))
            if model is None:
                continue
            for owner_path, field in view.fields(*model):
                owner = _owner_of(view, model, field.name)
                if owner_path == view.path and owner in class_names:
                    routes = found.setdefault((owner, field.name), [])
                    if route not in routes:
                        routes.append(route)
    return found


def _owner_of(view: WorkspaceView, model: tuple[str, ClassSummary], field_name: str) -> Optional[str]:
    """The class of the model's lineage whose declaration of `field_name` wins."""
    for _owner_path, owner in view.lineage(*model):
        if any(field.name == field_name for field in owner.fields):
            return owner.name
    return None


def _names_in(text: str, depth: int = 0) -> Iterator[str]:
    """Dotted names in an annotation's text, string forward references included."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and depth < 2:
            yield from _names_in(node.value, depth + 1)
        elif isinstance(node, (ast.Name, ast.Attribute)):
            dotted = _dotted(node)
            if dotted is not None:
                yield dotted


def _dotted(node: ast.expr) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base is not None else None
    return None
