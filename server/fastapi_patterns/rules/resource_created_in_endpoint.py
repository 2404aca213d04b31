"""FAP406 resource-created-in-endpoint: an engine, session factory, connection or client built on every request."""

from __future__ import annotations

import ast

from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity
from ._sessions import SESSION_FACTORIES

_RESOURCES = {
    **{name: "a database engine" for name in (
        "sqlalchemy.create_engine", "sqlalchemy.engine.create_engine", "sqlalchemy.engine.create.create_engine",
        "sqlmodel.create_engine", "sqlalchemy.ext.asyncio.create_async_engine",
        "sqlalchemy.ext.asyncio.engine.create_async_engine")},
    **{name: "a session factory" for name in SESSION_FACTORIES},
    **{name: "a database connection" for name in (
        "psycopg.connect", "psycopg.Connection.connect", "psycopg.AsyncConnection.connect", "asyncpg.connect")},
    **{name: "a connection pool" for name in ("asyncpg.create_pool", "psycopg_pool.ConnectionPool",
                                             "psycopg_pool.AsyncConnectionPool")},
    **{name: "a Redis client" for name in (
        "redis.Redis", "redis.StrictRedis", "redis.from_url", "redis.Redis.from_url", "redis.client.Redis",
        "redis.asyncio.Redis", "redis.asyncio.from_url", "redis.asyncio.Redis.from_url", "redis.asyncio.client.Redis",
        "aioredis.Redis", "aioredis.from_url")},
    **{name: "a MongoDB client" for name in (
        "motor.motor_asyncio.AsyncIOMotorClient", "pymongo.MongoClient", "pymongo.mongo_client.MongoClient",
        "pymongo.AsyncMongoClient")},
}

_APP = "from fastapi import FastAPI\napp = FastAPI()\n"


