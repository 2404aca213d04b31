"""Writing a fixed file back: atomically, only over the exact bytes that were analysed, never broken code.

The new text goes to a temporary file in the same directory, takes the original's permission bits, is flushed
to disk and then renamed over the original, so a reader sees the old file or the new one, never half of each.
A symbolic link is followed and its target rewritten, so the link stays a link. Before writing, the file is
read again: if it changed since it was analysed (an editor saved it, a formatter ran) it is left alone. An
interruption leaves the file as it was, or fully fixed, and no temporary file behind.
"""

from __future__ import annotations

import ast
import os
import stat
import tempfile
import warnings
from typing import Optional


class WriteRefused(Exception):
    """The file was not written; the message says why, phrased to follow `path: `."""


def parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():  # CPython's warnings about the user's code are not ours to print
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def write_if_unchanged(path: str, expected: bytes, new_bytes: bytes, new_text: Optional[str] = None) -> None:
    """Replace the file's content by `new_bytes` if it still holds `expected`; raise WriteRefused otherwise."""
    if new_text is not None and not parses(new_text):
        raise WriteRefused("the fixed code would not parse; not fixed")
    target = os.path.realpath(path)
    try:
        with open(target, "rb") as handle:
            current = handle.read()
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError as error:
        raise WriteRefused(f"cannot read it again before writing ({error.strerror or error}); not fixed")
    if current != expected:
        raise WriteRefused("changed on disk since it was read; not fixed")
    directory, name = os.path.split(target)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise WriteRefused(f"cannot write ({error.strerror or error}); not fixed")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(new_bytes)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        _remove_quietly(temporary)
        raise WriteRefused(f"cannot write ({error.strerror or error}); not fixed")
    except BaseException:  # interrupted (Ctrl-C): before the rename the original stays, and no temporary file
        _remove_quietly(temporary)
        raise


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
