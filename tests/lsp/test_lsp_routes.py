"""Route awareness end to end: the workspace index built in the background with progress reports, symbols,
code lenses, route cards, definition and completion from test client calls, the routes request, and the index
following edits of open documents and watched files. Run under each recorded client's capabilities."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import pytest
from lsp_helpers import (
    WAIT_LIMIT, RecordingClient, Session, initialize_params, make_client, position_of, range_of, server_config,
)
from lsprotocol import types
from pytest_lsp import ClientServerConfig
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES

if TYPE_CHECKING:
    from lsp_helpers import StartSession

PROJECTS = Path(__file__).resolve().parents[1] / "workspace" / "projects"
GATED_SERVER = Path(__file__).with_name("gated_index_server.py")
ROUTES = "fastapi-patterns/routes"
USERS = "src/shopapi/api/users.py"
TESTS = "tests/test_users.py"


def copy_project(tmp_path: Path, name: str = "src_layout") -> Path:
    target = tmp_path / name
    shutil.copytree(PROJECTS / name, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


async def routes_of(session: Session, uri: Optional[str] = None) -> list[dict[str, Any]]:
    params = {"uri": uri} if uri is not None else None
    result = await asyncio.wait_for(session.client.protocol.send_request_async(ROUTES, params), WAIT_LIMIT)
    return list(result)


async def open_file(session: Session, relative: str) -> tuple[str, str]:
    text = (session.folder / relative).read_text(encoding="utf-8")
    return session.open(session.uri(relative), text), text


async def indexed_session(start_session: StartSession, client_name: str, tmp_path: Path) -> Session:
    session = await start_session(client_name, folders=[copy_project(tmp_path)])
    await routes_of(session)  # answers once the first build is done
    return session


async def progress_end(session: Session) -> list[Any]:
    """The reports of the index's progress token, once it has ended."""
    async def ended() -> list[Any]:
        while True:
            for token, reports in session.client.progress_reports.items():
                if str(token).startswith("fastapi-patterns-") and reports and \
                        isinstance(reports[-1], types.WorkDoneProgressEnd):
                    return list(reports)
            await asyncio.sleep(0.02)

    return await asyncio.wait_for(ended(), WAIT_LIMIT)


async def test_indexing_reports_progress_from_begin_to_end(start_session: StartSession, client_name: str,
                                                           tmp_path: Path) -> None:
    session = await start_session(client_name, folders=[copy_project(tmp_path)])
    reports = await progress_end(session)
    begin, *middle, end = reports
    assert isinstance(begin, types.WorkDoneProgressBegin) and begin.title == "fastapi-patterns: indexing"
    assert begin.message == "src_layout"
    percentages = [r.percentage for r in middle if isinstance(r, types.WorkDoneProgressReport)]
    assert percentages and percentages == sorted(percentages) and percentages[-1] == 100
    assert isinstance(end, types.WorkDoneProgressEnd) and end.message == "10 files, 6 routes"


async def test_document_symbols_are_named_by_method_and_full_path(start_session: StartSession, client_name: str,
                                                                  tmp_path: Path) -> None:
    session = await indexed_session(start_session, client_name, tmp_path)
    uri, text = await open_file(session, USERS)
    result = await asyncio.wait_for(session.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))), WAIT_LIMIT)
    assert result is not None
    names = [symbol.name for symbol in result]
    assert names == ["GET /api/v1/users/", "GET /api/v1/users/{user_id}", "POST /api/v1/users/"]
    assert {symbol.kind for symbol in result} == {types.SymbolKind.Method}
    read_user = result[1]
    name_range = range_of(text, "read_user", session.encoding)
    if isinstance(read_user, types.DocumentSymbol):
        assert read_user.selection_range == name_range
        assert read_user.range.start == types.Position(13, 0) and read_user.range.end.line == 15
    else:
        assert read_user.location.range == name_range


async def test_workspace_symbols_search_every_route(start_session: StartSession, client_name: str,
                                                    tmp_path: Path) -> None:
    session = await indexed_session(start_session, client_name, tmp_path)
    result = await asyncio.wait_for(session.client.workspace_symbol_async(
        types.WorkspaceSymbolParams(query="get users{")), WAIT_LIMIT)
    assert result is not None
    assert [symbol.name for symbol in result] == ["GET /api/v1/users/{user_id}"]
    (symbol,) = result
    assert isinstance(symbol, types.SymbolInformation)
    text = (session.folder / USERS).read_text(encoding="utf-8")
    assert symbol.location.uri == session.uri(USERS)
    assert symbol.location.range == range_of(text, "read_user", session.encoding)