class ResourceCreatedInEndpoint(Rule):
    """
    ## What it does
    Flags, in the body of a path operation, a call that builds a long-lived resource: a SQLAlchemy engine
    (`create_engine`, `create_async_engine`), a session factory (`sessionmaker`, `async_sessionmaker`), a
    database connection or pool (`psycopg.connect`, `asyncpg.connect`, `asyncpg.create_pool`), a Redis client
    (`redis.Redis(...)`, `redis.asyncio.from_url(...)`) or a MongoDB client (motor, pymongo).

    Sessions taken from a factory built elsewhere (`SessionLocal()`) are per-request by design and are left
    alone, as are code in nested functions and resources built in dependencies or at module level.

    ## Why is this bad?
    Each of these owns a connection pool (or a connection that takes a network round trip and a login to
    open). Building one per request throws the pool away after one use: every request pays for connecting,
    the database sees a storm of short connections, and under load the server runs out of sockets or hits the
    database's connection limit. Build the resource once, in the lifespan or at module level, and hand it to
    the path operations through a dependency.

    ## Example
    ```python
    from fastapi import FastAPI
    from sqlalchemy import create_engine, text

    app = FastAPI()


    @app.get("/health/db")
    def database_health() -> dict[str, int]:
        engine = create_engine("sqlite://")
        with engine.connect() as connection:
            return {"ok": connection.execute(text("select 1")).scalar_one()}
    ```

    Use instead:
    ```python
    from fastapi import FastAPI
    from sqlalchemy import create_engine, text

    app = FastAPI()
    engine = create_engine("sqlite://")


    @app.get("/health/db")
    def database_health() -> dict[str, int]:
        with engine.connect() as connection:
            return {"ok": connection.execute(text("select 1")).scalar_one()}
    ```
    """

    code = "FAP406"
    name = "resource-created-in-endpoint"
    message = "`{call}()` builds {resource} on every request: create it once (lifespan) and share it"
    severity = Severity.WARNING
    node_types = (ast.Call,)

    VALID = (
        Valid(_APP + "from sqlalchemy import create_engine\nengine = create_engine('sqlite://')\n"
              "@app.get('/')\ndef r():\n    return engine\n"),
        Valid(_APP + "from sqlalchemy.orm import sessionmaker\nSessionLocal = sessionmaker()\n"
              "@app.get('/')\ndef r():\n    with SessionLocal() as s:\n        return s.info\n"),
        Valid("from fastapi import FastAPI\nimport redis.asyncio as redis\nfrom contextlib import asynccontextmanager\n"
              "@asynccontextmanager\nasync def lifespan(app):\n    app.state.redis = redis.from_url('redis://')\n"
              "    yield\napp = FastAPI(lifespan=lifespan)\n"),
        Valid(_APP + "from fastapi import Depends\nimport asyncpg\n"
              "async def get_conn():\n    conn = await asyncpg.connect('postgres://')\n    yield conn\n"
              "@app.get('/')\nasync def r(conn=Depends(get_conn)): ...\n"),
        Valid(_APP + "from sqlalchemy import create_engine\n@app.get('/')\ndef r():\n"
              "    def later():\n        return create_engine('sqlite://')\n    return {}\n"),
        Valid(_APP + "@app.get('/')\ndef r(create_engine):\n    return create_engine('sqlite://')\n"),
        Valid(_APP + "class Redis:\n    pass\n@app.get('/')\ndef r():\n    return Redis()\n"),
        Valid("from sqlalchemy import create_engine\ndef build():\n    return create_engine('sqlite://')\n"),
        Valid(_APP + "import pymongo\n@app.get('/')\ndef r():\n    return pymongo.ASCENDING\n"),
        Valid(_APP + "from sqlalchemy import create_engine\n@app.get('/')\ndef r():\n"
              "    return [lambda: create_engine('x')]\n"),
    )
    INVALID = (
        Invalid(_APP + "from sqlalchemy import create_engine\n@app.get('/')\ndef r():\n"
                "    engine = create_engine('sqlite://')\n    return {}\n"),
        Invalid(_APP + "import sqlalchemy.ext.asyncio as sa\n@app.get('/')\nasync def r():\n"
                "    engine = sa.create_async_engine('postgresql+asyncpg://')\n    return {}\n"),
        Invalid(_APP + "from sqlalchemy.orm import sessionmaker\n@app.get('/')\ndef r(engine):\n"
                "    with sessionmaker(bind=engine)() as s:\n        return {}\n"),
        Invalid(_APP + "from sqlalchemy.ext.asyncio import async_sessionmaker as maker\n@app.get('/')\n"
                "async def r(engine):\n    factory = maker(engine)\n    async with factory() as s:\n        return {}\n"),
        Invalid(_APP + "import redis\n@app.get('/')\ndef r():\n    return redis.Redis(host='cache').get('k')\n"),
        Invalid(_APP + "from redis import asyncio as aioredis\n@app.get('/')\nasync def r():\n"
                "    client = aioredis.from_url('redis://cache')\n    return await client.get('k')\n"),
        Invalid(_APP + "from motor.motor_asyncio import AsyncIOMotorClient\n@app.get('/')\nasync def r():\n"
                "    return await AsyncIOMotorClient('mongodb://db').test.items.count_documents({})\n"),
        Invalid(_APP + "import asyncpg\n@app.get('/')\nasync def r():\n    conn = await asyncpg.connect('postgres://')\n"
                "    return await conn.fetchval('select 1')\n"),
        Invalid("import fastapi as f\nimport pymongo\nrouter = f.APIRouter()\n@router.post('/', status_code=201)\n"
                "def r():\n    pymongo.MongoClient().db.items.insert_one({})\n"),
        Invalid(_APP + "import psycopg\n@app.get('/')\ndef r():\n    with psycopg.connect('dbname=x') as c:\n"
                "        return {}\n"),
        Invalid(_APP + "from sqlmodel import create_engine\nclass Api:\n    @app.get('/')\n    def r(self):\n"
                "        return create_engine('sqlite://').url\n"),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        function = ctx.enclosing_function()
        if function is None or not ctx.model.is_path_operation(function):
            return
        qualified = ctx.qualified_name(node.func)
        resource = _RESOURCES.get(qualified or "")
        if resource is None:
            return
        ctx.report(node, call=ctx.document.node_text(node.func), resource=resource)
