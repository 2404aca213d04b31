"""The language server with three test hooks, run as a script by the end-to-end tests.

- An analysis of a text containing `# gate: PATH` creates `PATH.started`, waits until `PATH` exists, and creates
  `PATH.finished` when done: the tests control exactly when a slow analysis ends.
- A rule FAP990 that raises on any call to a function named `explode`, to see a failing rule logged.
- A one-entry snippet catalog, so completion is tested on a known item whatever the real catalog holds.
"""

from __future__ import annotations

import ast
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "server"))

from fastapi_patterns import snippets
from fastapi_patterns.engine import Analysis, Config, analyze
from fastapi_patterns.engine.rule import Rule, RuleContext
from fastapi_patterns.lsp.server import create_server
from fastapi_patterns.rules import ALL_RULES
from fastapi_patterns.snippets import Snippet

GATE = re.compile(r"# gate: (\S+)")
TEST_SNIPPET = Snippet(
    "fastapi-ping", "A ping route", '@app.get("/${1:ping}")\nasync def ${1:ping}() -> str:\n    return "${2:pong}"\n'
)


class ExplodingRule(Rule):
    """Raises on purpose."""

    code = "FAP990"
    name = "exploding-rule"
    message = "never reported"
    node_types = (ast.Call,)

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "explode":
            raise RuntimeError("boom")


def gated_analyze(source: str, path: str, config: Config, workspace: Any = None) -> Analysis:
    match = GATE.search(source)
    if match is not None:
        gate = Path(match.group(1))
        Path(f"{gate}.started").touch()
        deadline = time.monotonic() + 30
        while not gate.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    result = analyze(source, path, config, workspace, rules=[*ALL_RULES, ExplodingRule()])
    if match is not None:
        Path(f"{match.group(1)}.finished").touch()
    return result


def main() -> Any:
    snippets.SNIPPETS = (TEST_SNIPPET,)
    server = create_server(analyzer=gated_analyze)
    server.start_io(sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
