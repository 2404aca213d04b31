"""FAP103 blocking-call-via-helper: a coroutine calls one of the project's own functions that blocks further down."""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.blocking import ancestors_in, blocking_call
from ..engine.fixes import FixContext
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Fix, FixSafety, Severity
from ..engine.workspace.calls import BlockingChain
from ._offload import offload_edits, placement_of
from .blocking_call_in_async import runs_on_server_loop

_APP = "from fastapi import FastAPI\napp = FastAPI()\n"
_LOOP = "asyncio.get_running_loop().run_in_executor"
_HELPERS = (
    "def read_csv(path):\n    with open(path) as handle:\n        return handle.read().splitlines()\n"
    "def load_report(year):\n    return read_csv(f'reports/{year}.csv')\n"
)
_HARMLESS_DECORATORS = frozenset({"functools.cache", "functools.lru_cache", "functools.wraps", "staticmethod"})


class BlockingCallViaHelper(Rule):
    """
    ## What it does
    Flags a call, in the body of an `async def` that serves requests, to a plain `def` function of the project
    itself (in the same module or imported from another one) that makes a blocking call, directly or through
    further such functions. The message shows the whole chain, from the function called to the blocking call at
    its end: `load_report() → read_csv() → open()`. Blocking calls are those FAP101 knows.

    Calls that are awaited, functions passed as values to `asyncio.to_thread` or `run_in_executor`, `async def`
    helpers (the blocking call inside one is reported where it is, by FAP101), calls from nested functions, and
    helpers wrapped by decorators that may change how they run are not flagged.

    ## Why is this bad?
    Moving a blocking call into a helper does not make it asynchronous. The coroutine still runs the helper on
    the event loop, so while the file is read or the HTTP request waits, every other request of the worker
    waits too. The helper's name hides the problem from a review and from tools that only look at one function.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    def read_lines(path: str) -> list[str]:
        with open(path) as handle:
            return handle.read().splitlines()


    @app.get("/report")
    async def report() -> list[str]:
        return read_lines("report.csv")
    ```

    Use instead:
    ```python
    import asyncio

    from fastapi import FastAPI

    app = FastAPI()


    def read_lines(path: str) -> list[str]:
        with open(path) as handle:
            return handle.read().splitlines()


    @app.get("/report")
    async def report() -> list[str]:
        return await asyncio.to_thread(read_lines, "report.csv")
    ```

    ## Fix safety
    The call is wrapped so the helper runs in a worker thread, in the `offload-style` setting's style (as FAP101
    does). Unsafe: the helper, and whatever it touches, now runs on another thread. Not offered where an `await`
    cannot go (a generator expression, an f-string) or for a call used as a context manager.
    """

    code = "FAP103"
    name = "blocking-call-via-helper"
    message = "`{call}` blocks the event loop: {chain}"
    fix_title = "Run the helper in a worker thread"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.WARNING
    node_types = (ast.Call,)

    VALID = (
        Valid(_HELPERS + _APP + "@app.get('/r')\ndef r():\n    return load_report(2024)\n"),
        Valid("import asyncio\n" + _HELPERS + _APP + "@app.get('/r')\nasync def r():\n"
              "    return await asyncio.to_thread(load_report, 2024)\n"),
        Valid(_HELPERS + _APP + "@app.get('/r')\nasync def r():\n    def later():\n        return load_report(1)\n"
              "    return later\n"),
        Valid("import asyncio\n" + _APP + "async def fetch(path):\n    await asyncio.sleep(0)\n"
              "@app.get('/r')\nasync def r():\n    return await fetch('x')\n"),
        Valid(_APP + "def total(values):\n    return sum(values)\n@app.get('/r')\nasync def r():\n"
              "    return total([1, 2])\n"),
        Valid(_HELPERS + "from fastapi import FastAPI\napp = FastAPI()\nasync def test_report():\n"
              "    assert load_report(2024)\n"),
        Valid(_HELPERS + _APP + "@app.get('/r')\nasync def r(load_report):\n    return load_report(2024)\n"),
        Valid("from app.cache import memo\n" + _APP + "@memo\ndef slow():\n    return open('x').read()\n"
              "@app.get('/r')\nasync def r():\n    return slow()\n"),
        Valid("import requests\n" + _HELPERS + "def report():\n    return load_report(1)\n"),
        Valid(_APP + "@app.get('/r')\nasync def r():\n    return load_report(2024)\n",
              files={"app/reports.py": "def load_report(year):\n    return year * 2\n"}),
        Valid("from app.reports import load_report\n" + _APP + "@app.get('/r')\nasync def r():\n"
              "    return load_report(2024)\n",
              files={"app/reports.py": "import asyncio\nasync def read(path):\n    return open(path).read()\n"
                                       "def load_report(year):\n    return read(f'{year}.csv')\n"}),
    )
    INVALID = (
        Invalid(_APP + _HELPERS + "@app.get('/r')\nasync def r():\n    return load_report(2024)\n",
                "import asyncio\n\n" + _APP + _HELPERS + "@app.get('/r')\nasync def r():\n"
                "    return await asyncio.to_thread(load_report, 2024)\n",
                unsafe=True, config={"offload-style": "to_thread"}),
        Invalid(_APP + _HELPERS + "@app.get('/r')\nasync def r():\n    rows = load_report(2024)\n    return rows\n",
                "import asyncio\n\n" + _APP + _HELPERS + "@app.get('/r')\nasync def r():\n"
                f"    rows = await {_LOOP}(None, load_report, 2024)\n    return rows\n", unsafe=True),
        Invalid("import time\nfrom fastapi import Depends, FastAPI\napp = FastAPI()\n"
                "def warm_up():\n    time.sleep(1)\nasync def ready():\n    warm_up()\n"
                "@app.get('/', dependencies=[Depends(ready)])\nasync def root():\n    return {}\n"),
        Invalid("from app.services import reports as r\n" + _APP + "@app.get('/r')\nasync def report():\n"
                "    return len(r.load_report(2024))\n",
                files={"app/services/__init__.py": "",
                       "app/services/reports.py": "from app.services.files import read_csv\n"
                                                  "def load_report(year):\n    return read_csv(f'{year}.csv')\n",
                       "app/services/files.py": "from .low import raw\ndef read_csv(path):\n    return raw(path)\n",
                       "app/services/low.py": "import requests\ndef raw(url):\n    return requests.get(url).text\n"}),
        Invalid(_APP + _HELPERS + "@app.get('/r')\nasync def r(years: list[int]):\n"
                "    return [len(load_report(y)) for y in years]\n    \n", count=1, unsafe=True,
                fixed="import asyncio\n\n" + _APP + _HELPERS + "@app.get('/r')\nasync def r(years: list[int]):\n"
                      f"    return [len(await {_LOOP}(None, load_report, y)) for y in years]\n    \n"),
        Invalid(_HELPERS + "from starlette.requests import Request\nasync def audit(request: Request):\n"
                "    load_report(1)\n"),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        function = ctx.in_coroutine()
        if function is None or not isinstance(node.func, (ast.Name, ast.Attribute)):
            return
        if blocking_call(node, ctx.names, ctx.config.blocking_calls) is not None:
            return  # FAP101's finding
        if not runs_on_server_loop(function, ctx):
            return
        ancestors = ancestors_in(function, node)
        if ancestors is None:
            return
        placement = placement_of(node, ancestors, ctx.names)
        if placement.awaited:
            return
        chain = _chain_of(node, ctx)
        if chain is None:
            return

        def offload(fixer: FixContext) -> Optional[Fix]:
            edits = offload_edits(fixer, function, node, placement, ctx.config.offload_style)
            return Fix(f"Run `{chain.steps[0].function}()` in a worker thread", tuple(edits), FixSafety.UNSAFE) \
                if edits else None

        ctx.report(node, offload if placement.await_allowed and not placement.context_manager else None,
                   call=f"{chain.steps[0].function}()", chain=describe(chain))


def _chain_of(call: ast.Call, ctx: RuleContext) -> Optional[BlockingChain]:
    """The blocking chain starting at the project's own plain function that `call` calls, if it blocks."""
    qualified = ctx.qualified_name(call.func)
    if qualified is not None and qualified.startswith("builtins."):
        return None
    found = ctx.workspace.function(ctx.workspace.target_of(call.func, ctx.names))
    if found is None:
        return None
    path, callee = found
    if callee.is_async or any(d not in _HARMLESS_DECORATORS for d in callee.decorators):
        return None
    return ctx.workspace.blocking_chain(path, callee.name)


def describe(chain: BlockingChain) -> str:
    return " → ".join([*(f"`{step.function}()`" for step in chain.steps), f"`{chain.blocking_call}`"])
