"""Code actions: each fix of a finding as a quick fix, "disable for this line", and fix-all (safe fixes only).

Actions are built in the worker pool from one snapshot of the document (text, lines, version) and returned
only if the document still has that version, so an edit is never sent for text the client no longer has.
Edits carry the document version when the client accepts `documentChanges`. Fix-all diffs the fixed text
against the current one into a few line edits, cached per version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ...engine import Analysis, Config, FixSafety, apply_fixes
from ...engine.document import Document
from ...engine.suppression import noqa_edit
from ...engine.types import Finding, Span
from ..analysis import current_analysis, is_analysed
from ..convert import (
    SOURCE,
    from_client_range,
    minimal_text_edits,
    span_of_diagnostic,
    to_diagnostic,
    to_text_edits,
)
from ..server import FastApiPatternsServer, run_in_worker

FIX_ALL_KIND = "source.fixAll.fastapi-patterns"
FIX_ALL_TITLE = "Fix all fastapi-patterns problems (safe fixes)"
NOT_SUPPRESSIBLE = frozenset({"FAP001"})


@dataclass(frozen=True)
class Snapshot:
    """One version of one document, as the worker thread sees it."""

    uri: str
    version: Optional[int]
    text: str
    lines: list[str]
    path: str
    codec: PositionCodec
    versioned_edits: bool

    def workspace_edit(self, edits: Sequence[types.TextEdit]) -> types.WorkspaceEdit:
        if self.versioned_edits:
            identifier = types.OptionalVersionedTextDocumentIdentifier(uri=self.uri, version=self.version)
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(identifier, list(edits))])
        return types.WorkspaceEdit(changes={self.uri: list(edits)})


def requested(only: Optional[Sequence[str]], kind: str) -> bool:
    """Whether an action of `kind` answers a request for the kinds in `only` (a kind covers its sub-kinds)."""
    if only is None:
        return True
    text = _kind_text(kind)
    return any(text == _kind_text(wanted) or text.startswith(_kind_text(wanted) + ".") for wanted in only)


def _kind_text(kind: str) -> str:
    return kind.value if isinstance(kind, types.CodeActionKind) else kind


def quick_fixes(snapshot: Snapshot, analysis: Analysis, params: types.CodeActionParams) -> list[types.CodeAction]:
    wanted = from_client_range(snapshot.lines, snapshot.codec, params.range)
    sent: dict[tuple[str, Span], types.Diagnostic] = {}
    for diagnostic in params.context.diagnostics:
        if diagnostic.source == SOURCE and isinstance(diagnostic.code, str):
            span = span_of_diagnostic(diagnostic, snapshot.lines, snapshot.codec, snapshot.version)
            sent[(diagnostic.code, span)] = diagnostic
    actions: list[types.CodeAction] = []
    document: Optional[Document] = None
    for finding in analysis.findings:
        echoed = sent.get((finding.code, finding.span))
        touches = finding.span.start <= wanted.end and wanted.start <= finding.span.end
        if echoed is None and not touches:
            continue
        diagnostic = echoed or to_diagnostic(finding, finding.span, snapshot.lines, snapshot.codec, snapshot.version)
        actions.extend(_fix_actions(snapshot, analysis, finding, diagnostic))
        if finding.code not in NOT_SUPPRESSIBLE:
            document = document or Document(snapshot.text, snapshot.path)
            edit = noqa_edit(document, finding.span.start.line, finding.code)
            actions.append(types.CodeAction(
                title=f"Disable {finding.code} for this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=snapshot.workspace_edit(to_text_edits([edit], snapshot.lines, snapshot.codec)),
            ))
    return actions


def _fix_actions(snapshot: Snapshot, analysis: Analysis, finding: Finding,
                 diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    actions = []
    for fix in analysis.fixes_for(finding):
        if fix.safety is FixSafety.DISPLAY_ONLY or not fix.edits:
            continue
        safe = fix.safety is FixSafety.SAFE
        actions.append(types.CodeAction(
            title=fix.title if safe else f"{fix.title} (unsafe)",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            is_preferred=safe,
            edit=snapshot.workspace_edit(to_text_edits(fix.edits, snapshot.lines, snapshot.codec)),
        ))
    return actions


def fix_all_edits(snapshot: Snapshot, config: Config) -> list[types.TextEdit]:
    outcome = apply_fixes(snapshot.text, snapshot.path, config)
    if not outcome.changed or outcome.source == snapshot.text:
        return []
    return minimal_text_edits(snapshot.text, outcome.source, snapshot.codec)


def register(server: FastApiPatternsServer) -> None:
    options = types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, FIX_ALL_KIND],
        resolve_provider=False,
    )

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, options)
    async def code_action(params: types.CodeActionParams) -> Optional[list[types.CodeAction]]:
        document = server.documents.get(params.text_document.uri)
        if document is None or not is_analysed(server, document):
            return None
        version, generation = document.version, server.settings_generation
        analysis = await current_analysis(server, document)
        if analysis is None or not analysis.parsed or document.version != version:
            return None
        snapshot = Snapshot(
            document.uri, version, document.text, document.lines, document.analysis_path, server.codec,
            bool(server.capability(("workspace", "workspace_edit", "document_changes"), False)),
        )
        only = params.context.only
        actions: list[types.CodeAction] = []
        if requested(only, types.CodeActionKind.QuickFix):
            actions.extend(await run_in_worker(server, quick_fixes, snapshot, analysis, params))
        explicit = only is not None and requested(only, FIX_ALL_KIND)
        if explicit or (only is None and any(f.fix_safety is FixSafety.SAFE for f in analysis.findings)):
            if document.fix_all is None or document.fix_all[:2] != (version, generation):
                edits = await run_in_worker(server, fix_all_edits, snapshot, server.config_for(document))
                document.fix_all = (version, generation, edits)
            if document.fix_all[2]:
                actions.append(types.CodeAction(
                    title=FIX_ALL_TITLE, kind=FIX_ALL_KIND, edit=snapshot.workspace_edit(document.fix_all[2])
                ))
        if (server.documents.get(document.uri) is not document or document.version != version
                or server.settings_generation != generation):
            return None  # the document moved on while the edits were built: never send stale edits
        return actions
