"""FAP405 naive-utcnow: `datetime.utcnow()` and `datetime.utcfromtimestamp()` build naive datetimes."""

from __future__ import annotations

import ast
import functools
from typing import Optional

from ..engine.fixes import FixContext
from ..engine.names import BindingKind
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Position, Severity, Span
from ._call_arguments import append_keyword

_REPLACEMENTS = {"datetime.datetime.utcnow": "now", "datetime.datetime.utcfromtimestamp": "fromtimestamp"}
_UTC_CONSTANTS = ("datetime.timezone", "datetime.UTC")

_FROM = "from datetime import datetime\n"
_FROM_TZ = "from datetime import datetime, timezone\n"


class NaiveUtcnow(Rule):
    """
    ## What it does
    Flags calls of `datetime.utcnow()` and `datetime.utcfromtimestamp(...)`, however `datetime` was imported
    (`from datetime import datetime`, `import datetime`, an alias). Any Python file is checked, not only
    FastAPI modules. References that are not called (`default_factory=datetime.utcnow`) are left alone.

    ## Why is this bad?
    Both return a *naive* datetime: the clock reading is UTC but the object carries no time zone, so every
    later step treats it as local time. `.timestamp()` and `.astimezone()` shift it by the server's offset,
    comparisons with aware datetimes raise `TypeError`, and the JSON a FastAPI response serialises has no
    offset, leaving each client to guess. Python 3.12 deprecates both methods for these reasons.
    `datetime.now(timezone.utc)` and `datetime.fromtimestamp(x, timezone.utc)` give the same instant as an
    aware value.

    ## Example
    ```python
    from datetime import datetime


    def stamp() -> str:
        return datetime.utcnow().isoformat()
    ```

    Use instead:
    ```python
    from datetime import datetime, timezone


    def stamp() -> str:
        return datetime.now(timezone.utc).isoformat()
    ```

    ## Fix safety
    Unsafe: the value becomes timezone-aware, so its `isoformat()` gains `+00:00`, and comparing it with
    naive datetimes (for instance ones read back from a `DateTime` column without time zone) now raises.
    The fix spells the time zone the way the file already imports `datetime`: `timezone.utc` (adding
    `timezone` to the imports when the name is free) or `datetime.timezone.utc` through the module. When
    `timezone` already means something else at the call (`from django.utils import timezone`), no fix is
    offered.
    """

    code = "FAP405"
    name = "naive-utcnow"
    message = "`{method}()` returns a naive datetime: use `{replacement}` with `timezone.utc`"
    fix_title = "Use an aware datetime in UTC"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.WARNING
    node_types = (ast.Call,)
    trigger_words = ("utcnow", "utcfromtimestamp")

    VALID = (
        Valid(_FROM_TZ + "now = datetime.now(timezone.utc)\n"),
        Valid(_FROM_TZ + "then = datetime.fromtimestamp(0, timezone.utc)\n"),
        Valid(_FROM + "from sqlalchemy import Column, DateTime\ncreated = Column(DateTime, default=datetime.utcnow)\n"),
        Valid("import arrow\nnow = arrow.utcnow()\n"),
        Valid("import pendulum\nnow = pendulum.DateTime.utcnow()\n"),
        Valid("class Clock:\n    def utcnow(self): ...\nclock = Clock()\nnow = clock.utcnow()\n"),
        Valid(_FROM + "def stamp(datetime):\n    return datetime.utcnow()\n"),
        Valid("def stamp():\n    datetime = FakeClock()\n    return datetime.utcnow()\n"),
        Valid("import datetime\nclass Model:\n    datetime = Clock\n    def f(self):\n        return self.datetime.utcnow()\n"),
        Valid("from datetime import date\ntoday = date.today()\n"),
    )
    INVALID = (
        Invalid(_FROM + "now = datetime.utcnow()\n", _FROM_TZ + "now = datetime.now(timezone.utc)\n", unsafe=True),
        Invalid("import datetime\nnow = datetime.datetime.utcnow()\n",
                "import datetime\nnow = datetime.datetime.now(datetime.timezone.utc)\n", unsafe=True),
        Invalid("import datetime as dt\nnow = dt.datetime.utcnow()\n",
                "import datetime as dt\nnow = dt.datetime.now(dt.timezone.utc)\n", unsafe=True),
        Invalid(_FROM_TZ + "then = datetime.utcfromtimestamp(ts)\n",
                _FROM_TZ + "then = datetime.fromtimestamp(ts, timezone.utc)\n", unsafe=True),
        Invalid("from datetime import datetime as DT, timezone as tz\nnow = DT.utcnow()\n",
                "from datetime import datetime as DT, timezone as tz\nnow = DT.now(tz.utc)\n", unsafe=True),
        Invalid("from datetime import UTC, datetime\nnow = datetime.utcnow()\n",
                "from datetime import UTC, datetime\nnow = datetime.now(UTC)\n", unsafe=True),
        Invalid(_FROM + "def age(row):\n    return (\n        datetime.utcfromtimestamp(\n            row.ts,  # seconds\n"
                "        )\n        - row.start\n    )\n",
                _FROM_TZ + "def age(row):\n    return (\n        datetime.fromtimestamp(\n            row.ts,  # seconds\n"
                "            timezone.utc,\n        )\n        - row.start\n    )\n", unsafe=True),
        Invalid(_FROM + "from django.utils import timezone\nnow = datetime.utcnow()\n"),
        Invalid(_FROM + "def stamp(timezone):\n    return datetime.utcnow()\n"),
        Invalid("import datetime\nfrom datetime import datetime as DT\ndef f(timezone):\n    return DT.utcnow()\n",
                "import datetime\nfrom datetime import datetime as DT\ndef f(timezone):\n"
                "    return DT.now(datetime.timezone.utc)\n", unsafe=True),
        Invalid(_FROM + "class Event:\n    async def stamp(self):\n        a = datetime.utcnow()\n"
                "        return a, datetime.utcnow()\n",
                _FROM_TZ + "class Event:\n    async def stamp(self):\n        a = datetime.now(timezone.utc)\n"
                "        return a, datetime.now(timezone.utc)\n", count=2, unsafe=True),
        Invalid("from datetime import datetime\nutc = datetime.utcnow\nnow = utc()\n"),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        replacement = _REPLACEMENTS.get(ctx.qualified_name(node.func) or "")
        if replacement is None:
            return
        method = "utcnow" if replacement == "now" else "utcfromtimestamp"
        edits = _fix(ctx.fixer, node, method, replacement)  # built now: only fixable findings say they are
        fix = None if edits is None else functools.partial(_prepared, edits=edits)
        ctx.report(node, fix, method=f"datetime.{method}", replacement=f"datetime.{replacement}")


def _prepared(_fixer: FixContext, edits: list[Edit]) -> list[Edit]:
    return edits


def _fix(fixer: FixContext, call: ast.Call, method: str, replacement: str) -> Optional[list[Edit]]:
    func = call.func
    if not isinstance(func, ast.Attribute) or call.keywords:
        return None
    if len(call.args) != (0 if method == "utcnow" else 1) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    utc = _utc_spelling(fixer, func.value)
    if utc is None:
        return None
    reference, import_edits = utc
    end = fixer.span(func).end
    rename = Edit(Span(Position(end.line, end.column - len(method)), end), replacement)
    argument = append_keyword(fixer, call, reference)
    return None if argument is None else [*import_edits, rename, *argument]


def _utc_spelling(fixer: FixContext, receiver: ast.expr) -> Optional[tuple[str, list[Edit]]]:
    """How to write the UTC time zone at the call, and the import edits that makes it usable."""
    names = fixer.names
    if names is None:
        return None
    if isinstance(receiver, ast.Attribute) and names.qualified_name(receiver.value) == "datetime":
        return f"{fixer.text(receiver.value)}.timezone.utc", []
    anchor = next((n for n in ast.walk(receiver) if isinstance(n, ast.Name)), None)
    if anchor is None:
        return None
    scope, position = names.scope_of(anchor), (anchor.lineno, anchor.col_offset)

    def visible(local: Optional[str], qualified: str) -> bool:
        binding = names.lookup(local, scope, position) if local else None
        return binding is not None and binding.kind is BindingKind.IMPORT and binding.qualified_name == qualified

    for qualified in _UTC_CONSTANTS:
        local = fixer.bound_name(qualified)
        if visible(local, qualified):
            return (f"{local}.utc" if qualified.endswith("timezone") else str(local)), []
    module = fixer.bound_name("datetime")
    if visible(module, "datetime"):
        return f"{module}.timezone.utc", []
    if names.lookup("timezone", scope, position) is None and "timezone" not in names.module_scope.bindings:
        local, edits = fixer.add_import("datetime", "timezone")
        return f"{local}.utc", edits
    return None
