"""FAP105 sequential-awaits-in-loop: a loop that awaits one independent call per item and only collects results."""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity
from ._serial_connections import through_database

_COLLECTING_METHODS = frozenset({"append", "add", "extend"})
_SCHEDULING = frozenset(
    {"asyncio.gather", "asyncio.wait", "asyncio.wait_for", "asyncio.shield", "asyncio.sleep", "asyncio.as_completed",
     "asyncio.timeout", "anyio.sleep", "builtins.anext"}
)
_H = "import asyncio\nimport httpx\nasync def fetch_all(client: httpx.AsyncClient, urls: list[str]):\n    results = []\n"


class SequentialAwaitsInLoop(Rule):
    """
    ## What it does
    Flags the `await` in a `for` loop, inside a coroutine, whose body does nothing but await one call per item
    and collect its result: `results.append(await client.get(url))`, `results[key] = await fetch(key)`, or
    `response = await fetch(item)` followed by `results.append(...)` of it.

    Only that exact shape is flagged: the awaited call must use the loop variable and must not read the
    collection or any earlier result, and the loop has no other statement, no `else`, no `break`. Calls that
    go through a database session or connection are left alone, since those run one statement at a time and
    refuse concurrent use: a session known by its type, a value injected with `Depends(...)` that is not an
    HTTP client (usually the session), database-style methods (`execute`, `scalars`, `commit`...), query
    strings (`conn.fetchrow("select ...")`) and model lookups (`db.get(User, id)`). So are awaits of
    `asyncio.gather`/`wait_for`/`sleep` (deliberate batching and pacing), calls that do not use the loop
    variable (retries, polling) and `async for` loops.

    ## Why is this bad?
    Each iteration waits for the previous call to finish before starting the next, so ten requests of 100 ms
    take a second although the event loop could run them all at once. When the calls are independent,
    `asyncio.gather(*(fetch(item) for item in items))` or an `asyncio.TaskGroup` runs them concurrently and
    keeps the results in order. Keep the loop when the order of side effects matters or when the remote
    service needs the calls paced (then use a semaphore to bound the concurrency instead).

    ## Example
    ```python
    import httpx


    async def fetch_pages(client: httpx.AsyncClient, urls: list[str]) -> list[str]:
        pages = []
        for url in urls:
            pages.append(await client.get(url))
        return [page.text for page in pages]
    ```

    Use instead:
    ```python
    import asyncio

    import httpx


    async def fetch_pages(client: httpx.AsyncClient, urls: list[str]) -> list[str]:
        pages = await asyncio.gather(*(client.get(url) for url in urls))
        return [page.text for page in pages]
    ```
    """

    code = "FAP105"
    name = "sequential-awaits-in-loop"
    message = "`await {call}(...)` runs once per item, one after another: run them together with `asyncio.gather`"
    severity = Severity.INFORMATION
    node_types = (ast.For,)
    trigger_words = ("await",)

    VALID = (
        Valid(_H + "    return await asyncio.gather(*(client.get(u) for u in urls))\n"),
        Valid(_H + "    for u in urls:\n        r = await client.get(u)\n        if r.status_code == 200:\n"
              "            results.append(r)\n"),
        Valid(_H + "    for u in urls:\n        r = await client.get(u)\n        if r.is_error:\n            break\n"
              "        results.append(r)\n"),
        Valid(_H + "    cursor = None\n    for u in urls:\n        cursor = await client.get(u, params={'c': cursor})\n"
              "        results.append(cursor)\n"),
        Valid(_H + "    for u in urls:\n        results.append(await client.get(u, params={'after': results[-1]}))\n"),
        Valid(_H + "    for _ in range(3):\n        results.append(await client.get('/poll'))\n"),
        Valid(_H + "    async for u in stream(urls):\n        results.append(await client.get(u))\n"),
        Valid(_H + "    for u in urls:\n        results.append(await client.get(u))\n    else:\n        results.clear()\n"),
        Valid(_H + "    for batch in urls:\n        results.extend(await asyncio.gather(*batch))\n"),
        Valid("from sqlalchemy.ext.asyncio import AsyncSession\nasync def load(db: AsyncSession, ids: list[int]):\n"
              "    users = []\n    for i in ids:\n        users.append(await db.get(User, i))\n    return users\n"),
        Valid(_H + "    for u in urls:\n        results.append(client.get(u))\n"),
        Valid("def f(items):\n    out = []\n    for i in items:\n        out.append(i)\n"),
        Valid(_H + "    for u in urls:\n        def later():\n            return u\n        results.append(await client.get(u))\n"),
        Valid(_H + "    for t in tasks:\n        results.append(await t)\n"),
        Valid("from typing import Annotated\nfrom fastapi import Depends\nfrom app.db import get_db\n"
              "async def create_all(items: list, db=Depends(get_db)):\n    out = []\n    for item in items:\n"
              "        out.append(await crud.create(db, item))\n    return out\n"),
        Valid("async def load(conn, ids):\n    rows = []\n    for i in ids:\n"
              "        rows.append(await conn.fetchrow('select * from t where id = $1', i))\n    return rows\n"),
        Valid("async def load(repo, ids):\n    rows = []\n    for i in ids:\n"
              "        rows.append(await repo.session.execute(query_for(i)))\n    return rows\n"),
        Valid(_H + "    for u in urls:\n        for attempt in range(2):\n            results.append(await client.get(u))\n"),
    )
    INVALID = (
        Invalid(_H + "    for u in urls:\n        results.append(await client.get(u))\n    return results\n"),
        Invalid(_H + "    for u in urls:\n        response = await client.get(u)\n        results.append(response.json())\n"),
        Invalid(_H + "    by_url = {}\n    for u in urls:\n        by_url[u] = await client.get(u)\n"),
        Invalid(_H + "    seen = set()\n    for u in urls:\n        seen.add(await client.head(u))\n"),
        Invalid(_H + "    for index, u in enumerate(urls):\n        page: httpx.Response = await client.get(u)\n"
                "        results.append((index, page))\n"),
        Invalid("class Crawler:\n    async def run(self, urls):\n        for u in urls:\n"
                "            self.pages.append(await self.fetch(u))\n"),
        Invalid(_H + "    for group in urls:\n        for u in group:\n            results.append(await client.get(u))\n"),
        Invalid("from fastapi import FastAPI\napp = FastAPI()\n@app.get('/')\nasync def r(ids: list[int]):\n"
                "    out = []\n    for i in ids:\n        out.append(await load_item(i))\n    return out\n"),
        Invalid(_H + "    for u in urls:\n        results.extend(await client.get(u, follow_redirects=True))\n"),
        Invalid(_H + "    for u in urls:\n        results.append(await fetch(client, u))\n"),
    )

    def visit(self, node: ast.For, ctx: RuleContext) -> None:
        if ctx.in_coroutine() is None or node.orelse:
            return
        loop_names = _bound_names(node.target)
        shape = _collecting_shape(node.body)
        if shape is None or not loop_names:
            return
        awaited, collector, result_name = shape
        call = awaited.value
        if not isinstance(call, ast.Call) or ctx.qualified_name(call.func) in _SCHEDULING:
            return
        read = _names_read(call)
        if not read & loop_names or _mentions(call, collector) or (result_name and result_name in read):
            return
        if through_database(call, ctx):
            return
        ctx.report(awaited, call=_callee_text(call, ctx))


