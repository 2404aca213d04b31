"""The real language server with faults the reliability tests trigger, and a witness of what it publishes.

- Gate: analysing a text that contains `# gate: PATH` creates `PATH.started`, then waits (up to five minutes)
  until `PATH` exists, and creates `PATH.finished`: a test holds an analysis running as long as it likes.
- A rule FAP991 that raises on every call in files whose name contains `explode`, and only there.
- Witness: every `publishDiagnostics` is checked as it is sent. Publishing a version other than the document's
  current one, a version lower than one already published, or findings for a closed document is reported on
  `window/logMessage` as `WITNESS: ...`, which the tests look for.
"""

from __future__ import annotations

import ast
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "server"))

from lsprotocol import types  # noqa: E402

from fastapi_patterns.engine import Analysis, Config, analyze  # noqa: E402
from fastapi_patterns.engine.rule import Rule, RuleContext  # noqa: E402
from fastapi_patterns.lsp.server import FastApiPatternsServer, create_server  # noqa: E402
from fastapi_patterns.rules import ALL_RULES  # noqa: E402

GATE = re.compile(r"# gate: (\S+)")
GATE_LIMIT_SECONDS = 300
WITNESS = "WITNESS: "


class RaisingRule(Rule):
    """Raises on purpose, on one kind of file only."""

    code = "FAP991"
    name = "raising-rule"
    message = "never reported"
    node_types = (ast.Call,)

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        if "explode" in Path(ctx.path).name:
            raise RuntimeError("this rule fails on purpose")


def gated_analyze(source: str, path: str, config: Config, workspace: Any = None) -> Analysis:
    match = GATE.search(source)
    if match is not None:
        gate = Path(match.group(1))
        Path(f"{gate}.started").touch()
        deadline = time.monotonic() + GATE_LIMIT_SECONDS
        while not gate.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    result = analyze(source, path, config, workspace, rules=[*ALL_RULES, RaisingRule()])
    if match is not None:
        Path(f"{match.group(1)}.finished").touch()
    return result


def watch_publications(server: FastApiPatternsServer) -> None:
    publish = server.text_document_publish_diagnostics
    highest: dict[str, int] = {}

    def witnessed(params: types.PublishDiagnosticsParams) -> None:
        document = server.documents.get(params.uri)
        problem = ""
        if document is None and params.diagnostics:
            problem = f"findings published for closed document {params.uri}"
        elif document is not None and params.version != document.version:
            problem = f"version {params.version} published while the document is at {document.version}"
        elif params.version is not None and params.version < highest.get(params.uri, params.version):
            problem = f"version {params.version} published after version {highest[params.uri]}"
        if document is None:
            highest.pop(params.uri, None)  # closed: a reopened document starts its versions again
        elif params.version is not None:
            highest[params.uri] = max(params.version, highest.get(params.uri, params.version))
        if problem:
            server.log(WITNESS + problem, types.MessageType.Error)
        publish(params)

    server.text_document_publish_diagnostics = witnessed  # type: ignore[method-assign]


def create_fault_server() -> FastApiPatternsServer:
    server = create_server(analyzer=gated_analyze)
    watch_publications(server)
    return server


def main() -> int:
    """Serve through the real entry point (its exit codes, its quick exit while an analysis runs)."""
    from fastapi_patterns import lsp
    from fastapi_patterns.lsp import server as server_module

    server_module.create_server = create_fault_server  # type: ignore[assignment]  # what serve() will build
    return lsp.serve("stdio")


if __name__ == "__main__":
    sys.exit(main())
