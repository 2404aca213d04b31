"""FAP104 get-event-loop-in-coroutine: `asyncio.get_event_loop()` called inside a coroutine."""

from __future__ import annotations

import ast

from ..engine.fixes import FixContext
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Severity


class GetEventLoopInCoroutine(Rule):
    """
    ## What it does
    Flags `asyncio.get_event_loop()` called in the body of an `async def`.

    ## Why is this bad?
    Inside a coroutine a loop is always running, and `asyncio.get_running_loop()` returns it directly.
    `get_event_loop()` has deprecated behaviour when no loop is running and its policy-based lookup can hand
    back a different loop than the one executing the request in some setups. `get_running_loop()` says
    what is meant and fails loudly if it is ever called outside a coroutine.

    ## Example
    ```python
    import asyncio

    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/report")
    async def report() -> dict[str, int]:
        loop = asyncio.get_event_loop()
        return {"size": await loop.run_in_executor(None, sum, [1, 2])}
    ```

    Use instead:
    ```python
    import asyncio

    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/report")
    async def report() -> dict[str, int]:
        loop = asyncio.get_running_loop()
        return {"size": await loop.run_in_executor(None, sum, [1, 2])}
    ```

    ## Fix safety
    Safe: inside a coroutine both calls return the running loop.
    """

    code = "FAP104"
    name = "get-event-loop-in-coroutine"
    message = "`asyncio.get_event_loop()` inside a coroutine: use `asyncio.get_running_loop()`"
    fix_title = "Use `asyncio.get_running_loop()`"
    fix_safety = FixSafety.SAFE
    severity = Severity.WARNING
    node_types = (ast.Call,)
    trigger_words = ("get_event_loop",)

    VALID = (
        Valid("import asyncio\nasync def f():\n    return asyncio.get_running_loop()\n"),
        Valid("import asyncio\ndef f():\n    return asyncio.get_event_loop()\n"),
        Valid("import asyncio\nasync def f():\n    def inner():\n        return asyncio.get_event_loop()\n"
              "    return inner\n"),
        Valid("import asyncio\nasync def f():\n    return lambda: asyncio.get_event_loop()\n"),
        Valid("class Pool:\n    def get_event_loop(self): ...\nasync def f(pool: Pool):\n"
              "    return pool.get_event_loop()\n"),
        Valid("import asyncio\nasync def f(asyncio):\n    return asyncio.get_event_loop()\n"),
        Valid("import asyncio\nasync def f():\n    return asyncio.get_event_loop  # not called\n"),
        Valid("import asyncio\ndef get_event_loop():\n    return None\nasync def f():\n    return get_event_loop()\n"),
        Valid("import asyncio\nasync def f():\n    class Holder:\n        loop = asyncio.get_event_loop()\n"
              "    return Holder\n"),
        Valid("import asyncio\nloop = asyncio.get_event_loop()\nasync def f():\n    return loop\n"),
    )
    INVALID = (
        Invalid(
            "import asyncio\nasync def f():\n    loop = asyncio.get_event_loop()\n",
            "import asyncio\nasync def f():\n    loop = asyncio.get_running_loop()\n",
        ),
        Invalid(
            "import asyncio as aio\nasync def f():\n    return aio.get_event_loop().time()\n",
            "import asyncio as aio\nasync def f():\n    return aio.get_running_loop().time()\n",
        ),
        Invalid(
            "from asyncio import get_event_loop\nasync def f():\n    return get_event_loop()\n",
            "from asyncio import get_event_loop, get_running_loop\nasync def f():\n    return get_running_loop()\n",
        ),
        Invalid(
            "import asyncio\nclass Worker:\n    async def run(self):\n        asyncio.get_event_loop()\n",
            "import asyncio\nclass Worker:\n    async def run(self):\n        asyncio.get_running_loop()\n",
        ),
        Invalid(
            "import asyncio\nasync def f():\n    a = asyncio.get_event_loop()\n    b = asyncio.get_event_loop()\n",
            "import asyncio\nasync def f():\n    a = asyncio.get_running_loop()\n    b = asyncio.get_running_loop()\n",
            count=2,
        ),
        Invalid(
            "import asyncio\nfrom fastapi import FastAPI\napp = FastAPI()\n@app.get('/')\nasync def r():\n"
            "    return await asyncio.get_event_loop().run_in_executor(None, sum, [1])\n",
            "import asyncio\nfrom fastapi import FastAPI\napp = FastAPI()\n@app.get('/')\nasync def r():\n"
            "    return await asyncio.get_running_loop().run_in_executor(None, sum, [1])\n",
        ),
        Invalid(
            "import asyncio\ndef outer():\n    async def inner():\n        return asyncio.get_event_loop()\n"
            "    return inner\n",
            "import asyncio\ndef outer():\n    async def inner():\n        return asyncio.get_running_loop()\n"
            "    return inner\n",
        ),
        Invalid(
            "import asyncio\nasync def f():\n    def job(loop=asyncio.get_event_loop()):\n        return loop\n"
            "    return job\n",
            "import asyncio\nasync def f():\n    def job(loop=asyncio.get_running_loop()):\n        return loop\n"
            "    return job\n",
        ),
        Invalid(
            "import asyncio\nasync def f(items):\n    return [asyncio.get_event_loop().time() for _ in items]\n",
            "import asyncio\nasync def f(items):\n    return [asyncio.get_running_loop().time() for _ in items]\n",
        ),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        if ctx.in_coroutine() is None or node.args or node.keywords:
            return
        if ctx.qualified_name(node.func) != "asyncio.get_event_loop":
            return
        ctx.report(node, lambda fixer: _fix(fixer, node.func))


def _fix(fixer: FixContext, func: ast.expr) -> list[Edit]:
    if isinstance(func, ast.Attribute):
        return [fixer.replace(func, f"{fixer.text(func.value)}.get_running_loop")]
    local, edits = fixer.add_import("asyncio", "get_running_loop")
    return [*edits, fixer.replace(func, local)]
