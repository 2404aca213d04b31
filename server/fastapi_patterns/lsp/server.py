"""The language server object: its state (open documents, settings, config cache, worker pool, workspace
indexes, hooks between features) and wiring.

`create_server()` builds a `FastApiPatternsServer` and registers every feature module on it; nothing is
created at import time. The class offers the small services the features share: the settings and
configuration of a document, the client's capabilities asked as plain questions, and messages to the user
through `window/logMessage` and `window/showMessage` (stdout belongs to the protocol).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import PositionCodec

from .. import __version__
from ..engine import Analysis, Config, analyze
from .documents import OpenDocument
from .hooks import FeatureHooks
from .indexing import WorkspaceIndexes
from .protocol import UNREADABLE_BODY, AnsweringProtocol, answer_unreadable_body
from .settings import ConfigResolver, EditorSettings
from .workers import DaemonWorkers

Analyzer = Callable[[str, str, Config, Any], Analysis]  # (source, path, config, workspace index)
ANALYSIS_WORKERS = 2


class FastApiPatternsServer(LanguageServer):
    """A pygls language server with the state fastapi-patterns keeps between requests."""

    def __init__(self, analyzer: Analyzer = analyze, debounce_ms: Optional[int] = None) -> None:
        super().__init__("fastapi-patterns", __version__, protocol_cls=AnsweringProtocol)
        self.analyzer = analyzer
        self.documents: dict[str, OpenDocument] = {}
        self.settings = EditorSettings()
        self.folder_settings: dict[str, EditorSettings] = {}
        self.settings_generation = 0
        self.debounce_override_ms = debounce_ms
        self.configs = ConfigResolver()
        self.executor = DaemonWorkers(ANALYSIS_WORKERS, name="fastapi-patterns-analysis")
        self.pending_messages: list[str] = []
        self.hooks = FeatureHooks(log_error=lambda text: self.log(text, types.MessageType.Error))
        self.indexes = WorkspaceIndexes()
        self.ready = False
        self.shutdown_requested = False

    # -- documents and their configuration ---------------------------------------------------------------

    @property
    def codec(self) -> PositionCodec:
        return self.workspace.position_codec

    def folder_of(self, document: OpenDocument) -> Optional[str]:
        """The URI of the innermost workspace folder containing the document, if any."""
        path = document.fs_path
        if path is None:
            return None
        folder_uris = [folder.uri for folder in self.workspace.folders.values()]
        if not folder_uris and self.workspace.root_uri:
            folder_uris = [self.workspace.root_uri]  # a client that sent only `rootUri`
        candidates: list[tuple[int, str]] = []
        for uri in folder_uris:
            folder_path = to_fs_path(uri)
            if folder_path is not None and _inside(Path(path), Path(folder_path)):
                candidates.append((len(folder_path), uri))
        return max(candidates)[1] if candidates else None

    def settings_for(self, document: OpenDocument) -> EditorSettings:
        folder = self.folder_of(document)
        return self.folder_settings.get(folder, self.settings) if folder else self.settings

    def debounce_seconds(self, document: OpenDocument) -> float:
        if self.debounce_override_ms is not None:
            return self.debounce_override_ms / 1000
        return self.settings_for(document).debounce_ms / 1000

    def config_for(self, document: OpenDocument) -> Config:
        """Config file (when the document is a file) with editor settings over it; file problems are shown."""
        folder = self.folder_of(document)
        root = to_fs_path(folder) if folder else None
        config, problems = self.configs.resolve(document.fs_path, self.settings_for(document), root)
        for problem in problems:
            self.show_warning(f"fastapi-patterns: {problem}; defaults apply to this key")
        return config

    def settings_changed(self) -> None:
        self.settings_generation += 1
        for document in self.documents.values():
            document.fix_all = None

    # -- client capabilities -------------------------------------------------------------------------------

    def capability(self, path: Sequence[str], default: Any = None) -> Any:
        """A nested client capability by attribute path, `default` when any step is missing."""
        value: Any = self.client_capabilities
        for name in path:
            value = getattr(value, name, None)
            if value is None:
                return default
        return value

    @property
    def uses_pull_diagnostics(self) -> bool:
        """A client that pulls diagnostics gets no pushed ones (they would show twice)."""
        return self.capability(("text_document", "diagnostic")) is not None

    # -- messages --------------------------------------------------------------------------------------------

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def show_warning(self, message: str) -> None:
        """A visible warning; queued until the client has been initialised."""
        if not self.ready:
            self.pending_messages.append(message)
            return
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
        self.log(message, types.MessageType.Warning)

    def mark_ready(self) -> None:
        self.ready = True
        queued, self.pending_messages = self.pending_messages, []
        for message in queued:
            self.show_warning(message)

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Unexpected errors go to the log, never to a pop-up; a body that is not JSON is answered (see
        `protocol`), and a request for an unknown method, already answered, is not an error of ours."""
        if isinstance(error, UNREADABLE_BODY):
            answer_unreadable_body(self.protocol)
            self.log(f"fastapi-patterns: a message that is not JSON was refused ({error})", types.MessageType.Warning)
            return
        if isinstance(error, JsonRpcMethodNotFound):
            return
        try:
            self.log(f"fastapi-patterns internal error: {type(error).__name__}: {error}", types.MessageType.Error)
        except Exception:  # the connection itself may be gone
            pass

    def stop_background_work(self) -> None:
        for document in self.documents.values():
            document.cancel_pending()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.indexes.shutdown()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def create_server(analyzer: Analyzer = analyze, debounce_ms: Optional[int] = None) -> FastApiPatternsServer:
    """A new, fully registered server. `analyzer` and `debounce_ms` exist for tests and embedding."""
    from .features import (
        code_actions,
        completion,
        configuration,
        diagnostics,
        hover,
        lifecycle,
        route_hover,
        route_lens,
        route_navigation,
        route_symbols,
        text_sync,
        workspace_index,
    )

    server = FastApiPatternsServer(analyzer, debounce_ms)
    for feature in (configuration, lifecycle, text_sync, diagnostics, code_actions, hover, completion,
                    workspace_index, route_symbols, route_lens, route_hover, route_navigation):
        feature.register(server)
    return server


async def run_in_worker(server: FastApiPatternsServer, function: Callable[..., Any], *args: Any) -> Any:
    """Run blocking work in the server's pool, off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(server.executor, function, *args)
