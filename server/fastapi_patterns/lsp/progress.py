"""Server-initiated work done progress: the `$/progress` reports that show as a progress bar in the editor.

`WorkProgress.begin` asks the client to create a token (`window/workDoneProgress/create`) when its capabilities
say it can show progress, and returns None otherwise (the work runs all the same, unreported). Reports are sent
only when the percentage grows, so a long run costs at most a hundred notifications. Call its methods on the
event loop's thread.
"""

from __future__ import annotations

import itertools
from typing import Optional

from lsprotocol import types

from .server import FastApiPatternsServer

_TOKENS = itertools.count(1)


class WorkProgress:
    """One `$/progress` token, reported from the event loop only."""

    def __init__(self, server: FastApiPatternsServer, token: str) -> None:
        self.server, self.token, self.last = server, token, -1

    @classmethod
    async def begin(cls, server: FastApiPatternsServer, title: str, message: str) -> Optional["WorkProgress"]:
        if not server.capability(("window", "work_done_progress"), False):
            return None
        token = f"fastapi-patterns-{next(_TOKENS)}"
        try:
            await server.work_done_progress.create_async(token)
        except Exception as error:  # a client that refuses gets no progress, the index is built all the same
            server.log(f"fastapi-patterns: no progress reports: {error}")
            return None
        server.work_done_progress.begin(token, types.WorkDoneProgressBegin(
            title=title, message=message, percentage=0, cancellable=False))
        return cls(server, token)

    def report(self, done: int, total: int, unit: str = "files") -> None:
        percentage = done * 100 // max(total, 1)
        if percentage > self.last:
            self.last = percentage
            self.server.work_done_progress.report(self.token, types.WorkDoneProgressReport(
                message=f"{done}/{total} {unit}", percentage=percentage))

    def end(self, message: str) -> None:
        self.server.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
