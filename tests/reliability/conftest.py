"""Fixtures of the reliability tests: hypothesis profiles, an in-process command runner, and language server
sessions started from `fault_server.py` (the real server with a few faults that tests can trigger).

Hypothesis profiles: `ci` (the default: a few hundred programs in all, so this folder stays well under two
minutes) and `fuzz` (fifty times as many), chosen with `FASTAPI_PATTERNS_FUZZ_PROFILE=fuzz`; `tools/fuzz.py`
runs the long version outside pytest and prints its counts. No example database is written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any, AsyncIterator, Optional, Sequence

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lsp"))  # the LSP tests' client and session helpers

from lsp_helpers import RecordingClient, Session, initialize_params, make_client  # noqa: E402
from pytest_lsp import ClientServerConfig  # noqa: E402

from process_environment import FAULT_SERVER, server_environment  # noqa: E402

from fastapi_patterns.cli import main  # noqa: E402

PROFILE_VARIABLE = "FASTAPI_PATTERNS_FUZZ_PROFILE"
_COMMON: dict[str, Any] = {
    "deadline": None, "database": None, "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
}
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "fastapi-patterns-hypothesis")  # never in the tree
settings.register_profile("ci", max_examples=100, **_COMMON)
settings.register_profile("fuzz", max_examples=5000, **_COMMON)
settings.load_profile(os.environ.get(PROFILE_VARIABLE, "ci"))


class Run:
    """What one in-process command run printed and returned."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Run(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """`cli(*argv, cwd=path)`: the command run in this process from `cwd`."""

    def run(*argv: str, cwd: Path) -> Run:
        capsys.readouterr()
        with monkeypatch.context() as patch:
            patch.chdir(cwd)
            code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest_asyncio.fixture
async def start_fault_session(tmp_path: Path) -> AsyncIterator[Any]:
    """`await start(client_name, options, folders)`: a session with the fault server; shut down properly after."""
    started: list[RecordingClient] = []

    async def start(name: str = "visual_studio_code", options: Any = None,
                    folders: Optional[Sequence[Path]] = None) -> Session:
        chosen = list(folders) if folders is not None else [tmp_path]
        config = ClientServerConfig(server_command=[sys.executable, str(FAULT_SERVER)], client_factory=make_client,
                                    server_env=server_environment())
        client = await config.start()
        assert isinstance(client, RecordingClient)
        started.append(client)
        result = await client.initialize_session(
            initialize_params(name, chosen, {"debounce-ms": 0} if options is None else options)
        )
        return Session(client, name, chosen[0] if chosen else tmp_path, result)

    yield start
    for client in started:
        server = client._server
        if client.capabilities is not None and client.error is None and server is not None \
                and server.returncode is None:
            await client.shutdown_session()
        await client.stop()
