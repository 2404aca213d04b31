"""Giving memory back while the editor is idle.

Every analysis builds a symbol table whose scopes and bindings point at each other, so a superseded version's
tables are freed only by the cyclic garbage collector, which the server runs rarely (its thresholds are raised
so that typing never pays for rescanning the open files' trees). Left alone, a long editing session keeps
hundreds of megabytes of such garbage. So, once no analysis has finished for a second (or after forty analyses
without such a pause, or fewer of large files), the server collects;
and after a workspace folder is indexed, its long-lived summaries are moved out of the collector's sight
(`gc.freeze`), which keeps each idle collection proportional to what changed, not to the size of the project.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import Optional

IDLE_SECONDS = 1.0
BUSY_LIMIT = 40  # analyses without a quiet second before collecting anyway (someone typing for minutes)
# ... or fewer when they were of large files: the garbage of an analysis grows with its text (about 9 MiB for a
# 2,000-line module, so forty of them were 400 MiB more in bench/memory.py's 10,000 edits)
BUSY_CHARACTERS = 400_000


class IdleCollector:
    def __init__(self) -> None:
        self._handle: Optional[asyncio.TimerHandle] = None
        self.collections = 0
        self._since = 0  # analyses since the last collection
        self._characters = 0  # and the length of the texts they analysed

    def touch(self, characters: int = 0) -> None:
        """Work just finished (call on the event loop), on a text this long: collect once a quiet second has
        passed, or at once after a long or heavy burst."""
        if self._handle is not None:
            self._handle.cancel()
        self._since += 1
        self._characters += characters
        busy = self._since >= BUSY_LIMIT or self._characters >= BUSY_CHARACTERS
        delay = 0.0 if busy else IDLE_SECONDS
        self._handle = asyncio.get_running_loop().call_later(delay, self._collect)

    def _collect(self) -> None:
        self._handle = None
        self._since = self._characters = 0
        gc.collect()
        self.collections += 1


_collectors: "weakref.WeakKeyDictionary[object, IdleCollector]" = weakref.WeakKeyDictionary()


def idle_collector(server: object) -> IdleCollector:
    collector = _collectors.get(server)
    if collector is None:
        collector = _collectors[server] = IdleCollector()
    return collector


def freeze_long_lived() -> None:
    """After a big index build: collect what is garbage now, then exempt what survives from later scans."""
    gc.collect()
    gc.freeze()
