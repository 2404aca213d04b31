"""Worker processes that stop on Ctrl-C.

A terminal sends SIGINT to the whole process group. A plain `ProcessPoolExecutor` worker turns it into the
result of the task it was running and goes on with the next one, and leaving the pool waits for every task
still queued: an interrupted `--fix` would run on, writing files, before it exits. Here a worker remembers the
interrupt, stops the task it is in (a file being written keeps its old content: see `writing`) and refuses
every later one at once, and the parent cancels what has not started, so the run ends promptly.
"""

from __future__ import annotations

import functools
import signal
from concurrent.futures import ProcessPoolExecutor
from types import FrameType
from typing import Any, Callable, Iterable, Optional, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_interrupted = False
_busy = False


def _on_interrupt(signum: int, frame: Optional[FrameType]) -> None:
    global _interrupted
    _interrupted = True
    if _busy:  # an idle worker just remembers: raising in the pool's own code would kill the process noisily
        raise KeyboardInterrupt


def _start_worker(initializer: Optional[Callable[..., Any]], *initargs: Any) -> None:
    signal.signal(signal.SIGINT, _on_interrupt)
    if initializer is not None:
        initializer(*initargs)


def _unless_interrupted(function: Callable[[T], R], item: T) -> R:
    global _busy
    if _interrupted:
        raise KeyboardInterrupt
    _busy = True
    try:
        return function(item)
    finally:
        _busy = False


def interruptible_map(function: Callable[[T], R], items: Iterable[T], workers: int, chunksize: int,
                      initializer: Optional[Callable[..., Any]] = None, initargs: tuple[Any, ...] = ()) -> list[R]:
    """`function` over `items` in `workers` processes, results in order; KeyboardInterrupt ends it promptly."""
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                             initargs=(initializer, *initargs)) as pool:
        try:
            return list(pool.map(functools.partial(_unless_interrupted, function), items, chunksize=chunksize))
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
