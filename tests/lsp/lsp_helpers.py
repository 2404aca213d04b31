"""Driving the language server over stdio in tests: a recording client, a session object and text helpers.

The client records every `publishDiagnostics` (not only the last per file), answers `client/registerCapability`,
and keeps pytest-lsp's other handlers (log and show messages, configuration). `Session` opens and edits
documents and reads diagnostics the way the client would get them: pulled when its capabilities say it pulls,
pushed otherwise. Positions are converted here independently of the server, from the encoding it negotiated.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional, Sequence

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES

ROOT = Path(__file__).resolve().parents[2]
CLIENT_NAMES = ("visual_studio_code", "neovim", "neovim@v0.6.1")
WAIT_LIMIT = 20.0  # only guards against a hang; no assertion depends on time
HOOKED_SERVER = Path(__file__).with_name("hooked_server.py")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class RecordingClient(LanguageClient):
    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.changed = asyncio.Condition()


def make_client() -> RecordingClient:
    client = RecordingClient()
    for method, handler in DEFAULT_CLIENT_FEATURES.items():
        if method != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            client.feature(method)(handler)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    async def record(params: types.PublishDiagnosticsParams) -> None:
        client.published.append(params)
        client.diagnostics[params.uri] = params.diagnostics
        async with client.changed:
            client.changed.notify_all()

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        return None

    return client


def server_config(hooked: bool = False) -> ClientServerConfig:
    command = [sys.executable, str(HOOKED_SERVER)] if hooked else [sys.executable, "-m", "fastapi_patterns.lsp"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "server"), os.environ.get("PYTHONPATH", "")])}
    return ClientServerConfig(server_command=command, client_factory=make_client, server_env=env)


@dataclass
class Session:
    client: RecordingClient
    name: str
    folder: Path
    result: Optional[types.InitializeResult] = None
    versions: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def encoding(self) -> str:
        assert self.result is not None
        return str(self.result.capabilities.position_encoding or "utf-16")

    @property
    def pulls(self) -> bool:
        assert self.client.capabilities is not None
        return self.client.capabilities.text_document is not None and \
            self.client.capabilities.text_document.diagnostic is not None

    def uri(self, name: str) -> str:
        return (self.folder / name).as_uri()

    def open(self, name_or_uri: str, text: str, language_id: str = "python") -> str:
        uri = name_or_uri if ":" in name_or_uri else self.uri(name_or_uri)
        self.versions[uri], self.texts[uri] = 1, text
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, language_id, 1, text))
        )
        return uri

    def change(self, uri: str, edits: Sequence[types.TextEdit]) -> int:
        """Send incremental changes (applied in order) and return the new version."""
        self.versions[uri] += 1
        for edit in edits:
            self.texts[uri] = apply_edits(self.texts[uri], [edit], self.encoding)
        changes = [types.TextDocumentContentChangePartial(range=e.range, text=e.new_text) for e in edits]
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]), changes,
        ))
        return self.versions[uri]

    async def wait_published(self, uri: str, version: int) -> types.PublishDiagnosticsParams:
        def found() -> Optional[types.PublishDiagnosticsParams]:
            return next((p for p in self.client.published if p.uri == uri and p.version == version), None)

        async with self.client.changed:
            await asyncio.wait_for(self.client.changed.wait_for(lambda: found() is not None), WAIT_LIMIT)
        result = found()
        assert result is not None
        return result

    async def next_published(self, uri: str, after: int) -> types.PublishDiagnosticsParams:
        """The first publication for `uri` among those recorded after the first `after` publications."""
        def found() -> Optional[types.PublishDiagnosticsParams]:
            return next((p for p in self.client.published[after:] if p.uri == uri), None)

        async with self.client.changed:
            await asyncio.wait_for(self.client.changed.wait_for(lambda: found() is not None), WAIT_LIMIT)
        result = found()
        assert result is not None
        return result

    async def diagnostics_after_settings_change(self, uri: str, mark: int) -> list[types.Diagnostic]:
        """Diagnostics once the server has reacted to a settings change made after `mark` publications."""
        if self.pulls:
            return await self.pull(uri)
        return list((await self.next_published(uri, mark)).diagnostics)

    async def pull(self, uri: str) -> list[types.Diagnostic]:
        report = await asyncio.wait_for(self.client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri))
        ), WAIT_LIMIT)
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        return list(report.items)

    async def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        """The diagnostics of the current version, as this client receives them."""
        if self.pulls:
            return await self.pull(uri)
        return list((await self.wait_published(uri, self.versions[uri])).diagnostics)

    async def code_actions(self, uri: str, range_: types.Range, only: Optional[list[str]] = None,
                           diagnostics: Sequence[types.Diagnostic] = ()) -> list[types.CodeAction]:
        result = await asyncio.wait_for(self.client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(uri), range_, types.CodeActionContext(list(diagnostics), only=only),
        )), WAIT_LIMIT)
        return [action for action in result or [] if isinstance(action, types.CodeAction)]

    def edits_of(self, action: types.CodeAction, uri: str) -> tuple[Optional[int], list[types.TextEdit]]:
        """(document version or None, edits) of an action's workspace edit for `uri`."""
        assert action.edit is not None
        if action.edit.document_changes:
            (change,) = action.edit.document_changes
            assert isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri
            return change.text_document.version, [e for e in change.edits if isinstance(e, types.TextEdit)]
        assert action.edit.changes is not None
        return None, list(action.edit.changes[uri])


def capabilities_of(name: str) -> types.ClientCapabilities:
    return client_capabilities(name)


def initialize_params(name: str, folders: Sequence[Path], options: Any = None) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=capabilities_of(name),
        initialization_options=options,
        workspace_folders=[types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in folders],
        root_uri=folders[0].as_uri() if folders else None,
    )


# -- text and positions, computed independently of the server ---------------------------------------------


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def position_of(text: str, needle: str, encoding: str, occurrence: int = 0) -> types.Position:
    """The client position of the start of `needle` (its `occurrence`-th appearance) in `text`."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    before = _LINE_BREAK.split(text[:index])
    return types.Position(line=len(before) - 1, character=units(before[-1], encoding))


def range_of(text: str, needle: str, encoding: str, occurrence: int = 0) -> types.Range:
    start = position_of(text, needle, encoding, occurrence)
    return types.Range(start=start, end=types.Position(start.line, start.character + units(needle, encoding)))


def _offset(text: str, position: types.Position, encoding: str) -> int:
    starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
    start = starts[position.line]
    line_end = _LINE_BREAK.search(text, start)
    line = text[start : line_end.start() if line_end else len(text)]
    count = 0
    for column, char in enumerate(line):
        if count >= position.character:
            return start + column
        count += units(char, encoding)
    return start + len(line)


def apply_edits(text: str, edits: Sequence[types.TextEdit], encoding: str) -> str:
    """Apply non-overlapping edits the way an editor does: each range read against the original text."""
    spans = sorted(
        ((_offset(text, e.range.start, encoding), _offset(text, e.range.end, encoding), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


StartSession = Callable[..., Awaitable[Session]]  # the type of the `start_session` fixture
