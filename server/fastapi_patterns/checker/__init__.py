"""The headless checker behind `fastapi-patterns --check`: find files, analyse them, report, fix.

One concern per module: `settings` resolves each file's configuration, `ignore` and `files` decide which files
to check, `source` reads them safely, `writing` writes fixes atomically, `work` checks one file (in this process
or a worker), `reporting` and `formats` render results, and `run` ties them together and picks the exit code.
Nothing here imports an editor protocol library.
"""

from .run import CheckOptions, OutputFormat, run_check

__all__ = ["CheckOptions", "OutputFormat", "run_check"]
