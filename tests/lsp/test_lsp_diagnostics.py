"""Diagnostics end to end: fields, positions under each encoding, push and pull, versions, syntax errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_helpers import StartSession
from fastapi_patterns.docs import rule_url
from fastapi_patterns.rules import RULES_BY_CODE
from lsp_helpers import Session, position_of, range_of
from lsprotocol import types

SOURCE = (
    "import asyncio\n"
    "\n"
    "from fastapi import Depends, FastAPI\n"
    "\n"
    "app = FastAPI()\n"
    "\n"
    "\n"
    "def get_db() -> dict[str, str]:\n"
    "    return {}\n"
    "\n"
    "\n"
    '@app.get("items")\n'
    "async def items(db: dict[str, str] = Depends(get_db())) -> dict[str, str]:\n"
    '    note = "café ☕ 🙂 東京"; loop = asyncio.get_event_loop()\n'
    "    await asyncio.sleep(0)\n"
    '    return {"note": note, "loop": str(loop)}\n'
)


def by_code(diagnostics: list[types.Diagnostic]) -> dict[str, types.Diagnostic]:
    return {str(d.code): d for d in diagnostics}


async def test_findings_arrive_with_code_source_severity_link_and_data(session: Session) -> None:
    uri = session.open("app.py", SOURCE)
    found = by_code(await session.diagnostics(uri))
    assert {"FAP104", "FAP212", "FAP214"} <= set(found)
    for code in ("FAP104", "FAP212", "FAP214"):
        diagnostic = found[code]
        assert diagnostic.source == "fastapi-patterns"
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href == rule_url(RULES_BY_CODE[code])
        assert diagnostic.severity is not None and int(diagnostic.severity) in (1, 2, 3, 4)
        assert diagnostic.message and isinstance(diagnostic.data, dict) and diagnostic.data["version"] == 1
    assert found["FAP212"].severity == types.DiagnosticSeverity.Error
    assert found["FAP214"].range == range_of(SOURCE, '"items"', session.encoding)
    assert found["FAP212"].range == range_of(SOURCE, "get_db()", session.encoding, occurrence=1)


async def test_columns_after_emoji_and_cjk_follow_the_negotiated_encoding(session: Session) -> None:
    expected_encoding = "utf-8" if session.name == "neovim" else "utf-16"
    assert session.encoding == expected_encoding
    uri = session.open("app.py", SOURCE)
    found = by_code(await session.diagnostics(uri))
    line = SOURCE.splitlines()[13]
    prefix = line[: line.index("asyncio.get_event_loop()")]
    width = len(prefix.encode("utf-8")) if expected_encoding == "utf-8" else len(prefix.encode("utf-16-le")) // 2
    assert width != len(prefix)  # the line really exercises the encoding
    assert found["FAP104"].range.start == types.Position(line=13, character=width)
    assert found["FAP104"].range == range_of(SOURCE, "asyncio.get_event_loop()", session.encoding)


@pytest.mark.parametrize("client_name", ["visual_studio_code", "neovim@v0.6.1"])
async def test_push_clients_get_versioned_publications_and_pull_gives_the_same(session: Session) -> None:
    uri = session.open("app.py", SOURCE)
    pushed = await session.wait_published(uri, 1)
    assert pushed.version == 1
    assert sorted(map(str, (d.code for d in pushed.diagnostics))) == sorted(
        map(str, (d.code for d in await session.pull(uri)))
    )


async def test_a_change_that_fixes_the_problem_clears_it(session: Session) -> None:
    uri = session.open("app.py", SOURCE)
    assert "FAP104" in by_code(await session.diagnostics(uri))
    target = range_of(SOURCE, "get_event_loop", session.encoding)
    session.change(uri, [types.TextEdit(target, "get_running_loop")])
    after = by_code(await session.diagnostics(uri))
    assert "FAP104" not in after and {"FAP212", "FAP214"} <= set(after)


async def test_a_version_that_moved_on_is_never_published(start_session: StartSession, tmp_path: Path) -> None:
    session = await start_session("visual_studio_code", hooked=True)
    gate = tmp_path / "gate"
    gated = f"# gate: {gate}\n" + SOURCE
    uri = session.open("app.py", gated)
    await _wait_for_file(Path(f"{gate}.started"))
    gate_line = types.Range(types.Position(0, 0), types.Position(1, 0))
    session.change(uri, [types.TextEdit(gate_line, "")])  # version 2 is analysed at once
    second = await session.wait_published(uri, 2)
    gate.touch()  # version 1's analysis finishes now, after version 2 was published
    await _wait_for_file(Path(f"{gate}.finished"))
    session.change(uri, [types.TextEdit(range_of(session.texts[uri], "items", session.encoding), "things")])
    await session.wait_published(uri, 3)
    assert [p.version for p in session.client.published if p.uri == uri] == [2, 3]
    assert by_code(list(second.diagnostics))["FAP214"].range == range_of(SOURCE, '"items"', session.encoding)


async def _wait_for_file(path: Path) -> None:
    import asyncio

    for _ in range(2000):
        if path.exists():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{path} never appeared")


async def test_syntax_error_keeps_last_good_findings_moved_by_edits_plus_fap001(session: Session) -> None:
    uri = session.open("app.py", SOURCE)
    before = by_code(await session.diagnostics(uri))
    top = types.Range(types.Position(0, 0), types.Position(0, 0))
    session.change(uri, [types.TextEdit(top, "x = (\n\n")])  # two lines inserted; the file no longer parses
    broken = by_code(await session.diagnostics(uri))
    assert "FAP001" in broken and broken["FAP001"].severity == types.DiagnosticSeverity.Error
    for code in ("FAP104", "FAP212", "FAP214"):
        moved = before[code].range
        assert broken[code].range == types.Range(
            types.Position(moved.start.line + 2, moved.start.character),
            types.Position(moved.end.line + 2, moved.end.character),
        )
    inside_path = range_of(session.texts[uri], "tems", session.encoding)  # an edit inside FAP214's range
    session.change(uri, [types.TextEdit(inside_path, "tens")])
    edited = by_code(await session.diagnostics(uri))
    assert "FAP214" not in edited and {"FAP001", "FAP104", "FAP212"} <= set(edited)
    same_line = position_of(session.texts[uri], "loop = asyncio", session.encoding)
    session.change(uri, [types.TextEdit(types.Range(same_line, same_line), "x = 1; ")])  # shifts FAP104 right
    shifted = by_code(await session.diagnostics(uri))
    assert shifted["FAP104"].range == range_of(session.texts[uri], "asyncio.get_event_loop()", session.encoding)
    fixed = range_of(session.texts[uri], "x = (\n\n", session.encoding)
    session.change(uri, [types.TextEdit(types.Range(fixed.start, types.Position(2, 0)), "")])
    healed = by_code(await session.diagnostics(uri))
    assert "FAP001" not in healed and "FAP214" in healed


async def test_syntax_errors_can_be_hidden_by_setting(start_session: StartSession) -> None:
    session = await start_session("visual_studio_code", options={"debounce-ms": 0, "show-syntax-errors": False})
    uri = session.open("app.py", SOURCE)
    assert "FAP104" in by_code(await session.diagnostics(uri))
    session.change(uri, [types.TextEdit(types.Range(types.Position(0, 0), types.Position(0, 0)), "x = (\n")])
    broken = by_code(await session.diagnostics(uri))
    assert "FAP001" not in broken and "FAP104" in broken


async def test_untitled_and_non_python_documents(session: Session) -> None:
    untitled = session.open("untitled:Untitled-1", SOURCE)
    assert "FAP104" in by_code(await session.diagnostics(untitled))
    notes = session.open("notes.txt", SOURCE, language_id="plaintext")
    assert await session.diagnostics(notes) == []
