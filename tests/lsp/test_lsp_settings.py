"""Settings and configuration end to end: bad values, changes, config files, folders, failing rules, exit."""

from __future__ import annotations

from pathlib import Path

from lsp_helpers import StartSession
from lsp_helpers import Session
from lsprotocol import types
from test_lsp_diagnostics import SOURCE, by_code


def warnings_of(session: Session) -> list[str]:
    return [m.message for m in session.client.messages if m.type == types.MessageType.Warning]


async def test_bad_settings_warn_with_the_key_and_fall_back_to_defaults(start_session: StartSession,
                                                                        client_name: str) -> None:
    options = {"fastapi-patterns": {"select": ["XYZ9"], "debounceMs": "soon", "offload_style": "threads"}}
    session = await start_session(client_name, options=options)
    uri = session.open("app.py", SOURCE)
    found = by_code(await session.diagnostics(uri))
    assert {"FAP104", "FAP212", "FAP214"} <= set(found)  # `select` fell back to every rule
    shown = warnings_of(session)
    assert any("`select`" in m and "XYZ9" in m for m in shown), shown
    assert any("`debounceMs`" in m for m in shown), shown
    assert any("`offload-style`" in m for m in shown), shown


async def test_changed_settings_apply_to_open_documents(session: Session) -> None:
    uri = session.open("app.py", SOURCE)
    assert "FAP104" in by_code(await session.diagnostics(uri))
    mark = len(session.client.published)
    session.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"fastapi-patterns": {"ignore": ["FAP104"], "severity": {"FAP214": "hint"}}}
    ))
    after = by_code(await session.diagnostics_after_settings_change(uri, mark))
    assert "FAP104" not in after and after["FAP214"].severity == types.DiagnosticSeverity.Hint


async def test_settings_pulled_from_the_client_when_a_change_carries_none(start_session: StartSession) -> None:
    session = await start_session("visual_studio_code")
    uri = session.open("app.py", SOURCE)
    assert "FAP212" in by_code(await session.diagnostics(uri))
    session.client.set_configuration({"ignore": ["FAP212"]}, section="fastapi-patterns")
    mark = len(session.client.published)
    session.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    assert "FAP212" not in by_code(await session.diagnostics_after_settings_change(uri, mark))


async def test_config_file_applies_and_editor_settings_win(start_session: StartSession, tmp_path: Path,
                                                           client_name: str) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.fastapi-patterns]\nignore = ["FAP212", "FAP214"]\n')
    session = await start_session(client_name, options={"debounce-ms": 0, "ignore": ["FAP214"]})
    uri = session.open("app.py", SOURCE)
    found = by_code(await session.diagnostics(uri))
    assert "FAP214" not in found and "FAP104" in found
    assert "FAP212" in found  # the editor's `ignore` replaced the file's


async def test_bad_config_file_value_is_shown_once_with_file_and_key(start_session: StartSession,
                                                                     tmp_path: Path) -> None:
    (tmp_path / "fastapi-patterns.toml").write_text('offload-style = "threads"\nignore = ["FAP214"]\n')
    session = await start_session("visual_studio_code")
    first = session.open("app.py", SOURCE)
    second = session.open("other.py", SOURCE)
    assert "FAP214" not in by_code(await session.diagnostics(first))
    assert "FAP214" not in by_code(await session.diagnostics(second))
    about_file = [m for m in warnings_of(session) if "fastapi-patterns.toml" in m]
    assert len(about_file) == 1 and "`offload-style`" in about_file[0]


async def test_each_workspace_folder_has_its_own_config(start_session: StartSession, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, ignored in ((first, "FAP214"), (second, "FAP104")):
        folder.mkdir()
        (folder / "pyproject.toml").write_text(f'[tool.fastapi-patterns]\nignore = ["{ignored}"]\n')
    session = await start_session("neovim", folders=[first, second])
    in_first = session.open((first / "app.py").as_uri(), SOURCE)
    in_second = session.open((second / "app.py").as_uri(), SOURCE)
    elsewhere = session.open((tmp_path / "loose.py").as_uri(), SOURCE)
    assert {"FAP104"} <= set(by_code(await session.diagnostics(in_first))) - {"FAP214"}
    assert "FAP214" not in by_code(await session.diagnostics(in_first))
    assert "FAP104" not in by_code(await session.diagnostics(in_second))
    assert {"FAP104", "FAP214"} <= set(by_code(await session.diagnostics(elsewhere)))


async def test_settings_pulled_per_workspace_folder(start_session: StartSession, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    session = await start_session("visual_studio_code", folders=[first, second])
    session.client.set_configuration({"ignore": ["FAP104"]}, section="fastapi-patterns", scope_uri=first.as_uri())
    in_first = session.open((first / "app.py").as_uri(), SOURCE)
    in_second = session.open((second / "app.py").as_uri(), SOURCE)
    await session.diagnostics(in_first)
    await session.diagnostics(in_second)
    mark = len(session.client.published)
    session.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    assert "FAP104" not in by_code(await session.diagnostics_after_settings_change(in_first, mark))
    assert "FAP104" in by_code(await session.diagnostics_after_settings_change(in_second, mark))


async def test_a_failing_rule_is_logged_not_shown(start_session: StartSession) -> None:
    session = await start_session("visual_studio_code", hooked=True)
    uri = session.open("app.py", SOURCE + "explode()\n")
    assert "FAP104" in by_code(await session.diagnostics(uri))
    logged = [m.message for m in session.client.log_messages if "FAP990" in m.message]
    assert logged and "boom" in logged[0]
    assert not [m for m in session.client.messages if m.type == types.MessageType.Error]


async def test_exit_without_shutdown_ends_with_code_one(start_session: StartSession) -> None:
    session = await start_session("neovim@v0.6.1")
    session.client.exit(None)
    server = session.client._server
    assert server is not None
    assert await server.wait() == 1
