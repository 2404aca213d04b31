"""The application: settings, routers, and a few top-level routes."""

import asyncio
import logging

from fastapi import FastAPI

from .config import get_settings
from .routers import items, users

logger = logging.getLogger("shop")
settings = get_settings()

app = FastAPI(title=settings.app_name, debug=settings.debug)
app.include_router(users.router)
app.include_router(items.router)


@app.on_event("startup")
async def announce() -> None:
    loop = asyncio.get_event_loop()
    logger.info("%s started at loop time %.1f", settings.app_name, loop.time())


@app.get("/")
def root() -> dict[str, str]:
    return {"name": settings.app_name}


@app.get("health")
async def health() -> dict[str, str]:
    await asyncio.sleep(0)
    return {"status": "ok"}
