"""Following a plain name one step back to the display or constant it was assigned.

Owns one small question several configuration rules ask of a keyword's value (`allow_origins=origins`,
`options=UNVERIFIED`): the value written in place, or, for a name, the expression of the assignment that
binds it at that point. Anything else (a parameter, an import, a re-bound loop variable) is unknown: None.
"""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.names import BindingKind, SymbolTable


def assigned_value(node: Optional[ast.expr], names: SymbolTable) -> Optional[ast.expr]:
    """The expression itself, or what a plain name was last assigned before this point; None when unknown."""
    if not isinstance(node, ast.Name):
        return node
    binding = names.binding_of(node)
    if binding is not None and binding.kind is BindingKind.ASSIGNMENT and isinstance(binding.value, ast.expr):
        return binding.value
    return None
