"""Response codes a route inherits from the routers and apps above it, across the project's modules.

The route table gives every chain from a route up to its app; along each chain, `responses=` may be set on an
`APIRouter(...)`, an `include_router(...)` call or the `FastAPI(...)` app, in any module. Their keys are read
from the index (int literals, numeric strings, `NXX` ranges, `"default"`, `status.HTTP_*` names); a mapping the
index cannot read (a variable, a `**` spread) makes the answer unknown, so a rule stays silent rather than guess.
"""

from __future__ import annotations

import re
from typing import Optional

from ..engine.workspace.routes import Route
from ..engine.workspace.summary import Value, keyword
from ..engine.workspace.view import WorkspaceView
from ._declared_responses import DeclaredCodes

_NUMBER = re.compile(r"""^['"]?\s*([1-5][0-9][0-9])\s*['"]?$""")
_RANGE = re.compile(r"""^['"]([1-5])XX['"]$""", re.IGNORECASE)
_CONSTANT = re.compile(r"(?:^|\.)HTTP_([1-5][0-9][0-9])(?:_\w*)?$")


def inherited_codes(view: WorkspaceView, function_name: str) -> Optional[DeclaredCodes]:
    """Codes documented for the handler `function_name` of this file by what includes it anywhere in the
    project (every chain counts), or None when one of those `responses=` cannot be read."""
    declared = DeclaredCodes()
    for route in view.routes_of_handler(function_name):
        for value in _responses_along(view, route):
            if not _add(value, declared):
                return None
    return declared


def _responses_along(view: WorkspaceView, route: Route) -> list[Value]:
    found: list[Value] = []
    summaries = view.resolver.summaries
    for link in route.chain:  # what this file itself writes, the rule reads from its own tree
        summary = summaries.get(link.file) if link.file != view.path else None
        obj = summary.object_named(link.name) if summary is not None else None
        own = keyword(obj.keywords, "responses") if obj is not None else None
        if own is not None:
            found.append(own)
        include_file, include_line = link.included_at
        including = summaries.get(include_file) if include_file != view.path else None
        for edge in including.includes if including is not None else ():
            if edge.range.line == include_line:
                value = keyword(edge.keywords, "responses")
                if value is not None:
                    found.append(value)
    return found


def _add(value: Value, declared: DeclaredCodes) -> bool:
    if value.is_literal and value.literal is None:
        return True
    if value.keys is None:
        return False
    for key in value.keys:
        text = key.strip()
        number, span, constant = _NUMBER.match(text), _RANGE.match(text), _CONSTANT.search(text)
        if number is not None:
            declared.codes.add(int(number.group(1)))
        elif span is not None:
            declared.ranges.add(int(span.group(1)))
        elif constant is not None:
            declared.codes.add(int(constant.group(1)))
        elif text.strip("'\"") == "default":
            declared.everything = True
        else:
            return False
    return True
