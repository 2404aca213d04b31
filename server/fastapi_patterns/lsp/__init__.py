"""The language server: the only part of fastapi-patterns that speaks the Language Server Protocol.

`serve()` runs it over stdio (what editors start) or TCP until the client disconnects, and returns the process
exit code (0 after a proper shutdown/exit, 1 when the client went away without one, 2 when it cannot start);
when an analysis is still running at that moment the process ends at once instead, so that editors waiting
for the server to exit are not kept waiting.
The server itself lives in `server.py` (`create_server()`); each protocol concern has its module in `features/`.
"""

from __future__ import annotations

import gc
import logging
import os
import sys

TRANSPORTS = ("stdio", "tcp")


def serve(transport: str = "stdio", host: str = "127.0.0.1", port: int = 2087) -> int:
    """Run the language server until the client disconnects; returns the exit code."""
    if transport not in TRANSPORTS:
        print(f"fastapi-patterns: unknown transport {transport!r}; use one of: {', '.join(TRANSPORTS)}",
              file=sys.stderr)
        return 2
    from .server import create_server

    # The server keeps syntax trees of open files alive: hundreds of thousands of small objects that the
    # cyclic collector would rescan on every few thousand allocations (a 5,000-line file's diagnostics cost
    # seconds that way). Collect far less often; reference counting still frees almost everything at once.
    gc.set_threshold(100_000, 50, 100)
    server = create_server()
    if transport == "stdio":
        stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
        original_stdout, sys.stdout = sys.stdout, sys.stderr  # a stray print must never corrupt the protocol
        try:
            server.start_io(stdin, stdout)
        finally:
            sys.stdout = original_stdout
    else:
        logging.getLogger("asyncio").addFilter(_ExitIsNotAnError())
        try:
            server.start_tcp(host, port)
        except OSError as error:
            print(f"fastapi-patterns: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
            return 2
        except (KeyboardInterrupt, SystemExit):
            pass
    code = 0 if server.shutdown_requested else 1
    if server.executor.busy:
        _end_now(code)
    server.documents.clear()  # cached analyses hold whole syntax trees:
    gc.freeze()  # release them now and keep the exit-time collections off everything else
    return code


class _ExitIsNotAnError(logging.Filter):
    """Over TCP the `exit` notification ends the connection's task with SystemExit: not worth a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], SystemExit))


def _end_now(code: int) -> None:
    """End the process without tearing down an abandoned analysis (a large one takes seconds to free)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


__all__ = ["TRANSPORTS", "serve"]
