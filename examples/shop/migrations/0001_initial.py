"""Initial schema (generated; excluded from linting by the shop's configuration)."""

import asyncio


async def upgrade() -> None:
    asyncio.get_event_loop()
