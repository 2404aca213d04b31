"""The language server under client mistakes and races, through pytest-lsp: versions out of order or repeated,
a document closed while it is analysed, notifications and requests about documents never opened, code actions
asked for a version that is gone, and a rule that raises on one file. The server never shows findings of a
text other than the current one, never sends edits for text the client no longer has, and stays up.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from lsp_expectations import BURST_MODULE, expected, shown
from lsp_helpers import WAIT_LIMIT, Session, apply_edits, range_of
from lsprotocol import types

from fault_server import WITNESS
from fix_properties import compiles


def witness_reports(session: Session) -> list[str]:
    return [m.message for m in session.client.log_messages if m.message.startswith(WITNESS)]


def internal_errors(session: Session) -> list[str]:
    return [m.message for m in session.client.log_messages if "internal error" in m.message]


async def wait_for_file(path: Path) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        await asyncio.sleep(0.01)


async def processed(session: Session) -> None:
    """Wait until the server has handled every message sent so far (it handles them in order)."""
    await asyncio.wait_for(session.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="")), WAIT_LIMIT)


def send_change(session: Session, uri: str, version: int, edit: types.TextEdit) -> None:
    """didChange with a version chosen by the test (Session.change always counts up)."""
    session.texts[uri] = apply_edits(session.texts[uri], [edit], session.encoding)
    session.versions[uri] = version
    session.client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        [types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)],
    ))


async def test_versions_out_of_order_or_repeated_never_show_another_text(start_fault_session: Any,
                                                                          tmp_path: Path) -> None:
    session: Session = await start_fault_session("neovim")  # pulls: every answer is for the text at that time
    uri = session.open("app.py", BURST_MODULE)
    path = tmp_path / "app.py"
    assert shown(await session.pull(uri)) == expected(BURST_MODULE, path, tmp_path, session.encoding)
    steps = [(5, '"items"', '"/items"'), (3, '"items/{item_id}"', '"/items/{item_id}"'), (3, "/health", "health"),
             (3, "get_event_loop", "get_running_loop"), (2, '"/items"', '"items"'), (9, "Depends(get_db())",
                                                                                     "Depends(get_db)")]
    for version, old, new in steps:
        send_change(session, uri, version, types.TextEdit(range_of(session.texts[uri], old, session.encoding), new))
        got = shown(await session.pull(uri))
        assert got == expected(session.texts[uri], path, tmp_path, session.encoding), (version, old)
    assert witness_reports(session) == [] and internal_errors(session) == []


async def test_a_repeated_version_is_analysed_again_for_a_pushing_client(start_fault_session: Any,
                                                                         tmp_path: Path) -> None:
    session: Session = await start_fault_session("visual_studio_code")
    uri = session.open("app.py", BURST_MODULE)
    await session.wait_published(uri, 1)
    send_change(session, uri, 1, types.TextEdit(range_of(BURST_MODULE, '"items"', session.encoding), '"/items"'))
    await processed(session)
    now = expected(session.texts[uri], tmp_path / "app.py", tmp_path, session.encoding)
    assert now != expected(BURST_MODULE, tmp_path / "app.py", tmp_path, session.encoding)
    deadline = time.monotonic() + WAIT_LIMIT
    while not any(shown(p.diagnostics) == now for p in session.client.published):
        assert time.monotonic() < deadline, "the new text of version 1 was never published"
        await asyncio.sleep(0.01)
    await processed(session)
    assert shown(session.client.published[-1].diagnostics) == now  # and nothing older came after it
    assert witness_reports(session) == []


async def test_closing_a_document_while_it_is_analysed(start_fault_session: Any, tmp_path: Path) -> None:
    session: Session = await start_fault_session("visual_studio_code")
    gate = tmp_path / "gate"
    uri = session.open("slow.py", f"# gate: {gate}\n" + BURST_MODULE)
    await wait_for_file(Path(f"{gate}.started"))
    session.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    await processed(session)  # the close is handled: only now may the analysis end
    gate.touch()
    await wait_for_file(Path(f"{gate}.finished"))
    other = session.open("other.py", BURST_MODULE)
    await session.wait_published(other, 1)  # later than anything the closed document could still have sent
    for_closed = [p for p in session.client.published if p.uri == uri]
    assert [list(p.diagnostics) for p in for_closed] == [[]]  # only the clearing on close
    assert witness_reports(session) == [] and internal_errors(session) == []


async def test_messages_about_documents_never_opened(start_fault_session: Any, tmp_path: Path) -> None:
    session: Session = await start_fault_session("neovim")
    ghost = (tmp_path / "ghost.py").as_uri()
    identifier = types.TextDocumentIdentifier(ghost)
    session.client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=ghost, version=4),
        [types.TextDocumentContentChangePartial(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                                                text="x = 1\n")]))
    session.client.text_document_did_save(types.DidSaveTextDocumentParams(identifier))
    session.client.text_document_did_close(types.DidCloseTextDocumentParams(identifier))
    everywhere = types.Range(types.Position(0, 0), types.Position(5, 0))
    assert await session.pull(ghost) == []
    assert await session.code_actions(ghost, everywhere) == []
    hover = session.client.text_document_hover_async(types.HoverParams(identifier, types.Position(0, 0)))
    assert await asyncio.wait_for(hover, WAIT_LIMIT) is None
    uri = session.open("app.py", BURST_MODULE)
    assert {str(d.code) for d in await session.pull(uri)} >= {"FAP212", "FAP214"}
    assert internal_errors(session) == []


async def test_a_code_action_asked_before_an_edit_is_for_the_new_text_or_nothing(start_fault_session: Any,
                                                                                 tmp_path: Path) -> None:
    session: Session = await start_fault_session("visual_studio_code")
    gate = tmp_path / "gate"
    uri = session.open("app.py", f"# gate: {gate}\n" + BURST_MODULE)
    await wait_for_file(Path(f"{gate}.started"))
    asked = session.client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), range_of(session.texts[uri], "get_event_loop", session.encoding),
        types.CodeActionContext([]),
    ))
    version = session.change(uri, [types.TextEdit(types.Range(types.Position(0, 0), types.Position(1, 0)),
                                                  "# the gate line is gone\n")])
    await processed(session)  # the edit is in: the version the action was asked for is gone
    gate.touch()
    actions = [a for a in (await asyncio.wait_for(asked, WAIT_LIMIT) or []) if isinstance(a, types.CodeAction)]
    for action in actions:  # none at all is right too: the version it was asked for is gone
        edit_version, edits = session.edits_of(action, uri)
        assert edit_version == version
        assert compiles(apply_edits(session.texts[uri], edits, session.encoding))


async def test_code_actions_for_diagnostics_of_a_gone_version_fit_the_current_text(start_fault_session: Any,
                                                                                   tmp_path: Path) -> None:
    session: Session = await start_fault_session("visual_studio_code")
    uri = session.open("app.py", BURST_MODULE)
    old = list((await session.wait_published(uri, 1)).diagnostics)
    top = types.Range(types.Position(0, 0), types.Position(0, 0))
    version = session.change(uri, [types.TextEdit(top, '"""Moved down by three lines."""\n\n\n')])
    await session.wait_published(uri, version)
    current = session.texts[uri]
    for diagnostic in old:  # the client sends what it still shows from version 1
        for action in await session.code_actions(uri, diagnostic.range, diagnostics=[diagnostic]):
            edit_version, edits = session.edits_of(action, uri)
            assert edit_version == version
            assert compiles(apply_edits(current, edits, session.encoding)), (action.title, edits)
    assert internal_errors(session) == []


async def test_a_rule_that_raises_on_one_file_spares_the_others(start_fault_session: Any, tmp_path: Path) -> None:
    session: Session = await start_fault_session("neovim")
    exploding = session.open("explode_here.py", BURST_MODULE)
    calm = session.open("calm.py", BURST_MODULE)
    codes = {str(d.code) for d in await session.pull(exploding)}
    assert {"FAP101", "FAP212", "FAP214"} <= codes  # every other rule still reported on the failing file
    assert shown(await session.pull(calm)) == expected(BURST_MODULE, tmp_path / "calm.py", tmp_path,
                                                       session.encoding)
    failures = [m.message for m in session.client.log_messages if "FAP991" in m.message]
    assert len(failures) == 1 and "explode_here.py" in failures[0]
    session.change(exploding, [types.TextEdit(types.Range(types.Position(0, 0), types.Position(0, 0)), "# edit\n")])
    assert {str(d.code) for d in await session.pull(exploding)} == codes
    assert len([m for m in session.client.log_messages if "FAP991" in m.message]) == 1  # logged once per file
