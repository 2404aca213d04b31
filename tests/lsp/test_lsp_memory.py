"""The idle collector: garbage of superseded analyses is collected after a quiet second, or after a long burst."""

from __future__ import annotations

import asyncio
import gc

import pytest

from fastapi_patterns.lsp import memory
from fastapi_patterns.lsp.memory import IdleCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


async def test_collects_cyclic_garbage_once_work_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "IDLE_SECONDS", 0.05)
    gc.disable()
    try:
        collector = IdleCollector()
        garbage = _Cycle()
        watch = __import__("weakref").ref(garbage)
        del garbage
        collector.touch()
        collector.touch()  # a second analysis re-arms the timer: still one collection
        assert watch() is not None
        await asyncio.sleep(0.3)
        assert watch() is None and collector.collections == 1
    finally:
        gc.enable()


async def test_a_long_burst_without_pause_still_collects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "IDLE_SECONDS", 60.0)
    collector = IdleCollector()
    for _ in range(memory.BUSY_LIMIT):
        collector.touch()
    await asyncio.sleep(0.05)
    assert collector.collections == 1
