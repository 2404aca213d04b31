"""Diagnostics, pushed and pulled.

Push (`textDocument/publishDiagnostics`, with the document version) serves clients that do not pull: each
document has at most one pending analysis, started after a debounce and cancelled by the next change, and a
result whose version has moved on is dropped. Pull (`textDocument/diagnostic`) answers from the per-version
cache, analysing on demand; a client that pulls receives no pushes, so nothing shows twice.
"""

from __future__ import annotations

import asyncio

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from ..analysis import current_analysis, is_analysed, shown_diagnostics
from ...engine import Analysis
from ..convert import SOURCE
from ..documents import OpenDocument
from ..server import FastApiPatternsServer

PULL_ATTEMPTS = 3


def schedule(server: FastApiPatternsServer, document: OpenDocument, delay: float) -> None:
    """(Re)start the debounced analysis and publication of `document`; a no-op for pulling clients."""
    document.cancel_pending()
    if server.uses_pull_diagnostics or server.shutdown_requested:
        return
    document.pending = asyncio.ensure_future(_publish_later(server, document, delay))


async def _publish_later(server: FastApiPatternsServer, document: OpenDocument, delay: float) -> None:
    if delay > 0:
        await asyncio.sleep(delay)
    if not is_analysed(server, document):
        _publish(server, document, [])
        return
    version = document.version
    analysis = await current_analysis(server, document)
    if analysis is None or document.version != version or server.documents.get(document.uri) is not document:
        return  # the document moved on: this result is never shown
    _publish(server, document, shown_diagnostics(server, document, analysis))


def _publish(server: FastApiPatternsServer, document: OpenDocument, diagnostics: list[types.Diagnostic]) -> None:
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=document.uri, diagnostics=diagnostics, version=document.version)
    )


def clear_diagnostics(server: FastApiPatternsServer, document: OpenDocument) -> None:
    if not server.uses_pull_diagnostics:
        _publish(server, document, [])


def refresh_all(server: FastApiPatternsServer) -> None:
    """After a settings or configuration change: re-check open documents (push) or ask the client to pull."""
    if server.uses_pull_diagnostics:
        if server.capability(("workspace", "diagnostics", "refresh_support"), False):
            asyncio.ensure_future(_ask_client_to_pull(server))
        return
    for document in list(server.documents.values()):
        schedule(server, document, delay=0.0)


def recheck(server: FastApiPatternsServer, documents: list[OpenDocument]) -> None:
    """Analyse again the documents whose cross-file findings may have changed; show the result only where it
    did change (a re-check that finds the same never reaches the client)."""
    if documents:
        asyncio.ensure_future(_recheck(server, documents))


async def _recheck(server: FastApiPatternsServer, documents: list[OpenDocument]) -> None:
    changed = False
    for document in documents:
        previous = document.analysis
        version = document.version
        document.analysis = None
        analysis = await current_analysis(server, document)
        if analysis is None or document.version != version or server.documents.get(document.uri) is not document:
            continue  # moved on or closed: the newer analysis shows itself
        if previous is not None and previous[0] == version and _same(previous[2], analysis):
            continue
        changed = True
        if not server.uses_pull_diagnostics and not server.shutdown_requested:
            _publish(server, document, shown_diagnostics(server, document, analysis))
    if changed and server.uses_pull_diagnostics and \
            server.capability(("workspace", "diagnostics", "refresh_support"), False):
        await _ask_client_to_pull(server)


def _same(before: Analysis, after: Analysis) -> bool:
    def key(analysis: Analysis) -> list[tuple[str, str, object]]:
        return [(f.code, f.message, f.span) for f in analysis.findings]
    return before.parsed == after.parsed and key(before) == key(after)


async def _ask_client_to_pull(server: FastApiPatternsServer) -> None:
    try:
        await server.workspace_diagnostic_refresh_async(None)
    except Exception as error:  # the client keeps what it has; the next edit pulls again
        server.log(f"fastapi-patterns: workspace/diagnostic/refresh failed: {error}", types.MessageType.Warning)


def register(server: FastApiPatternsServer) -> None:
    options = types.DiagnosticOptions(
        identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False
    )

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, options)
    async def pull(params: types.DocumentDiagnosticParams) -> types.RelatedFullDocumentDiagnosticReport:
        document = server.documents.get(params.text_document.uri)
        if document is None or not is_analysed(server, document):
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        for _ in range(PULL_ATTEMPTS):
            version, generation = document.version, server.settings_generation
            analysis = await current_analysis(server, document)
            unchanged = document.version == version and server.settings_generation == generation
            if analysis is None and unchanged:
                return types.RelatedFullDocumentDiagnosticReport(items=[])  # the analysis failed (logged)
            if analysis is None or not unchanged:
                continue
            items = shown_diagnostics(server, document, analysis)
            return types.RelatedFullDocumentDiagnosticReport(items=items)
        raise JsonRpcException(
            message="the document changed while it was being analysed",
            code=types.LSPErrorCodes.ServerCancelled.value,
            data={"retriggerRequest": True},
        )
