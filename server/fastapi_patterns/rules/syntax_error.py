"""FAP001 syntax-error: the file does not parse, so no other rule can look at it."""

from __future__ import annotations

import re
import sys
from typing import Any

from ..engine.config import Config
from ..engine.document import Document
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Finding, Severity, Span

_NEWER_SYNTAX = (
    (re.compile(r"^\s*type\s+\w+(\[.*\])?\s*="), "a `type` alias statement", "3.12"),
    (re.compile(r"^\s*(async\s+)?(def|class)\s+\w+\s*\["), "a type parameter list", "3.12"),
    (re.compile(r"""\bf(["']).*\{[^}]*\1"""), "an f-string that reuses its own quotes", "3.12"),
    (re.compile(r"^\s*except\s*\*"), "an `except*` clause", "3.11"),
)


class SyntaxErrorRule(Rule):
    """
    ## What it does
    Reports a file that Python cannot parse, at the position the parser gives, with its reason.

    When the file is valid for a newer Python than the one running fastapi-patterns (for example a `type`
    alias statement, which needs Python 3.12, checked by a 3.11 interpreter), the message says which syntax
    and which Python version it needs, instead of calling valid code broken.

    ## Why is this bad?
    A file that does not parse cannot be imported, and no other rule can check it: every other finding for it
    is missing until the syntax error is fixed. In the editor, the findings from the last version that parsed
    stay visible (moved along with your edits) while you type.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI(

    @app.get("/")
    def root():
        return {}
    ```

    Use instead:
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/")
    def root() -> dict[str, str]:
        return {}
    ```
    """

    code = "FAP001"
    name = "syntax-error"
    message = "{reason}"
    severity = Severity.ERROR
    node_types = ()

    VALID = (
        Valid("from fastapi import FastAPI\napp = FastAPI()\n"),
        Valid("x = (1,\n     2)\n"),
        Valid("import fastapi\ndef f(command):\n    match command:\n        case {'go': where}:\n"
              "            return where\n        case _:\n            return (n := 0)\n"),
        Valid("import fastapi\nasync def f(rows):\n    async with rows as r:\n        return [x async for x in r]\n"),
        Valid("def f(:\n    pass\n"),  # mentions no framework: not parsed at all, so not reported
        Valid("import fastapi\ntry:\n    pass\nexcept* ValueError:\n    pass\n"),
        Valid("import fastapi\r\nx = 1\r\n"),
    )
    INVALID = (
        Invalid("from fastapi import FastAPI\napp = FastAPI(\n"),
        Invalid("import fastapi\ndef f(:\n    pass\n"),
        Invalid("import fastapi\nif True:\nprint('x')\n"),
        *((Invalid("from fastapi import FastAPI\ntype Handler = FastAPI\n"),) if sys.version_info < (3, 12) else ()),
        Invalid("import fastapi\ndef f(x):\n    return x +\n"),
        Invalid("import fastapi\nname = 'unterminated\n"),
        Invalid("import fastapi\ndef f():\n\treturn 1\n        return 2\n"),
        Invalid("import fastapi\nx = 1\0\n"),
        *((Invalid("import fastapi\ndef first[T](items: list[T]) -> T:\n    return items[0]\n"),)
          if sys.version_info < (3, 12) else ()),
    )

    def visit(self, node: Any, ctx: RuleContext) -> None:  # pragma: no cover - driven by finding_for
        return None

    @classmethod
    def finding_for(cls, document: Document, config: Config) -> Finding:
        problem = document.syntax_problem
        assert problem is not None
        line, column = problem.line, problem.column
        reason = f"SyntaxError: {problem.message} (line {line + 1}, column {column + 1})"
        newer = _newer_python_syntax(document)
        if newer is not None:
            what, version = newer
            running = f"{sys.version_info.major}.{sys.version_info.minor}"
            reason = (
                f"This file uses {what}, which needs Python {version}+, but fastapi-patterns runs on Python "
                f"{running}: run fastapi-patterns with the project's own interpreter"
            )
        end = len(document.line_text(line))
        span = Span.of(line, column, line, max(end, column + 1) if end > column else column)
        return Finding(cls.code, cls.name, reason, config.severity_of(cls.code, cls.severity), span)


def _newer_python_syntax(document: Document) -> "tuple[str, str] | None":
    """(what, version) when the text is valid for a newer Python grammar than the running one."""
    running = sys.version_info[:2]
    if not any(pattern.search(line) for pattern, _, _ in _NEWER_SYNTAX for line in document.lines):
        return None
    try:
        import libcst

        libcst.parse_module(document.source)
    except Exception:
        return None
    for pattern, what, version in _NEWER_SYNTAX:
        major, minor = (int(p) for p in version.split("."))
        if (major, minor) > running and any(pattern.search(line) for line in document.lines):
            return what, version
    return None  # libcst also accepts some code CPython rejects: claim newer syntax only when it is recognised