async def test_code_lens_above_each_path_operation(start_session: StartSession, client_name: str,
                                                   tmp_path: Path) -> None:
    session = await indexed_session(start_session, client_name, tmp_path)
    uri, text = await open_file(session, USERS)
    lenses = await asyncio.wait_for(session.client.text_document_code_lens_async(
        types.CodeLensParams(types.TextDocumentIdentifier(uri))), WAIT_LIMIT)
    assert lenses is not None
    shown = [(lens.range.start.line, lens.command.title if lens.command else None) for lens in lenses]
    assert shown == [(8, "GET /api/v1/users/"), (13, "GET /api/v1/users/{user_id}"), (18, "POST /api/v1/users/")]
    assert lenses[1].range == range_of(text, '@router.get("/{user_id}")', session.encoding)
    assert all(lens.command is not None and lens.command.command == "fastapi-patterns.showRoute" for lens in lenses)


async def test_hover_on_a_path_operation_shows_its_route_card(start_session: StartSession, client_name: str,
                                                              tmp_path: Path) -> None:
    session = await indexed_session(start_session, client_name, tmp_path)
    uri, text = await open_file(session, USERS)
    await session.diagnostics(uri)
    on_name = position_of(text, "read_user", session.encoding)
    hover = await asyncio.wait_for(session.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), on_name)), WAIT_LIMIT)
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    card = hover.contents.value
    assert card.startswith("**GET /api/v1/users/{user_id}**")
    assert "`shopapi.main:create_app.<locals>.application` → `shopapi.api:api_router` → `shopapi.api.users:router`" \
        in card
    assert "- response model: `UserOut`" in card and "- status code: 200 (default)" in card
    assert "- dependencies: `get_current_user`" in card and "- tags: users" in card
    assert "- findings: " in card
    assert hover.range is not None and hover.range.start <= on_name <= hover.range.end  # type: ignore[operator]
    on_decorator = position_of(text, '@router.get("/{user_id}")', session.encoding)
    decorator_hover = await asyncio.wait_for(session.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), on_decorator)), WAIT_LIMIT)
    assert decorator_hover is not None and isinstance(decorator_hover.contents, types.MarkupContent)
    assert decorator_hover.contents.value.startswith("**GET /api/v1/users/{user_id}**")
    body = position_of(text, "return UserOut(id=user_id", session.encoding)
    assert await asyncio.wait_for(session.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), body)), WAIT_LIMIT) is None


async def test_definition_from_a_test_client_url_goes_to_the_handler(start_session: StartSession,
                                                                     client_name: str, tmp_path: Path) -> None:
    session = await indexed_session(start_session, client_name, tmp_path)
    uri, text = await open_file(session, TESTS)
    inside = position_of(text, "users/42", session.encoding)
    result = await asyncio.wait_for(session.client.text_document_definition_async(
        types.DefinitionParams(types.TextDocumentIdentifier(uri), inside)), WAIT_LIMIT)
    assert isinstance(result, list) and len(result) == 1
    (location,) = result
    assert isinstance(location, types.Location) and location.uri == session.uri(USERS)
    users_text = (session.folder / USERS).read_text(encoding="utf-8")
    assert location.range == range_of(users_text, "read_user", session.encoding)
    outside = position_of(text, "assert response", session.encoding)
    assert await asyncio.wait_for(session.client.text_document_definition_async(
        types.DefinitionParams(types.TextDocumentIdentifier(uri), outside)), WAIT_LIMIT) is None


async def test_route_paths_complete_inside_a_test_client_call(start_session: StartSession, client_name: str,
                                                              tmp_path: Path) -> None:
    session = await indexed_session(start_session, client_name, tmp_path)
    text = 'from fastapi.testclient import TestClient\nfrom shopapi.main import app\n\nclient = TestClient(app)\n' \
           'client.get("/api/v1/u")\n'
    uri = session.open(session.uri("tests/test_new.py"), text)
    cursor = position_of(text, '/u")', session.encoding)
    cursor = types.Position(cursor.line, cursor.character + 2)
    result = await asyncio.wait_for(session.client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri), cursor)), WAIT_LIMIT)
    assert isinstance(result, types.CompletionList)
    items = {item.label: item for item in result.items}
    assert sorted(items) == ["/api/v1/users/", "/api/v1/users/{user_id}"]  # the GET paths starting with `/api/v1/u`
    read_user = items["/api/v1/users/{user_id}"]
    assert isinstance(read_user.text_edit, types.TextEdit)
    assert read_user.text_edit.range == range_of(text, "/api/v1/u", session.encoding)
    assert session.client.capabilities is not None
    completion = session.client.capabilities.text_document.completion  # type: ignore[union-attr]
    snippets = bool(completion and completion.completion_item and completion.completion_item.snippet_support)
    if snippets:
        assert read_user.text_edit.new_text == "/api/v1/users/${1:user_id}"
        assert read_user.insert_text_format == types.InsertTextFormat.Snippet
    else:
        assert read_user.text_edit.new_text == "/api/v1/users/{user_id}"
    assert read_user.detail == "GET -> read_user (shopapi.api.users)"


