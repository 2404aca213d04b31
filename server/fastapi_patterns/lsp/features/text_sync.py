"""Document synchronisation: open, change, save and close keep the server's copy of each document current.

Every change is replayed on the server's own text (moving the carried findings of a file that does not parse)
and schedules a debounced analysis; saving analyses at once. A change whose version does not grow starts the
document afresh, so nothing computed for an earlier text can be shown or applied as current. Saving a
configuration file forgets the cached configuration and re-checks every open document. Opening, editing and
closing are also announced to the subscribers of the server's hooks (the workspace index).
"""

from __future__ import annotations

from pathlib import PurePath

from lsprotocol import types

from ..documents import OpenDocument
from ..server import FastApiPatternsServer
from .diagnostics import clear_diagnostics, refresh_all, schedule

CONFIG_FILE_NAMES = ("pyproject.toml", "fastapi-patterns.toml")


def register(server: FastApiPatternsServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        previous = server.documents.pop(item.uri, None)
        if previous is not None:
            previous.cancel_pending()
        document = OpenDocument(item.uri, item.text, item.version, item.language_id or "")
        server.documents[item.uri] = document
        schedule(server, document, delay=0.0)
        server.hooks.notify(server.hooks.document_changed, document)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        document = server.documents.get(params.text_document.uri)
        if document is None:
            return
        version = params.text_document.version
        if document.version is not None and version is not None and version <= document.version:
            # Versions only grow. A repeated or older one is the client's mistake; work done for the text it
            # had under that number must not pass for current, so the document starts afresh.
            document.cancel_pending()
            document = OpenDocument(document.uri, document.text, document.version, document.language_id)
            server.documents[document.uri] = document
        for change in params.content_changes:
            document.apply_change(change, server.codec)
        document.version = params.text_document.version
        schedule(server, document, delay=server.debounce_seconds(document))
        server.hooks.notify(server.hooks.document_changed, document)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if PurePath(uri).name in CONFIG_FILE_NAMES:
            server.configs.clear()
            server.settings_changed()
            refresh_all(server)
            return
        document = server.documents.get(uri)
        if document is not None:
            schedule(server, document, delay=0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        document = server.documents.pop(params.text_document.uri, None)
        if document is not None:
            document.cancel_pending()
            clear_diagnostics(server, document)
            server.hooks.notify(server.hooks.document_closed, document)
