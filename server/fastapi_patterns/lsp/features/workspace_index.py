"""Keeping the workspace indexes current, reporting the first build as progress, and the routes request.

After `initialized`, each workspace folder is indexed in the background with `$/progress` reports (once the
client has accepted the token through `window/workDoneProgress/create`), and a watcher for Python files is
registered when the client allows dynamic registration. Open documents are re-indexed as they change; other
files on `workspace/didChangeWatchedFiles` (created, changed, deleted, renamed: deleted then created).
Code lenses are refreshed when the index settles, and open documents whose findings came partly from other files
are checked again whenever the index changes. `fastapi-patterns/routes` answers the route table as JSON
(all folders, or the folder of `{"uri": ...}`), after any build in progress and with the latest edits applied.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Optional

from lsprotocol import types
from pygls.uris import to_fs_path

from ...checker.ignore import has_default_excluded_part
from ...engine.workspace import Route, WorkspaceIndex
from ..documents import OpenDocument
from ..memory import freeze_long_lived
from ..indexing import WorkspaceIndexes
from ..progress import WorkProgress
from ..route_queries import route_json
from ..server import FastApiPatternsServer
from .diagnostics import recheck

ROUTES_REQUEST = "fastapi-patterns/routes"
WATCHER_ID = "fastapi-patterns-python-files"
PROGRESS_TITLE = "fastapi-patterns: indexing"


TYPING_PAUSE = 0.5  # seconds without edits before an open document is re-indexed


def workspace_folders(server: FastApiPatternsServer) -> list[str]:
    uris = [folder.uri for folder in server.workspace.folders.values()]
    if not uris and server.workspace.root_uri:
        uris = [server.workspace.root_uri]
    return [path for path in (to_fs_path(uri) for uri in uris) if path is not None]


async def index_folder(server: FastApiPatternsServer, folder: str) -> None:
    """Build a folder's index on the index worker, reporting progress; then refresh the code lenses."""
    progress = await WorkProgress.begin(server, PROGRESS_TITLE, os.path.basename(folder) or folder)
    loop = asyncio.get_running_loop()

    def text_of(path: str) -> Optional[str]:
        """The text of the document open on `path` when the file is read (the editor's text wins)."""
        for document in list(server.documents.values()):  # a copy: the event loop may open or close documents
            if document.fs_path == path:
                return document.text
        return None

    def report(done: int, total: int) -> None:
        if progress is not None:
            loop.call_soon_threadsafe(progress.report, done, total)

    def build() -> tuple[int, int]:
        index = server.indexes.build(folder, text_of, report)
        counts = len(index.paths), len(index.routes())
        freeze_long_lived()
        return counts

    try:
        files, routes = await asyncio.wrap_future(server.indexes.submit(build))
        summary = f"{files} files, {routes} routes"
        server.log(f"fastapi-patterns: indexed {folder}: {summary}")
    except Exception as error:
        summary = "failed"
        server.log(f"fastapi-patterns: indexing {folder} failed: {type(error).__name__}: {error}",
                   types.MessageType.Error)
    if progress is not None:
        progress.end(summary)
    await refresh_lenses(server)


def start_indexing(server: FastApiPatternsServer) -> list["asyncio.Future[None]"]:
    """Index every workspace folder not indexed yet; the builds of all folders, to await when needed."""
    folders = workspace_folders(server)
    for folder in folders:
        server.indexes.add_folder(folder)  # all first, so that each build knows the folders nested in it
    for folder in folders:
        if folder not in server.indexes.builds:
            server.indexes.builds[folder] = asyncio.ensure_future(index_folder(server, folder))
    return list(server.indexes.builds.values())


async def refresh_lenses(server: FastApiPatternsServer) -> None:
    """Ask the client to re-request code lenses, once the index worker has applied what is queued."""
    await asyncio.wrap_future(server.indexes.submit(lambda: None))
    if server.capability(("workspace", "code_lens", "refresh_support"), False) and not server.shutdown_requested:
        try:
            await server.workspace_code_lens_refresh_async(None)
        except Exception as error:
            server.log(f"fastapi-patterns: workspace/codeLens/refresh failed: {error}")


