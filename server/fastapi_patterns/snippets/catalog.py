"""Snippet data. (Filled in by the snippet catalog work; the shape is fixed here.)"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"\$\{(\d+):([^{}]*)\}|\$\{(\d+)\}|\$(\d+)")


@dataclass(frozen=True)
class Snippet:
    prefix: str  # what the user types, e.g. "fastapi-get"
    description: str  # one line shown in the completion list
    body: str  # LSP snippet syntax: ${1:default}, $0

    def plain_text(self) -> str:
        """The body with every placeholder replaced by its default (tab stops without one vanish)."""
        previous = None
        text = self.body
        while previous != text:
            previous = text
            text = _PLACEHOLDER.sub(lambda m: m.group(2) if m.group(2) is not None else "", text)
        return text.replace("\\$", "$").replace("\\}", "}")


SNIPPETS: tuple[Snippet, ...] = ()
