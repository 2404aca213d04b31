"""Settings from the editor and configuration files, and what happens when either changes.

`initializationOptions` give the first settings. After `initialized`, a client that answers
`workspace/configuration` is asked for the `fastapi-patterns` section globally and per workspace folder (an
empty answer keeps what is known), and watchers for configuration files are registered when the client allows.
`workspace/didChangeConfiguration` carries new settings or, empty, means "ask again". Problems are shown once
per change with the key they concern; after any change the open documents are checked again. `initialized`,
watched-file and workspace-folder events are passed on to the server's hooks (the workspace index); only
changes to configuration files reset the configuration.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, Optional, Sequence

from lsprotocol import types

from ..server import FastApiPatternsServer
from ..settings import SECTION, EditorSettings, parse_settings, section_of
from .diagnostics import refresh_all

CONFIG_GLOBS = ("**/pyproject.toml", "**/fastapi-patterns.toml")
CONFIG_FILE_NAMES = frozenset(glob.rsplit("/", 1)[-1] for glob in CONFIG_GLOBS)
WATCHER_ID = "fastapi-patterns-config-files"


def apply_settings(server: FastApiPatternsServer, global_raw: Any, folders: Optional[dict[str, Any]] = None) -> None:
    """Validate and install new settings; reports problems, re-checks documents when something changed."""
    settings, problems = parse_settings(section_of(global_raw)) if global_raw is not None else (server.settings, [])
    per_folder: dict[str, EditorSettings] = {}
    for uri, raw in (folders or {}).items():
        folder_settings, folder_problems = parse_settings(raw)
        per_folder[uri] = folder_settings
        problems.extend(f"{p} (workspace folder {uri})" for p in folder_problems if p not in problems)
    for problem in dict.fromkeys(problems):
        server.show_warning(f"fastapi-patterns: {problem}")
    if folders is None:
        per_folder = server.folder_settings
    if settings != server.settings or per_folder != server.folder_settings:
        server.settings, server.folder_settings = settings, per_folder
        server.settings_changed()
        if server.ready:
            refresh_all(server)


async def pull_settings(server: FastApiPatternsServer) -> None:
    """Ask the client for the section, globally and per folder; an answer of null keeps what is known."""
    if not server.capability(("workspace", "configuration"), False):
        return
    folders = [folder.uri for folder in server.workspace.folders.values()]
    items = [types.ConfigurationItem(section=SECTION)]
    items += [types.ConfigurationItem(section=SECTION, scope_uri=uri) for uri in folders]
    try:
        answers: Sequence[Any] = await server.workspace_configuration_async(types.ConfigurationParams(items=items))
    except Exception as error:  # a client that fails the request keeps the settings it sent before
        server.log(f"fastapi-patterns: workspace/configuration failed: {error}", types.MessageType.Warning)
        return
    global_raw = answers[0] if answers else None
    scoped = {uri: raw for uri, raw in zip(folders, answers[1:]) if raw is not None and raw != global_raw}
    if global_raw is None and not scoped:
        return
    apply_settings(server, global_raw, scoped)


def register(server: FastApiPatternsServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        if params.initialization_options is not None:
            apply_settings(server, params.initialization_options)

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        server.mark_ready()
        if server.capability(("workspace", "did_change_watched_files", "dynamic_registration"), False):
            watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in CONFIG_GLOBS]
            registration = types.Registration(
                id=WATCHER_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            try:
                await server.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
            except Exception as error:  # watching is a convenience: without it, saves still refresh
                server.log(f"fastapi-patterns: could not watch configuration files: {error}")
        await pull_settings(server)
        await server.hooks.notify_async(server.hooks.initialized)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        raw = params.settings
        if isinstance(raw, dict) and any(key in raw for key in (SECTION, "fastapiPatterns", "fastapi_patterns")):
            apply_settings(server, raw)
        else:
            await pull_settings(server)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        if any(PurePath(change.uri).name in CONFIG_FILE_NAMES for change in params.changes):
            server.configs.clear()
            server.settings_changed()
            refresh_all(server)
        server.hooks.notify(server.hooks.watched_files, params)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        server.configs.clear()
        server.settings_changed()
        refresh_all(server)
        server.hooks.notify(server.hooks.folders_changed, params)
        await pull_settings(server)
