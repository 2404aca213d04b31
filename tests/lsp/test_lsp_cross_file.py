"""Cross-file findings in the editor: a finding that depends on another module appears when that module is
edited into the problem and goes away when it is edited back, without touching the file that shows it."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from lsp_helpers import WAIT_LIMIT, Session, range_of
from lsprotocol import types

if TYPE_CHECKING:
    from lsp_helpers import StartSession

FILES = {
    "pyproject.toml": "[project]\nname = 'reports'\n",
    "app/__init__.py": "",
    "app/main.py": "from fastapi import FastAPI\n\nfrom app import reports\n\napp = FastAPI()\n"
                   "app.include_router(reports.router)\n",
    "app/helpers.py": "def load(year):\n    return [year]\n",
    "app/reports.py": "from fastapi import APIRouter\n\nfrom app.helpers import load\n\nrouter = APIRouter()\n\n\n"
                      "@router.get('/reports/{year}')\nasync def report(year: int) -> list[int]:\n"
                      "    return load(year)\n",
}
BLOCKING_BODY = "with open(f'{year}.csv') as handle:\n        return handle.read().split()"


def write_project(root: Path) -> Path:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


async def codes_until(session: Session, uri: str, wanted: Callable[[set[str]], bool]) -> set[str]:
    """The codes the client shows for `uri`, once they satisfy `wanted` (pulling again, or reading what the
    server publishes, until they do)."""
    deadline = time.monotonic() + WAIT_LIMIT
    seen = 0
    while time.monotonic() < deadline:
        if session.pulls:
            codes = {str(d.code) for d in await session.pull(uri)}
        else:
            published = [p for p in session.client.published[seen:] if p.uri == uri]
            seen = len(session.client.published)
            codes = {str(d.code) for d in published[-1].diagnostics} if published else set()
            if not published:
                await asyncio.sleep(0.05)
                continue
        if wanted(codes):
            return codes
        await asyncio.sleep(0.05)
    raise AssertionError(f"the diagnostics of {uri} never became what was expected")


async def test_a_helper_edited_into_blocking_flags_its_async_caller_and_back(
        start_session: StartSession, client_name: str, tmp_path: Path) -> None:
    session = await start_session(client_name, folders=[write_project(tmp_path / "project")])
    reports = session.open(session.uri("app/reports.py"), FILES["app/reports.py"])
    helpers = session.open(session.uri("app/helpers.py"), FILES["app/helpers.py"])
    assert "FAP103" not in await codes_until(session, reports, lambda codes: "FAP102" in codes)

    blocking = types.TextEdit(range_of(FILES["app/helpers.py"], "return [year]", session.encoding), BLOCKING_BODY)
    session.change(helpers, [blocking])
    await codes_until(session, reports, lambda codes: "FAP103" in codes)

    edited = session.texts[helpers]
    session.change(helpers, [types.TextEdit(range_of(edited, BLOCKING_BODY, session.encoding), "return [year]")])
    await codes_until(session, reports, lambda codes: "FAP103" not in codes)


async def test_the_chain_in_the_message_names_the_helper_in_another_module(
        start_session: StartSession, client_name: str, tmp_path: Path) -> None:
    root = write_project(tmp_path / "project")
    (root / "app/helpers.py").write_text(f"def load(year):\n    {BLOCKING_BODY}\n", encoding="utf-8")
    session = await start_session(client_name, folders=[root])
    reports = session.open(session.uri("app/reports.py"), FILES["app/reports.py"])
    await codes_until(session, reports, lambda codes: "FAP103" in codes)
    diagnostics = await session.pull(reports) if session.pulls else \
        [p for p in session.client.published if p.uri == reports][-1].diagnostics
    message = next(d.message for d in diagnostics if d.code == "FAP103")
    assert message == "`load()` blocks the event loop: `load()` → `open()`"
