"""Suppression comments: `# noqa`, `# noqa: FAP101, FAP205` and `# fastapi-patterns: disable-file`.

Comments are found with the tokenizer, so a `# noqa` inside a string is not a comment. Tokenizing is only done
when the text mentions one of the markers, which keeps clean files at the cost of a substring test. The module
also computes the edit that adds a code to a line's `# noqa` (extending an existing one), used by the editor's
"disable for this line" action.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Optional

from .document import Document
from .types import Edit, Position, Span

NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?", re.IGNORECASE)
DISABLE_FILE = re.compile(r"#\s*fastapi-patterns:\s*disable-file\b", re.IGNORECASE)
CODE = re.compile(r"[A-Za-z]+[0-9]+")


@dataclass(frozen=True)
class NoqaComment:
    line: int
    codes: Optional[frozenset[str]]  # None: a bare `# noqa` (everything on the line)
    span: Span  # the `# noqa...` text itself
    codes_span: Optional[Span]  # where the list of codes is, for hover


@dataclass
class Suppressions:
    disable_file: bool = False
    by_line: dict[int, NoqaComment] = field(default_factory=dict)

    def suppresses(self, line: int, code: str) -> bool:
        if self.disable_file:
            return True
        comment = self.by_line.get(line)
        return comment is not None and (comment.codes is None or code in comment.codes)


def comments(document: Document) -> list[tuple[int, int, str]]:
    """(line, column, text) of every comment token; falls back to a plain scan when tokenizing fails."""
    found: list[tuple[int, int, str]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(document.source).readline):
            if token.type == tokenize.COMMENT:
                found.append((token.start[0] - 1, token.start[1], token.string))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        found = [(i, line.index("#"), line[line.index("#"):]) for i, line in enumerate(document.lines) if "#" in line]
    return found


def parse_suppressions(document: Document) -> Suppressions:
    result = Suppressions()
    lowered = document.source.lower()
    if "noqa" not in lowered and "fastapi-patterns:" not in lowered:
        return result
    for line, column, text in comments(document):
        if DISABLE_FILE.search(text):
            result.disable_file = True
        match = NOQA.search(text)
        if match is None:
            continue
        start = column + match.start()
        codes_text = match.group("codes")
        codes = frozenset(c.upper() for c in CODE.findall(codes_text)) if codes_text else None
        codes_span = None
        if codes_text:
            codes_start = column + match.start("codes")
            codes_span = Span.of(line, codes_start, line, codes_start + len(codes_text))
        result.by_line[line] = NoqaComment(line, codes, Span.of(line, start, line, column + match.end()), codes_span)
    return result


def noqa_edit(document: Document, line: int, code: str) -> Edit:
    """The edit that makes `code` suppressed on `line`: extend an existing `# noqa: ...` or append one."""
    existing = parse_suppressions(document).by_line.get(line)
    text = document.line_text(line)
    if existing is not None and existing.codes is not None:
        merged = ", ".join(sorted(existing.codes | {code}))
        return Edit(existing.span, f"# noqa: {merged}")
    if existing is not None:
        return Edit(existing.span, f"# noqa: {code}")  # pragma: no cover - a bare noqa already hides it
    end = len(text.rstrip())
    return Edit(Span(Position(line, end), Position(line, len(text))), f"  # noqa: {code}")
