"""A small pool of daemon worker threads for analyses, so that `exit` never waits for one to finish.

The standard `ThreadPoolExecutor` joins its threads when the interpreter exits, which would hold an `exit`
notification hostage to the analysis of a large file; editors kill servers that linger. These workers are
daemon threads: when the process ends, whatever they were computing is simply abandoned (it is pure
analysis with no side effects). `shutdown()` cancels queued work; `busy` tells whether one is still running.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Executor, Future
from typing import Any, Callable, Optional

_Work = tuple["Future[Any]", Callable[..., Any], tuple[Any, ...], dict[str, Any]]


class DaemonWorkers(Executor):
    def __init__(self, workers: int, name: str = "worker") -> None:
        self._queue: queue.SimpleQueue[Optional[_Work]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._run, name=f"{name}-{index}", daemon=True) for index in range(workers)
        ]
        self._started = False
        self._running = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            if self._closed:
                raise RuntimeError("the worker pool has been shut down")
            if not self._started:
                self._started = True
                for thread in self._threads:
                    thread.start()
            future: Future[Any] = Future()
            self._queue.put((future, fn, args, kwargs))
            return future

    @property
    def busy(self) -> bool:
        """Whether a worker is computing something right now."""
        with self._lock:
            return self._running > 0

    def _run(self) -> None:
        while True:
            work = self._queue.get()
            if work is None:
                return
            future, fn, args, kwargs = work
            if not future.set_running_or_notify_cancel():
                continue
            with self._lock:
                self._running += 1
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:
                future.set_exception(error)
            else:
                future.set_result(result)
            finally:
                with self._lock:
                    self._running -= 1

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        while cancel_futures:
            try:
                work = self._queue.get_nowait()
            except queue.Empty:
                break
            if work is not None:
                work[0].cancel()
        for _ in self._threads:
            self._queue.put(None)
        if wait and self._started:
            for thread in self._threads:
                thread.join()
