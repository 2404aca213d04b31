"""Fixtures for the end-to-end language server tests: a started server per test, under each recorded client.

`session` is parameterised over the recorded capabilities of VS Code, the latest Neovim and Neovim 0.6.1 (no
snippet support). `start_session` starts one with chosen initialization options, workspace folders or the
server with test hooks. Every session is shut down properly at the end, and the exit code is checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, AsyncIterator, Optional, Sequence

import pytest
import pytest_asyncio
from lsp_helpers import (
    CLIENT_NAMES,
    RecordingClient,
    Session,
    StartSession,
    initialize_params,
    server_config,
)

TEST_OPTIONS = {"debounce-ms": 0}


@pytest_asyncio.fixture
async def start_session(tmp_path: Path) -> AsyncIterator[StartSession]:
    started: list[RecordingClient] = []

    async def start(name: str, options: Any = TEST_OPTIONS, folders: Optional[Sequence[Path]] = None,
                    hooked: bool = False) -> Session:
        chosen = list(folders) if folders is not None else [tmp_path]
        client = await server_config(hooked).start()
        assert isinstance(client, RecordingClient)
        started.append(client)
        result = await client.initialize_session(initialize_params(name, chosen, options))
        return Session(client, name, chosen[0] if chosen else tmp_path, result)

    yield start
    for client in started:
        if client.capabilities is not None and client.error is None and client._server is not None \
                and client._server.returncode is None:
            await client.shutdown_session()
            assert client._server.returncode == 0
        await client.stop()


@pytest.fixture(params=CLIENT_NAMES)
def client_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest_asyncio.fixture
async def session(start_session: StartSession, client_name: str) -> Session:
    return await start_session(client_name)
