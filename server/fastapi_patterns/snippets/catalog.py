"""The snippet catalog: completion templates for FastAPI code that already follows every rule.

A `Snippet` is data: the prefix the user types, a one-line description, and a body in LSP snippet syntax
(`${1:default}` tab stops, the same number with the same default wherever one name repeats, `$0` for the final
cursor). `plain_text()` expands a body with its defaults, which is what clients without snippet support receive
and what the tests analyse. The bodies live in `operations.py` (path operations) and `modules.py` (whole
modules and the exception handler).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import modules, operations

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


SNIPPETS: tuple[Snippet, ...] = (
    Snippet("fastapi-app", "FastAPI app with lifespan, CORS and a health route", modules.APP),
    Snippet("fastapi-router", "APIRouter module: list, get, create, update and delete", operations.ROUTER),
    Snippet("fastapi-get", "GET path operation: one object by id, 404 when missing", operations.GET),
    Snippet("fastapi-post", "POST path operation that creates an object (201 Created)", operations.POST),
    Snippet("fastapi-put", "PUT path operation that replaces every field, 404 when missing", operations.PUT),
    Snippet("fastapi-patch", "PATCH path operation that changes only the fields sent", operations.PATCH),
    Snippet("fastapi-delete", "DELETE path operation (204 No Content), 404 when missing", operations.DELETE),
    Snippet("fastapi-models", "Pydantic models: Base, Create, Update (all optional), Response", modules.MODELS),
    Snippet("fastapi-settings", "pydantic-settings Settings and a cached get_settings dependency", modules.SETTINGS),
    Snippet("fastapi-db-session", "Async SQLAlchemy engine, session factory and get_db dependency",
            modules.DB_SESSION),
    Snippet("fastapi-current-user", "OAuth2 bearer dependency that decodes a JWT and loads the user",
            modules.CURRENT_USER),
    Snippet("fastapi-exception-handler", "Custom exception and the handler that turns it into a response",
            modules.EXCEPTION_HANDLER),
    Snippet("fastapi-test", "Tests with TestClient and AsyncClient, dependency overrides cleared", modules.TEST),
)
