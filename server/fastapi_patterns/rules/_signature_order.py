"""Keeping a signature valid when FAP205 rewrites its parameters: Python's order of defaults.

Owns the whole-signature view: positional parameters fall in two groups (before and after `/`) that may not
mix; a parameter that loses its default may not follow one that keeps a default, so such parameters move,
in their relative order, before the first parameter that keeps one. This module decides whether a parameter
can be rewritten where it stands, whether any valid order exists, and builds the edits (moving whole lines
with their comments when each parameter has its own line, splicing text otherwise).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.names import FunctionNode
from ..engine.types import Edit, Position, Span
from ._annotated_rewrite import MarkerParameter, TypingNames, item_end, parameter_span, rewritten_text

_LINE_TAIL = re.compile(r"^\s*(,)?\s*(#.*)?$")


def positional_groups(function: FunctionNode) -> list[list[tuple[ast.arg, Optional[ast.expr]]]]:
    """Positional-only and ordinary parameters with their defaults, as two groups that may not mix."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    paired = [(arg, args.defaults[i - first_default] if i >= first_default else None)
              for i, arg in enumerate(positional)]
    split = len(args.posonlyargs)
    return [paired[:split], paired[split:]]


Group = list[tuple[ast.arg, Optional[ast.expr]]]


@dataclass(frozen=True)
class GroupMove:
    """Within one positional group: the first parameter that keeps a default, and the ones moving before it."""

    group: Group
    anchor_index: int
    movers: list[ast.arg]


def _keeps_default(arg: ast.arg, default: Optional[ast.expr], plans: dict[int, MarkerParameter]) -> bool:
    plan = plans.get(id(arg))
    return plan.keeps_default if plan is not None else default is not None


def planned_moves(function: FunctionNode, plans: dict[int, MarkerParameter]) -> list[GroupMove]:
    """The moves that keep every group valid once all plans are applied (none when the order already is)."""
    moves: list[GroupMove] = []
    for group in positional_groups(function):
        keeps = [_keeps_default(arg, default, plans) for arg, default in group]
        anchor_index = next((i for i, kept in enumerate(keeps) if kept), None)
        if anchor_index is None:
            continue
        movers = [arg for (arg, _), kept in zip(group[anchor_index:], keeps[anchor_index:]) if not kept]
        if movers:
            moves.append(GroupMove(group, anchor_index, movers))
    return moves


def order_is_feasible(function: FunctionNode, plans: dict[int, MarkerParameter]) -> bool:
    """A valid order exists unless a positional-only parameter keeps a default and a later one loses it."""
    posonly, ordinary = positional_groups(function)
    return not (any(_keeps_default(a, d, plans) for a, d in posonly)
                and any(not _keeps_default(a, d, plans) for a, d in ordinary))


def fits_in_place(function: FunctionNode, plan: MarkerParameter) -> bool:
    """True when rewriting this parameter alone leaves a valid signature (no required-after-default)."""
    positional = [pair for group in positional_groups(function) for pair in group]
    if plan.keeps_default or all(arg is not plan.arg for arg, _ in positional):
        return True  # keyword-only parameters may mix defaults in any order
    for arg, default in positional:
        if arg is plan.arg:
            break
        if default is not None:
            return False
    return True


def signature_edits(fixer: FixContext, function: FunctionNode, plans: dict[int, MarkerParameter],
                    names: TypingNames) -> Optional[list[Edit]]:
    """Edits rewriting every plan of `function`, moving required parameters before defaulted ones if needed."""
    edits: list[Edit] = []
    moved: set[int] = set()
    for move in planned_moves(function, plans):
        group_edits = _move_before(fixer, move, plans, names)
        if group_edits is None:
            return None
        edits.extend(group_edits)
        moved.update(id(arg) for arg in move.movers)
    for key, plan in plans.items():
        if key in moved or not plan.rewritable:
            continue
        text = rewritten_text(fixer, plan, names)
        if text is None:
            return None
        edits.append(Edit(parameter_span(fixer, plan), text))
    return edits if _disjoint(edits) else None


