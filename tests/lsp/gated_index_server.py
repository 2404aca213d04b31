"""The language server with a slow workspace index, run as a script by the end-to-end tests.

Reading any file whose name starts with `slow_` for the index creates `<folder>/index.started`, then waits until
`<folder>/index.release` exists: the tests decide exactly when indexing can finish, and check that diagnostics
of an open file arrive while it cannot.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "server"))

from fastapi_patterns.lsp.indexing import read_text
from fastapi_patterns.lsp.server import create_server


def gated_read(path: str) -> Optional[str]:
    file = Path(path)
    if file.name.startswith("slow_"):
        folder = file.parent
        (folder / "index.started").touch()
        deadline = time.monotonic() + 30
        while not (folder / "index.release").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    return read_text(path)


def main() -> None:
    server = create_server()
    server.indexes.read_file = gated_read
    server.start_io(sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
