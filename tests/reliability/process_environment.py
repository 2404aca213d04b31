"""Where the reliability tests find things, and the environment of the processes they start.

A test that runs the command line or a server in another process gives it the source tree on PYTHONPATH and no
empty PYTHONPATH entry, which Python would read as the working directory and so import the project under test
from there (the security tests run inside hostile projects).
"""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FAULT_SERVER = HERE / "fault_server.py"


def server_environment() -> dict[str, str]:
    inherited = [part for part in os.environ.get("PYTHONPATH", "").split(os.pathsep) if part]
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "server"), *inherited])}