async def test_routes_request_returns_the_table_with_editor_locations(start_session: StartSession,
                                                                      tmp_path: Path) -> None:
    session = await indexed_session(start_session, "visual_studio_code", tmp_path)
    table = await routes_of(session)
    assert [(r["method"], r["path"]) for r in table] == [
        ("DELETE", "/api/v1/admin/items/{item_id}"), ("GET", "/api/v1/items/{item_id}"), ("GET", "/api/v1/users/"),
        ("POST", "/api/v1/users/"), ("GET", "/api/v1/users/{user_id}"), ("GET", "/health"),
    ]
    read_user = table[4]
    assert read_user["uri"] == session.uri(USERS) and read_user["handler"] == "read_user"
    assert read_user["range"]["start"] == {"line": 14, "character": 10}
    assert read_user["lines"] == {"start": 13, "end": 15}  # decorator to last body line, where its findings are
    assert [link["name"] for link in read_user["routers"]] == ["create_app.<locals>.application", "api_router",
                                                               "router"]
    assert len(await routes_of(session, session.uri(USERS))) == 6


async def test_a_document_asked_about_before_indexing_is_listed_once(start_session: StartSession,
                                                                    tmp_path: Path) -> None:
    session = await start_session("visual_studio_code", folders=[copy_project(tmp_path)])
    uri, text = await open_file(session, USERS)  # asked about at once, as an editor does, before any index exists
    await asyncio.wait_for(session.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))), WAIT_LIMIT)
    session.change(uri, [types.TextEdit(range_of(text, '"/{user_id}"', session.encoding), '"/by-id/{user_id}"')])
    table = await routes_of(session)
    users = [(r["method"], r["path"]) for r in table if r["uri"] == uri]
    assert users == [("GET", "/api/v1/users/"), ("POST", "/api/v1/users/"), ("GET", "/api/v1/users/by-id/{user_id}")]
    assert all(r["mounted"] for r in table)


async def test_routes_request_answers_with_the_edit_just_made(start_session: StartSession, tmp_path: Path) -> None:
    session = await indexed_session(start_session, "visual_studio_code", tmp_path)
    uri, text = await open_file(session, USERS)
    session.change(uri, [types.TextEdit(range_of(text, '"/{user_id}"', session.encoding), '"/by-id/{user_id}"')])
    paths = [r["path"] for r in await routes_of(session)]  # asked at once: no pause for the re-indexing to run
    assert "/api/v1/users/by-id/{user_id}" in paths and "/api/v1/users/{user_id}" not in paths


async def test_index_follows_open_edits_and_watched_files(start_session: StartSession, tmp_path: Path) -> None:
    session = await indexed_session(start_session, "visual_studio_code", tmp_path)
    users_uri, _ = await open_file(session, USERS)
    aggregator_uri, aggregator = await open_file(session, "src/shopapi/api/__init__.py")
    session.change(aggregator_uri, [types.TextEdit(range_of(aggregator, '"/users"', session.encoding), '"/people"')])
    lenses = await asyncio.wait_for(session.client.text_document_code_lens_async(
        types.CodeLensParams(types.TextDocumentIdentifier(users_uri))), WAIT_LIMIT)
    assert lenses is not None and [lens.command.title for lens in lenses if lens.command] == [
        "GET /api/v1/people/", "GET /api/v1/people/{user_id}", "POST /api/v1/people/"]

    items = session.folder / "src/shopapi/api/items.py"
    items.write_text(items.read_text(encoding="utf-8") + '\n\n@router.get("/")\nasync def list_items() -> list[int]:\n'
                     "    return []\n", encoding="utf-8")
    session.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(items.as_uri(), types.FileChangeType.Changed)]))
    assert ("GET", "/api/v1/items/") in {(r["method"], r["path"]) for r in await routes_of(session)}

    items.unlink()
    session.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(items.as_uri(), types.FileChangeType.Deleted)]))
    assert not any("items" in r["path"] for r in await routes_of(session))


