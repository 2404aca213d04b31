"""Running the engine for an open document: off the event loop, cached per version, never stale.

`current_analysis` returns the analysis of the document's current version under the current settings,
from the cache or computed in the worker pool; when the document (or the settings) moved on while the work
ran, the result is dropped and None is returned. `shown_diagnostics` turns an analysis into the protocol
diagnostics the client sees, carrying the last good findings while the file does not parse.
"""

from __future__ import annotations

import asyncio
from typing import Optional

from lsprotocol import types

from ..engine import Analysis
from .convert import to_diagnostic
from .documents import OpenDocument
from .memory import idle_collector
from .server import FastApiPatternsServer, run_in_worker


def is_analysed(server: FastApiPatternsServer, document: OpenDocument) -> bool:
    """Python documents that the configuration does not exclude."""
    if not document.is_python:
        return False
    path = document.fs_path
    return path is None or not server.config_for(document).is_excluded(path)


async def current_analysis(server: FastApiPatternsServer, document: OpenDocument) -> Optional[Analysis]:
    """The analysis of the current version; a request that arrives while the same version is being analysed
    (a pull right after the push an edit started) waits for that work instead of repeating it."""
    version, generation = document.version, server.settings_generation
    cached = document.cached(generation)
    if cached is not None:
        return cached
    key = (version, generation)
    running = document.in_flight.get(key)
    if running is not None:
        try:
            return await asyncio.shield(running)
        except asyncio.CancelledError:
            if not running.cancelled():
                raise  # this request itself was cancelled
            # the work we waited for was cancelled (its edit was superseded): do it ourselves
    future: asyncio.Future[Optional[Analysis]] = asyncio.get_running_loop().create_future()
    document.in_flight = {key: future}  # older versions' work is of no interest to a new caller
    try:
        result = await _analyse(server, document, version, generation)
    except BaseException:
        future.cancel()
        raise
    finally:
        if document.in_flight.get(key) is future:
            del document.in_flight[key]
    future.set_result(result)
    return result


async def _analyse(server: FastApiPatternsServer, document: OpenDocument, version: Optional[int],
                   generation: int) -> Optional[Analysis]:
    config = server.config_for(document)
    try:
        workspace = server.indexes.index_for(document.fs_path)
        analysis: Analysis = await run_in_worker(
            server, server.analyzer, document.text, document.analysis_path, config, workspace
        )
    except Exception as error:  # the engine promises not to raise; if it does, log it and show nothing new
        server.log(f"fastapi-patterns: analysing {document.analysis_path} failed: {type(error).__name__}: {error}",
                   types.MessageType.Error)
        return None
    if (server.documents.get(document.uri) is not document or document.version != version
            or server.settings_generation != generation):
        return None
    document.store(version, generation, analysis)
    _report_problems(server, document, analysis)
    idle_collector(server).touch(len(analysis.source))
    return analysis


def _report_problems(server: FastApiPatternsServer, document: OpenDocument, analysis: Analysis) -> None:
    """Rules that raised and skipped files are logged once per document, never shown as a crash."""
    notes = [f"rule {failure.code} failed on {document.analysis_path}: {failure.error}" for failure in analysis.failures]
    if analysis.skipped:
        notes.append(f"{document.analysis_path} was not analysed: {analysis.skipped}")
    for note in notes:
        if note not in document.reported_failures:
            document.reported_failures.add(note)
            server.log(f"fastapi-patterns: {note}", types.MessageType.Warning)


def shown_diagnostics(server: FastApiPatternsServer, document: OpenDocument,
                      analysis: Analysis) -> list[types.Diagnostic]:
    return [
        to_diagnostic(tracked.finding, tracked.span, document.lines, server.codec, document.version)
        for tracked in document.shown_findings(analysis)
    ]
