"""Extension points between features: pygls lets one handler answer each protocol method, so a feature that
must also react to a method another feature owns (document changes, `initialized`, watched files, workspace
folders) subscribes here, and hover and completion ask the providers registered here before their own answer.

The owning handler calls every subscriber in registration order; a subscriber that raises is logged and never
stops the handler or the other subscribers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Optional

from lsprotocol import types

from ..engine.types import Position, Span
from .documents import OpenDocument

HoverProvider = Callable[[OpenDocument, Position], Awaitable[Optional[tuple[str, Span]]]]
CompletionProvider = Callable[[OpenDocument, Position], Awaitable[Optional[types.CompletionList]]]
ErrorLogger = Callable[[str], None]


@dataclass
class FeatureHooks:
    initialized: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    document_changed: list[Callable[[OpenDocument], None]] = field(default_factory=list)  # opened or edited
    document_closed: list[Callable[[OpenDocument], None]] = field(default_factory=list)
    watched_files: list[Callable[[types.DidChangeWatchedFilesParams], None]] = field(default_factory=list)
    folders_changed: list[Callable[[types.DidChangeWorkspaceFoldersParams], None]] = field(default_factory=list)
    hover: list[HoverProvider] = field(default_factory=list)
    completion: list[CompletionProvider] = field(default_factory=list)
    log_error: Optional[ErrorLogger] = None

    def notify(self, subscribers: list[Callable[..., Any]], *args: Any) -> None:
        """Call each subscriber with `args`; failures are logged, never raised."""
        for subscriber in subscribers:
            try:
                subscriber(*args)
            except Exception as error:
                self._report(subscriber, error)

    async def notify_async(self, subscribers: list[Callable[[], Awaitable[None]]]) -> None:
        for subscriber in subscribers:
            try:
                await subscriber()
            except Exception as error:
                self._report(subscriber, error)

    async def first_answer(self, providers: list[Callable[..., Awaitable[Any]]], *args: Any) -> Any:
        """The first provider's answer that is not None."""
        for provider in providers:
            try:
                answer = await provider(*args)
            except Exception as error:
                self._report(provider, error)
                continue
            if answer is not None:
                return answer
        return None

    def _report(self, subscriber: Callable[..., Any], error: Exception) -> None:
        if self.log_error is not None:
            name = getattr(subscriber, "__qualname__", repr(subscriber))
            self.log_error(f"fastapi-patterns: {name} failed: {type(error).__name__}: {error}")
