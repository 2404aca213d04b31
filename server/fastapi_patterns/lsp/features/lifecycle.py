"""Shutdown: stop pending analyses at once so that `exit` can end the process without waiting for them."""

from __future__ import annotations

from lsprotocol import types

from ..server import FastApiPatternsServer


def register(server: FastApiPatternsServer) -> None:
    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        server.shutdown_requested = True
        server.stop_background_work()
