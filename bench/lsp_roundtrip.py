"""Editor round trip through the real server over stdio: an edit (didChange) until its diagnostics arrive.

Two figures per file size: pull (didChange, then `textDocument/diagnostic`, timed to the answer) and push
(didChange timed to the `publishDiagnostics` of that version, with the debounce set to zero). Medians are
printed; the server is the installed `python -m fastapi_patterns`.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from lsprotocol import types as lsp
from pygls.lsp.client import BaseLanguageClient

from generate import generate_module

URI = "file:///bench/module.py"


async def _measure(lines: int, repeat: int) -> tuple[float, float]:
    client = BaseLanguageClient("bench", "1")
    published: dict[int, asyncio.Future[float]] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: lsp.PublishDiagnosticsParams) -> None:
        future = published.get(params.version or -1)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    await client.start_io(sys.executable, "-m", "fastapi_patterns")
    await client.initialize_async(lsp.InitializeParams(
        capabilities=lsp.ClientCapabilities(),
        initialization_options={"debounce-ms": 0},
    ))
    client.initialized(lsp.InitializedParams())
    text = generate_module(lines)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        lsp.TextDocumentItem(uri=URI, language_id="python", version=1, text=text)))
    pull: list[float] = []
    push: list[float] = []
    version = 1
    for index in range(repeat):
        # pull: change, then ask
        version += 1
        edited = text + f"\n# edit {index}\n"
        client.text_document_did_change(_change(version, edited))
        start = time.perf_counter()
        await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(
            text_document=lsp.TextDocumentIdentifier(uri=URI)))
        pull.append(time.perf_counter() - start)
        # push: change and wait for that version's publish
        version += 1
        loop = asyncio.get_running_loop()
        published[version] = loop.create_future()
        start = time.perf_counter()
        client.text_document_did_change(_change(version, text + f"\n# push {index}\n"))
        try:
            done = await asyncio.wait_for(published[version], timeout=30)
            push.append(done - start)
        except asyncio.TimeoutError:
            pass
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return statistics.median(pull), statistics.median(push) if push else float("nan")


def _change(version: int, text: str) -> lsp.DidChangeTextDocumentParams:
    return lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=URI, version=version),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
    )


def bench_lsp(repeat: int = 20) -> None:
    print(f"## language server round trip, didChange to diagnostics (median of {repeat})")
    for lines in (500, 5000):
        pull, push = asyncio.run(_measure(lines, repeat))
        print(f"  {lines:>5} lines: pull {pull * 1000:7.1f} ms   push {push * 1000:7.1f} ms")