async def watch_python_files(server: FastApiPatternsServer) -> None:
    if not server.capability(("workspace", "did_change_watched_files", "dynamic_registration"), False):
        return
    registration = types.Registration(
        id=WATCHER_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern="**/*.py")]),
    )
    try:
        await server.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
    except Exception as error:  # without it, files changed outside the editor are indexed at the next start
        server.log(f"fastapi-patterns: could not watch Python files: {error}")


def register(server: FastApiPatternsServer) -> None:
    indexes = server.indexes

    async def on_initialized() -> None:
        loop = asyncio.get_running_loop()

        def changed(index: WorkspaceIndex) -> None:
            loop.call_soon_threadsafe(_recheck_open_documents, server, index)

        indexes.on_change = changed
        start_indexing(server)
        await watch_python_files(server)

    def on_document(document: OpenDocument) -> None:
        if document.is_python:
            indexes.update(document.analysis_path, lambda: _open_text(server, document), delay=TYPING_PAUSE)

    def on_closed(document: OpenDocument) -> None:
        if document.is_python:
            indexes.update(document.analysis_path, lambda: None)

    def on_watched(params: types.DidChangeWatchedFilesParams) -> None:
        open_paths = {d.fs_path for d in server.documents.values()}
        changed = False
        for change in params.changes:
            path = to_fs_path(change.uri)
            if path is None or path in open_paths or _excluded(server, path):
                continue
            if path.endswith(".py") or change.type == types.FileChangeType.Deleted:
                indexes.update(path, lambda: None)
                changed = True
        if changed:
            asyncio.ensure_future(refresh_lenses(server))

    def on_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        for removed in params.event.removed:
            path = to_fs_path(removed.uri)
            if path is not None:
                indexes.remove_folder(path)
                indexes.builds.pop(path, None)
        start_indexing(server)

    server.hooks.initialized.append(on_initialized)
    server.hooks.document_changed.append(on_document)
    server.hooks.document_closed.append(on_closed)
    server.hooks.watched_files.append(on_watched)
    server.hooks.folders_changed.append(on_folders)

    @server.feature(ROUTES_REQUEST)
    async def routes_request(params: Any) -> list[dict[str, Any]]:
        uri = getattr(params, "uri", None) if params is not None else None
        path = to_fs_path(uri) if isinstance(uri, str) else None
        await asyncio.gather(*start_indexing(server), return_exceptions=True)
        chosen = [indexes.index_for(path)] if path is not None else indexes.all()
        records: list[dict[str, Any]] = []
        for index in chosen:
            table = await asyncio.wrap_future(indexes.submit(lambda: _current_table(indexes, index)))
            records.extend(route_json(server, route) for route in table)
        return records


def _current_table(indexes: WorkspaceIndexes, index: WorkspaceIndex) -> tuple[Route, ...]:
    """The index's route table once the changes still waiting for a typing pause are applied (index worker)."""
    indexes.flush()
    return index.routes()


def _recheck_open_documents(server: FastApiPatternsServer, index: WorkspaceIndex) -> None:
    """After the index changed: re-check the open documents whose last analysis asked the workspace."""
    if server.shutdown_requested:
        return
    stale = [document for document in server.documents.values()
             if document.analysis is not None and document.analysis[2].cross_file
             and server.indexes.index_for(document.fs_path) is index]
    recheck(server, stale)


def _open_text(server: FastApiPatternsServer, document: OpenDocument) -> Optional[str]:
    """The document's text while it is open; None once closed (then the file on disk counts)."""
    return document.text if server.documents.get(document.uri) is document else None


def _excluded(server: FastApiPatternsServer, path: str) -> bool:
    folders = [Path(folder) for folder in workspace_folders(server) if path.startswith(folder)]
    return has_default_excluded_part(Path(path), folders[0] if folders else Path(path).parent)
