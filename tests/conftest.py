"""Shared test helpers: the source tree is importable without installing, for quick local runs, and every test
has a private `--check` cache."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "server") not in sys.path:
    sys.path.insert(0, str(ROOT / "server"))


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_check_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own `--check` cache directory (child processes inherit it), so no test reads what
    another stored and none writes into the repository."""
    monkeypatch.setenv("FASTAPI_PATTERNS_CACHE_DIR", str(tmp_path_factory.mktemp("check-cache")))
