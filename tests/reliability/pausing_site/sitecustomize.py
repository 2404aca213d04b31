"""Start-up hook for the interruption tests, active only when `FASTAPI_PATTERNS_PAUSE_WRITE` is set.

The tests put this folder first on PYTHONPATH, so every Python process of the run loads it, worker processes
included, whatever way they are started. With `FASTAPI_PATTERNS_PAUSE_WRITE=N:MARKER`, the N-th file a process
writes stops after its temporary file is complete and before the rename that replaces the original, creates
MARKER, and waits there (two minutes at most) for the test's SIGINT.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

PAUSE_LIMIT_SECONDS = 120


def _pause_inside_the_nth_write(setting: str) -> None:
    count, _, marker = setting.partition(":")
    pause_at, real_replace = int(count), os.replace
    written = 0

    def replace(source: Any, target: Any) -> None:
        nonlocal written
        written += 1
        if written == pause_at:
            Path(marker).touch()
            deadline = time.monotonic() + PAUSE_LIMIT_SECONDS
            while time.monotonic() < deadline:  # SIGINT arrives here: the temporary file is written, not renamed
                time.sleep(0.01)
        real_replace(source, target)

    os.replace = replace  # in these test runs, only the writing of fixed files replaces files


if os.environ.get("FASTAPI_PATTERNS_PAUSE_WRITE"):
    _pause_inside_the_nth_write(os.environ["FASTAPI_PATTERNS_PAUSE_WRITE"])
