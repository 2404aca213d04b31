"""FAP407 http-client-per-request: an HTTP client (and its connection pool) created inside a path operation."""

from __future__ import annotations

import ast

from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity

IN_PROCESS_TRANSPORTS = frozenset({"httpx.ASGITransport", "httpx.WSGITransport"})
HTTP_CLIENTS = frozenset(
    {"httpx.AsyncClient", "httpx.Client", "httpx._client.AsyncClient", "httpx._client.Client",
     "aiohttp.ClientSession", "aiohttp.client.ClientSession"}
)

_APP = "from fastapi import FastAPI\napp = FastAPI()\n"


class HttpClientPerRequest(Rule):
    """
    ## What it does
    Flags `httpx.AsyncClient()`, `httpx.Client()` and `aiohttp.ClientSession()` created in the body of a
    path operation, including the common `async with httpx.AsyncClient() as client:` at the top of a handler.
    Clients built in dependencies, the lifespan, module level or nested functions are left alone, and so are
    clients that call an application in the same process (`transport=ASGITransport(app=...)` or `app=`),
    which open no network connections.

    ## Why is this bad?
    A client owns a connection pool. Creating one per request means every outgoing call opens a fresh TCP
    connection and TLS handshake, keep-alive never helps, and under load the process piles up sockets waiting
    to close. Create one client in the lifespan, close it at shutdown, and reach it through `app.state` or
    a dependency.

    ## Example
    ```python
    import httpx
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/weather")
    async def weather(city: str) -> dict[str, object]:
        async with httpx.AsyncClient() as client:
            response = await client.get("https://weather.example/api", params={"q": city})
        return response.json()
    ```

    Use instead:
    ```python
    from collections.abc import AsyncIterator
    from contextlib import asynccontextmanager

    import httpx
    from fastapi import FastAPI, Request


    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient() as client:
            app.state.http = client
            yield


    app = FastAPI(lifespan=lifespan)


    @app.get("/weather")
    async def weather(city: str, request: Request) -> dict[str, object]:
        client: httpx.AsyncClient = request.app.state.http
        response = await client.get("https://weather.example/api", params={"q": city})
        return response.json()
    ```
    """

    code = "FAP407"
    name = "http-client-per-request"
    message = "`{call}()` creates an HTTP client and its connection pool on every request: reuse one from the lifespan"
    severity = Severity.INFORMATION
    node_types = (ast.Call,)
    trigger_words = ("httpx", "aiohttp")

    VALID = (
        Valid(_APP + "import httpx\nclient = httpx.AsyncClient()\n@app.get('/')\nasync def r():\n"
              "    return (await client.get('https://x')).json()\n"),
        Valid("import httpx\nfrom contextlib import asynccontextmanager\nfrom fastapi import FastAPI\n"
              "@asynccontextmanager\nasync def lifespan(app):\n    async with httpx.AsyncClient() as c:\n"
              "        app.state.http = c\n        yield\napp = FastAPI(lifespan=lifespan)\n"),
        Valid(_APP + "from fastapi import Depends\nimport httpx\nasync def get_client():\n"
              "    async with httpx.AsyncClient() as c:\n        yield c\n@app.get('/')\nasync def r(c=Depends(get_client)): ...\n"),
        Valid("import httpx\nasync def fetch():\n    async with httpx.AsyncClient() as c:\n        return await c.get('x')\n"),
        Valid(_APP + "import httpx\n@app.get('/')\nasync def r():\n    return await httpx.AsyncClient.aclose\n"),
        Valid(_APP + "@app.get('/')\nasync def r(AsyncClient):\n    return AsyncClient()\n"),
        Valid(_APP + "class ClientSession:\n    pass\n@app.get('/')\nasync def r():\n    return ClientSession()\n"),
        Valid(_APP + "import httpx\n@app.get('/')\nasync def r():\n    def make():\n        return httpx.Client()\n"
              "    return make\n"),
        Valid("from flask import Flask\nimport httpx\napp = Flask(__name__)\n@app.get('/')\ndef r():\n"
              "    return httpx.Client().get('x').text\n"),
        Valid(_APP + "import httpx\n@app.get('/')\nasync def r():\n    return await httpx.AsyncClient.get\n"),
        Valid(_APP + "import httpx\n@app.get('/outer')\nasync def r():\n"
              "    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://in') as c:\n"
              "        return (await c.get('/inner')).json()\n"),
    )
    INVALID = (
        Invalid(_APP + "import httpx\n@app.get('/')\nasync def r():\n    async with httpx.AsyncClient() as c:\n"
                "        return (await c.get('https://x')).json()\n"),
        Invalid(_APP + "import httpx as hx\n@app.get('/')\ndef r():\n    with hx.Client(timeout=5) as c:\n"
                "        return c.get('https://x').json()\n"),
        Invalid(_APP + "from httpx import AsyncClient\n@app.get('/')\nasync def r():\n    client = AsyncClient()\n"
                "    try:\n        return (await client.get('x')).json()\n    finally:\n        await client.aclose()\n"),
        Invalid(_APP + "import aiohttp\n@app.get('/')\nasync def r():\n    async with aiohttp.ClientSession() as s:\n"
                "        async with s.get('x') as resp:\n            return await resp.json()\n"),
        Invalid("from fastapi import APIRouter\nfrom aiohttp import ClientSession as CS\nrouter = APIRouter()\n"
                "@router.post('/hooks', status_code=202)\nasync def hook():\n    async with CS() as s:\n"
                "        await s.post('x')\n"),
        Invalid(_APP + "import httpx\n@app.get('/a')\n@app.get('/b')\nasync def r():\n"
                "    async with httpx.AsyncClient() as c, httpx.AsyncClient() as d:\n        return [c, d]\n", count=2),
        Invalid("import fastapi\nimport httpx\nfrom app.routes import router\n@router.get('/')\nasync def r():\n"
                "    async with httpx.AsyncClient(base_url='https://x') as c:\n        return (await c.get('/')).json()\n"),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        function = ctx.enclosing_function()
        if function is None or not ctx.model.is_path_operation(function):
            return
        if ctx.qualified_name(node.func) not in HTTP_CLIENTS or _in_process(node, ctx):
            return
        ctx.report(node, call=ctx.document.node_text(node.func))


def _in_process(call: ast.Call, ctx: RuleContext) -> bool:
    """A client that calls an ASGI/WSGI app in the same process (`app=`, `ASGITransport`) opens no connections."""
    for keyword in call.keywords:
        if keyword.arg == "app":
            return True
        if keyword.arg == "transport" and isinstance(keyword.value, ast.Call):
            if ctx.qualified_name(keyword.value.func) in IN_PROCESS_TRANSPORTS:
                return True
    return False
