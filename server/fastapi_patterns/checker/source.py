"""Reading one source file as bytes and turning it into text, or into one clear reason it was skipped.

Files are UTF-8, with or without a byte order mark; a PEP 263 coding declaration (`# -*- coding: latin-1 -*-`)
is honoured, since Python itself honours it. Line endings are kept as they are, so fixes written back keep them
too. Files larger than the configured `max-file-size`, files with NUL bytes (binary), and files that do not
decode are skipped with a short reason.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import tokenize
from dataclasses import dataclass
from typing import Union

BOM = codecs.BOM_UTF8
_UNKNOWN_ENCODING = re.compile(r"unknown encoding(?: for .*?)?: (\S+)$")


@dataclass(frozen=True)
class SourceText:
    raw: bytes  # exactly what was read from disk
    text: str  # decoded, without the byte order mark
    encoding: str  # codec used to decode (and to encode a fixed version)
    bom: bool

    def encode(self, text: str) -> bytes:
        """Bytes for a new version of the text, in the file's own encoding and byte order mark."""
        return (BOM if self.bom else b"") + text.encode(self.encoding)


class Skipped(str):
    """Why a file was not checked, phrased to follow `path: skipped: `."""


def read_source(path: Union[str, os.PathLike[str]], max_size: int) -> Union[SourceText, Skipped]:
    try:
        status = os.stat(path)
        if stat.S_ISDIR(status.st_mode):
            return Skipped("is a directory")
        if not stat.S_ISREG(status.st_mode):
            return Skipped("not a regular file")  # a FIFO or a device would block or never end
        size = status.st_size
        if size > max_size:
            return Skipped(f"larger than max-file-size ({size} > {max_size} bytes)")
        with open(path, "rb") as handle:
            raw = handle.read(max_size + 1)
    except IsADirectoryError:
        return Skipped("is a directory")
    except FileNotFoundError:
        return Skipped("no such file (deleted, or a broken symbolic link)")
    except PermissionError:
        return Skipped("permission denied")
    except OSError as error:
        return Skipped(f"cannot read ({error.strerror or error})")
    if len(raw) > max_size:
        return Skipped(f"larger than max-file-size ({max_size} bytes)")
    return decode_source(raw)


def decode_source(raw: bytes) -> Union[SourceText, Skipped]:
    if b"\x00" in raw:
        return Skipped("binary file (contains NUL bytes)")
    bom = raw.startswith(BOM)
    body = raw[len(BOM):] if bom else raw
    encoding = "utf-8" if bom else _declared_encoding(raw)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        name = "UTF-8" if encoding == "utf-8" else encoding
        return Skipped(f"not {name} text (invalid byte 0x{body[error.start]:02x} on line {line})")
    except LookupError:
        return Skipped(f"unknown encoding `{encoding}` in its coding declaration")
    return SourceText(raw, text, encoding, bom)


def _declared_encoding(raw: bytes) -> str:
    """The codec a PEP 263 declaration names, or utf-8 when there is none (or it cannot be understood)."""
    if not any(b"coding" in line for line in raw.split(b"\n", 2)[:2]):
        return "utf-8"
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as error:  # Python refuses such a file too; an unknown codec name is said as such
        unknown = _UNKNOWN_ENCODING.search(str(error))
        return unknown.group(1).strip() if unknown else "utf-8"
    encoding = codecs.lookup(encoding).name
    return "utf-8" if encoding in ("utf-8", "utf-8-sig") else encoding
