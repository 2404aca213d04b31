"""fastapi-patterns: find and fix departures from FastAPI best practices, in the editor and in CI."""

import os
import sys

__version__ = "0.1.0"


def _forget_working_directory() -> None:
    """`python -m fastapi_patterns` puts the working directory first on the import path, and editors start the
    server that way inside the user's project: a project file named like a module imported later (`difflib.py`,
    `libcst/`, a compiled `anything.pyc`) would then run in the server. Only this package was looked up there,
    and it has been found by now, so the entry goes."""
    if not sys.path or getattr(sys.flags, "safe_path", False):
        return
    first = sys.path[0]
    if first == "" or os.path.realpath(first) == os.path.realpath(os.getcwd()):
        del sys.path[0]


if sys.argv[:1] == ["-m"]:  # Python is locating `-m fastapi_patterns` (or a submodule): see above
    _forget_working_directory()
