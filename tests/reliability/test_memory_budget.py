"""Memory over a long burst of edits of a large file: the server collects the garbage of superseded analyses by
the amount of text analysed, not only by their number (bench/memory.py measures the effect)."""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest

from fastapi_patterns.lsp import memory
from fastapi_patterns.lsp.memory import IdleCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


async def test_a_burst_on_large_texts_collects_before_the_count_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "IDLE_SECONDS", 60.0)  # no quiet second in this burst
    gc.disable()
    try:
        collector = IdleCollector()
        garbage = _Cycle()
        watch = weakref.ref(garbage)
        del garbage
        for _ in range(2):
            collector.touch(memory.BUSY_CHARACTERS // 3)
        await asyncio.sleep(0.05)
        assert collector.collections == 0 and watch() is not None  # two thirds of the budget: not yet
        collector.touch(memory.BUSY_CHARACTERS // 3 + 1)
        await asyncio.sleep(0.05)
        assert collector.collections == 1 and watch() is None  # three analyses, not forty
    finally:
        gc.enable()