async def test_diagnostics_do_not_wait_for_indexing(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    source = 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("items")\n' \
             "async def items() -> list[int]:\n    return []\n"
    (folder / "app.py").write_text(source, encoding="utf-8")
    (folder / "slow_module.py").write_text("VALUE = 1\n", encoding="utf-8")
    config = ClientServerConfig(server_command=[sys.executable, str(GATED_SERVER)], client_factory=make_client)
    client = await config.start()
    assert isinstance(client, RecordingClient)
    try:
        result = await client.initialize_session(initialize_params("visual_studio_code", [folder], {"debounce-ms": 0}))
        session = Session(client, "visual_studio_code", folder, result)

        async def started() -> None:
            while not (folder / "index.started").exists():
                await asyncio.sleep(0.01)

        await asyncio.wait_for(started(), WAIT_LIMIT)
        uri = session.open("app.py", source)
        assert await session.diagnostics(uri)  # published (with findings) while the index cannot finish
        assert not any(isinstance(reports[-1], types.WorkDoneProgressEnd)
                       for reports in client.progress_reports.values() if reports)  # still indexing
        (folder / "index.release").touch()
        reports = await progress_end(session)
        assert isinstance(reports[-1], types.WorkDoneProgressEnd) and reports[-1].message == "2 files, 1 routes"
    finally:
        (folder / "index.release").touch()
        await asyncio.wait_for(client.shutdown_session(), WAIT_LIMIT)
        await client.stop()


@pytest.mark.parametrize("name", ["package_layout", "namespace_layout"])
async def test_other_layouts_give_the_same_table_as_the_command_line(start_session: StartSession, tmp_path: Path,
                                                                     name: str) -> None:
    from fastapi_patterns.engine.workspace import build_index

    folder = copy_project(tmp_path, name)
    session = await start_session("neovim", folders=[folder])
    files = sorted(p for p in folder.rglob("*.py"))
    expected = build_index([str(folder)], [(str(p), p.read_text(encoding="utf-8")) for p in files]).routes()
    assert [(r["method"], r["path"], r["handler"]) for r in await routes_of(session)] == [
        (r.method, r.path, r.handler) for r in expected]


def recording_registrations() -> tuple[RecordingClient, list[types.Registration]]:
    """A test client like `make_client()`'s that also keeps the registrations the server asks for."""
    registrations: list[types.Registration] = []
    client = RecordingClient()
    for method, handler in DEFAULT_CLIENT_FEATURES.items():
        if method not in (types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, types.CLIENT_REGISTER_CAPABILITY):
            client.feature(method)(handler)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def record(params: types.PublishDiagnosticsParams) -> None:
        client.published.append(params)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    return client, registrations


async def test_multi_root_folders_have_their_own_tables_and_python_files_are_watched(tmp_path: Path) -> None:
    first, second = copy_project(tmp_path, "package_layout"), copy_project(tmp_path, "namespace_layout")
    client, registrations = recording_registrations()
    config = ClientServerConfig(server_command=[sys.executable, "-m", "fastapi_patterns.lsp"],
                                client_factory=lambda: client, server_env=server_config().server_env)
    await config.start()
    try:
        result = await client.initialize_session(initialize_params("visual_studio_code", [first, second]))
        session = Session(client, "visual_studio_code", first, result)
        assert len(await routes_of(session, (first / "app/factory.py").as_uri())) == 9
        assert [r["path"] for r in await routes_of(session, second.as_uri())] == ["/v2/catalog/products/{sku}"]
        assert len(await routes_of(session)) == 10
        symbols = await asyncio.wait_for(client.workspace_symbol_async(types.WorkspaceSymbolParams(query="sku")),
                                         WAIT_LIMIT)
        assert [symbol.name for symbol in symbols or []] == ["GET /v2/catalog/products/{sku}"]
        watchers = [r.register_options for r in registrations if r.id == "fastapi-patterns-python-files"]
        assert watchers == [{"watchers": [{"globPattern": "**/*.py"}]}]  # options arrive as plain JSON
    finally:
        await asyncio.wait_for(client.shutdown_session(), WAIT_LIMIT)
        await client.stop()


async def test_an_untitled_buffer_gets_symbols_and_lenses_of_its_own(start_session: StartSession,
                                                                     tmp_path: Path) -> None:
    session = await indexed_session(start_session, "neovim", tmp_path)
    text = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/scratch/{n}')\n" \
           "def scratch(n: int) -> int:\n    return n\n"
    uri = session.open("untitled:Untitled-1", text)
    symbols = await asyncio.wait_for(session.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))), WAIT_LIMIT)
    assert [symbol.name for symbol in symbols or []] == ["GET /scratch/{n}"]
    lenses = await asyncio.wait_for(session.client.text_document_code_lens_async(
        types.CodeLensParams(types.TextDocumentIdentifier(uri))), WAIT_LIMIT)
    assert [(lens.range.start.line, lens.command.title) for lens in lenses or [] if lens.command] == [
        (5, "GET /scratch/{n}")]
    query = types.WorkspaceSymbolParams(query="scratch")
    found = await asyncio.wait_for(session.client.workspace_symbol_async(query), WAIT_LIMIT)
    assert [(s.name, s.location.uri) for s in found or [] if isinstance(s, types.SymbolInformation)] == [
        ("GET /scratch/{n}", uri)]
