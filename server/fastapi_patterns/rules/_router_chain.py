"""Settings a path operation inherits from the routers and apps above it, as far as one file shows them.

Owns one question shared by the rules that read route-level defaults (`responses=`, `default_response_class=`):
given a keyword, which values apply to an operation through its router (`APIRouter(responses=...)`), the
`include_router(router, responses=...)` calls of the same module that mount it, and the routers and apps that
those calls mount it on, followed upwards. Includes made in other modules are invisible here.
"""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fastapi_model import FastApiModel, PathOperation, RouterInfo, keyword_value

_MAX_DEPTH = 6


class RouterChain:
    """The include calls of one module, asked about many operations."""

    def __init__(self, model: FastApiModel) -> None:
        self.routers = model.routers
        self.includes = model.include_calls

    def inherited(self, operation: PathOperation, keyword: str) -> list[ast.expr]:
        """Values of `keyword` on the operation's router, on the includes of it, and above them."""
        if operation.router is None:
            return []
        found: list[ast.expr] = []
        self._collect(operation.router, keyword, found, depth=0, seen=set())
        return found

    def hidden_from_schema(self, operation: PathOperation) -> bool:
        """`include_in_schema=False` on the route, its router or an include of it: it is not in the docs."""
        own = operation.keyword("include_in_schema")
        values = ([own] if own is not None else []) + self.inherited(operation, "include_in_schema")
        return any(isinstance(value, ast.Constant) and value.value is False for value in values)

    def _collect(self, router: RouterInfo, keyword: str, found: list[ast.expr], depth: int, seen: set[str]) -> None:
        own = router.keyword(keyword)
        if own is not None:
            found.append(own)
        if depth >= _MAX_DEPTH or router.name in seen:
            return
        seen.add(router.name)
        for call in self.includes:
            first = call.args[0]
            if not (isinstance(first, ast.Name) and first.id == router.name):
                continue
            value = keyword_value(call, keyword)
            if value is not None:
                found.append(value)
            parent = self._parent(call)
            if parent is not None:
                self._collect(parent, keyword, found, depth + 1, seen)

    def _parent(self, call: ast.Call) -> Optional[RouterInfo]:
        owner = call.func.value if isinstance(call.func, ast.Attribute) else None
        return self.routers.get(owner.id) if isinstance(owner, ast.Name) else None