def _move_before(fixer: FixContext, move: GroupMove, plans: dict[int, MarkerParameter],
                 names: TypingNames) -> Optional[list[Edit]]:
    """Delete each mover where it stands and insert the rewritten movers, in order, before the anchor."""
    document = fixer.document
    group, anchor_index, movers = move.group, move.anchor_index, move.movers
    anchor_start = fixer.span(group[anchor_index][0]).start
    anchor_prefix = document.line_text(anchor_start.line)[: anchor_start.column]
    own_line = not anchor_prefix.strip()
    texts: dict[int, str] = {}
    for mover in movers:
        text = rewritten_text(fixer, plans[id(mover)], names)
        if text is None:
            return None
        texts[id(mover)] = text
    edits: list[Edit] = []
    comments: dict[int, tuple[str, str]] = {}  # mover -> (comment lines above it, its trailing comment)
    for first, last in _runs(group, {id(m) for m in movers}):
        run = [arg for arg, _ in group[first:last + 1]]
        lines = [_own_lines(fixer, plans[id(arg)]) for arg in run]
        if all(found is not None for found in lines):
            for arg, found in zip(run, lines):
                assert found is not None
                above = document.text(found.comment_lines) if own_line else ""
                start = found.comment_lines.start if own_line else found.lines.start
                edits.append(Edit(Span(start, found.lines.end), ""))
                comments[id(arg)] = (above, found.trailing_comment)
            continue
        gap = _inline_gap(fixer, group, first, last)
        if gap is None:
            return None
        edits.append(Edit(gap, ""))
    if own_line:
        inserted = "".join(
            f"{comments.get(id(m), ('', ''))[0]}{anchor_prefix}{texts[id(m)]},"
            f"{comments.get(id(m), ('', ''))[1]}{document.newline}" for m in movers)
        where = Position(anchor_start.line, 0)
    else:
        inserted, where = "".join(f"{texts[id(m)]}, " for m in movers), anchor_start
    edits.append(Edit(Span(where, where), inserted))
    return edits


def _runs(group: Group, movers: set[int]) -> list[tuple[int, int]]:
    """Index ranges (first, last) of consecutive movers in the group."""
    runs: list[tuple[int, int]] = []
    for index, (arg, _) in enumerate(group):
        if id(arg) not in movers:
            continue
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


@dataclass(frozen=True)
class _OwnLines:
    """A parameter alone on its lines: those lines, the comment lines just above, and its trailing comment."""

    lines: Span
    comment_lines: Span
    trailing_comment: str


def _own_lines(fixer: FixContext, plan: MarkerParameter) -> Optional[_OwnLines]:
    document = fixer.document
    span = parameter_span(fixer, plan)
    before = document.line_text(span.start.line)[: span.start.column]
    tail = _LINE_TAIL.match(document.line_text(span.end.line)[span.end.column:])
    if before.strip() or tail is None:
        return None
    first = span.start.line
    while first > 0 and document.line_text(first - 1).strip().startswith("#"):
        first -= 1
    comment = f"  {tail.group(2)}" if tail.group(2) else ""
    return _OwnLines(Span(Position(span.start.line, 0), Position(span.end.line + 1, 0)),
                     Span(Position(first, 0), Position(span.start.line, 0)), comment)


def _inline_gap(fixer: FixContext, group: Group, first: int, last: int) -> Optional[Span]:
    """Text to delete for movers sharing lines with others: them and the separator after (or before) them."""
    document = fixer.document
    start = fixer.span(group[first][0]).start
    end = item_end(fixer, *group[last])
    if last + 1 < len(group):
        following = fixer.span(group[last + 1][0]).start
        gap = document.text(Span(end, following))
        if "#" not in document.text(Span(start, following)) and "\n" not in gap and "\r" not in gap:
            return Span(start, following)
    previous_end = item_end(fixer, *group[first - 1])
    return None if "#" in document.text(Span(previous_end, end)) else Span(previous_end, end)


def _disjoint(edits: list[Edit]) -> bool:
    ordered = sorted(edits, key=lambda e: (e.span.start, e.span.end))
    for first, second in zip(ordered, ordered[1:]):
        if second.span.start < first.span.end:
            return False
        if first.span.start == first.span.end == second.span.start == second.span.end:
            return False
    return True
