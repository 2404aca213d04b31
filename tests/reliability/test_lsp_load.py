"""The language server under load: a burst of a thousand incremental edits, and many documents at once.

Every `publishDiagnostics` is recorded by the client and witnessed by the server as it is sent
(`fault_server.py`): none may carry a version other than the document's current one, and each must equal a
fresh `analyze()` of the text the client had at that version.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import Any

from lsp_expectations import BURST_MODULE, expected, random_edit, shown
from lsp_helpers import WAIT_LIMIT, Session
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from fault_server import WITNESS

BURST_EDITS = 1000


def witness_reports(session: Session) -> list[str]:
    return [m.message for m in session.client.log_messages if m.message.startswith(WITNESS)]


async def burst(session: Session, uri: str, seed: int) -> dict[int, str]:
    """Send the edits back to back, without waiting for anything; returns the client's text at each version."""
    chooser = random.Random(seed)
    texts = {session.versions[uri]: session.texts[uri]}
    for serial in range(BURST_EDITS):
        edit = random_edit(session.texts[uri], serial, chooser, session.encoding)
        version = session.change(uri, [edit])
        texts[version] = session.texts[uri]
    return texts


async def test_a_burst_of_edits_never_publishes_a_stale_version(start_fault_session: Any, tmp_path: Path) -> None:
    session = await start_fault_session("visual_studio_code")
    assert not session.pulls  # this client is pushed its diagnostics: every publication is recorded
    uri = session.open("app.py", BURST_MODULE)
    await session.wait_published(uri, 1)
    texts = await burst(session, uri, seed=7)
    final = max(texts)
    last = await session.wait_published(uri, final)
    published = [p for p in session.client.published if p.uri == uri]
    versions = [p.version for p in published]
    assert versions == sorted(versions), "publications went back in version"  # a re-check may repeat one
    for publication in published:
        assert publication.version is not None
        text = texts[publication.version]
        assert shown(publication.diagnostics) == expected(text, tmp_path / "app.py", tmp_path, session.encoding)
    assert shown(last.diagnostics) == expected(texts[final], tmp_path / "app.py", tmp_path, session.encoding)
    assert len(texts) == BURST_EDITS + 1 and texts[final] != BURST_MODULE
    assert witness_reports(session) == []


async def test_pulls_during_a_burst_answer_a_version_at_least_as_new_as_the_request(
        start_fault_session: Any, tmp_path: Path) -> None:
    session = await start_fault_session("neovim")
    assert session.pulls
    uri = session.open("app.py", BURST_MODULE)
    chooser = random.Random(11)
    texts = {1: BURST_MODULE}
    pulls: list[tuple[int, asyncio.Future[Any]]] = []
    for serial in range(BURST_EDITS):
        version = session.change(uri, [random_edit(session.texts[uri], serial, chooser, session.encoding)])
        texts[version] = session.texts[uri]
        if serial % 100 == 0:
            pulls.append((version, session.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri)))))
    final = max(texts)
    path = tmp_path / "app.py"
    assert shown(await session.pull(uri)) == expected(texts[final], path, tmp_path, session.encoding)
    answers = await asyncio.wait_for(asyncio.gather(*(f for _, f in pulls), return_exceptions=True), WAIT_LIMIT)
    answered = 0
    cache: dict[int, list[Any]] = {}

    def expected_at(version: int) -> list[Any]:
        if version not in cache:
            cache[version] = expected(texts[version], path, tmp_path, session.encoding)
        return cache[version]

    for (sent_at, _), answer in zip(pulls, answers):
        if isinstance(answer, JsonRpcException):  # the server may ask the client to pull again later
            assert answer.code == types.LSPErrorCodes.ServerCancelled.value, answer
            continue
        assert isinstance(answer, types.RelatedFullDocumentDiagnosticReport), answer
        got = shown(answer.items)
        newest_first = range(final, sent_at - 1, -1)  # an answer usually reflects the end of the burst
        assert any(got == expected_at(v) for v in newest_first), f"a pull sent at version {sent_at} got stale items"
        answered += 1
    assert answered >= 1
    assert session.client.published == []  # nothing is pushed to a client that pulls
    assert witness_reports(session) == []


async def test_many_documents_opened_at_once_each_get_their_own_diagnostics(start_fault_session: Any,
                                                                            tmp_path: Path) -> None:
    session = await start_fault_session("visual_studio_code")
    texts = {}
    for index in range(60):
        text = BURST_MODULE.replace('"items"', f'"items{index}"').replace("create_item", f"create_{index}")
        texts[session.open(f"module_{index}.py", text)] = text
    publications = await asyncio.wait_for(
        asyncio.gather(*(session.wait_published(uri, 1) for uri in texts)), WAIT_LIMIT * 3
    )
    for uri, publication in zip(texts, publications):
        path = tmp_path / uri.rsplit("/", 1)[1]
        assert shown(publication.diagnostics) == expected(texts[uri], path, tmp_path, session.encoding)
    assert witness_reports(session) == []