def _collecting_shape(body: list[ast.stmt]) -> Optional[tuple[ast.Await, ast.expr, Optional[str]]]:
    """(the awaited call, the collection, the name holding the result) when the body has the flagged shape."""
    if len(body) == 1:
        found = _collect(body[0])
        if found is not None and isinstance(found[1], ast.Await):
            return found[1], found[0], None
        return None
    if len(body) != 2:
        return None
    first, second = body
    target: Optional[ast.expr] = None
    if isinstance(first, ast.Assign) and len(first.targets) == 1:
        target = first.targets[0]
    elif isinstance(first, ast.AnnAssign) and first.simple:
        target = first.target
    value = getattr(first, "value", None)
    if not isinstance(target, ast.Name) or not isinstance(value, ast.Await):
        return None
    found = _collect(second)
    if found is None or any(isinstance(n, ast.Await) for n in ast.walk(found[1])):
        return None
    if target.id not in _names_read(found[1]):
        return None
    return value, found[0], target.id


def _collect(statement: ast.stmt) -> Optional[tuple[ast.expr, ast.expr]]:
    """(collection, collected value) for `c.append(v)`, `c.add(v)`, `c.extend(v)` and `c[key] = v`."""
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        call = statement.value
        if (isinstance(call.func, ast.Attribute) and call.func.attr in _COLLECTING_METHODS
                and len(call.args) == 1 and not call.keywords):
            return call.func.value, call.args[0]
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, ast.Subscript) and not any(isinstance(n, ast.Await) for n in ast.walk(target)):
            return target.value, statement.value
    return None


def _bound_names(target: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _names_read(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _mentions(node: ast.AST, expression: ast.expr) -> bool:
    """Whether `expression` (the collection) is read anywhere inside `node`."""
    wanted = ast.dump(expression)
    return any(ast.dump(child) == wanted for child in ast.walk(node) if isinstance(child, type(expression)))


def _callee_text(call: ast.Call, ctx: RuleContext) -> str:
    text = ctx.document.node_text(call.func)
    return text if "\n" not in text else text.split("\n", 1)[0] + "..."
