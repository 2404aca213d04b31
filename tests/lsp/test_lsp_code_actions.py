"""Code actions end to end: quick fixes, unsafe titles, "disable for this line", fix-all, and versions."""

from __future__ import annotations

from pathlib import Path

from fastapi_patterns.engine import apply_fixes
from fastapi_patterns.engine.config import Config
from lsp_helpers import Session, apply_edits, range_of
from lsprotocol import types
from test_lsp_diagnostics import SOURCE, by_code

FIX_ALL = "source.fixAll.fastapi-patterns"
BLOCKING = (
    "import requests\n"
    "from fastapi import FastAPI\n"
    "\n"
    "app = FastAPI()\n"
    "\n"
    "\n"
    '@app.get("/proxy")\n'
    "async def proxy(url: str) -> dict[str, str]:\n"
    "    data = requests.get(url, timeout=5).json()\n"
    "    return data\n"
)


def titled(actions: list[types.CodeAction], title: str) -> types.CodeAction:
    matching = [a for a in actions if a.title == title]
    assert len(matching) == 1, [a.title for a in actions]
    return matching[0]


def expected_version(session: Session, version: int) -> int | None:
    """Clients that accept `documentChanges` get the version; the others a plain `changes` map."""
    return version if session.name == "visual_studio_code" else None


async def test_quick_fix_is_tied_to_its_diagnostic_and_applies(session: Session) -> None:
    uri = session.open("app.py", SOURCE)
    diagnostic = by_code(await session.diagnostics(uri))["FAP104"]
    actions = await session.code_actions(uri, diagnostic.range, diagnostics=[diagnostic])
    fix = titled(actions, "Use `asyncio.get_running_loop()`")
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert list(fix.diagnostics or ()) == [diagnostic]
    version, edits = session.edits_of(fix, uri)
    assert version == expected_version(session, 1)
    assert apply_edits(SOURCE, edits, session.encoding) == SOURCE.replace("get_event_loop", "get_running_loop")
    kinds = {a.kind.value if isinstance(a.kind, types.CodeActionKind) else a.kind for a in actions}
    assert kinds == {FIX_ALL, "quickfix"}  # unfiltered requests also offer fix-all


async def test_unsafe_fix_says_so_and_the_safe_alternative_is_preferred(session: Session) -> None:
    uri = session.open("app.py", BLOCKING)
    diagnostic = by_code(await session.diagnostics(uri))["FAP101"]
    actions = await session.code_actions(uri, diagnostic.range, only=[types.CodeActionKind.QuickFix])
    offload = titled(actions, "Run `requests.get()` in a worker thread (unsafe)")
    assert not offload.is_preferred
    _, edits = session.edits_of(offload, uri)
    fixed = apply_edits(BLOCKING, edits, session.encoding)
    assert "run_in_executor(None, functools.partial(requests.get, url, timeout=5))" in fixed
    assert titled(actions, "Convert `proxy` to `def` (FastAPI runs it in its thread pool)").is_preferred


async def test_disable_for_this_line_appends_or_extends_noqa(session: Session) -> None:
    source = SOURCE.replace('@app.get("items")', '@app.get("items")  # noqa: E501')
    uri = session.open("app.py", source)
    found = by_code(await session.diagnostics(uri))
    disable = titled(await session.code_actions(uri, found["FAP104"].range), "Disable FAP104 for this line")
    silenced = apply_edits(source, session.edits_of(disable, uri)[1], session.encoding)
    assert 'loop = asyncio.get_event_loop()  # noqa: FAP104\n' in silenced
    extend = titled(await session.code_actions(uri, found["FAP214"].range), "Disable FAP214 for this line")
    extended = apply_edits(source, session.edits_of(extend, uri)[1], session.encoding)
    assert '@app.get("items")  # noqa: E501, FAP214\n' in extended
    session.change(uri, [types.TextEdit(e.range, e.new_text) for e in session.edits_of(disable, uri)[1]])
    assert "FAP104" not in by_code(await session.diagnostics(uri))


async def test_fix_all_applies_safe_fixes_as_a_few_line_edits(session: Session, tmp_path: Path) -> None:
    uri = session.open("app.py", SOURCE)
    await session.diagnostics(uri)
    everything = types.Range(types.Position(0, 0), types.Position(0, 0))
    actions = await session.code_actions(uri, everything, only=[types.CodeActionKind.SourceFixAll])
    (fix_all,) = actions
    assert fix_all.kind == FIX_ALL
    version, edits = session.edits_of(fix_all, uri)
    assert version == expected_version(session, 1)
    fixed = apply_edits(SOURCE, edits, session.encoding)
    assert fixed == apply_fixes(SOURCE, str(tmp_path / "app.py"), Config()).source
    assert '@app.get("/items")' in fixed and "get_running_loop()" in fixed and "Depends(get_db)" in fixed
    untouched = [line for line in SOURCE.splitlines() if line in fixed.splitlines()]
    replaced_lines = sum(e.range.end.line - e.range.start.line for e in edits)
    assert replaced_lines <= len(SOURCE.splitlines()) - len(untouched) and len(untouched) > 5
    assert await session.code_actions(uri, everything, only=[types.CodeActionKind.QuickFix + ".none"]) == []


async def test_edits_are_computed_for_the_version_they_carry(session: Session) -> None:
    uri = session.open("app.py", SOURCE)
    await session.diagnostics(uri)
    top = types.Range(types.Position(0, 0), types.Position(0, 0))
    version = session.change(uri, [types.TextEdit(top, '"""Menu routes."""\n')])  # every finding moves down
    current = session.texts[uri]
    wanted = range_of(current, "get_event_loop", session.encoding)
    actions = await session.code_actions(uri, wanted, only=[types.CodeActionKind.QuickFix])
    edit_version, edits = session.edits_of(titled(actions, "Use `asyncio.get_running_loop()`"), uri)
    assert edit_version == expected_version(session, version)
    assert apply_edits(current, edits, session.encoding) == current.replace("get_event_loop", "get_running_loop")


async def test_no_actions_while_the_file_does_not_parse(session: Session) -> None:
    uri = session.open("app.py", SOURCE + "def broken(:\n")
    await session.diagnostics(uri)
    everything = types.Range(types.Position(0, 0), types.Position(16, 0))
    assert await session.code_actions(uri, everything) == []
