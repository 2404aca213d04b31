"""Whether one route path matches every URL another matches, as Starlette's router compares them.

A path is split into segments. A whole-segment parameter (`{user_id}`, `{n:int}`) matches one segment its
convertor accepts; a `{rest:path}` parameter ending the path matches everything after it. Segments that mix text
and parameters (`{name}.json`) are compared as written: only the same text covers them, which can miss a
shadowing but never invents one.
"""

from __future__ import annotations

import re
from typing import Optional

_PARAMETER = re.compile(r"^\{(\w+)(?::(\w+))?\}$")
_LITERAL_MATCHES = {
    "str": re.compile(r"[^/]+"),
    "int": re.compile(r"[0-9]+"),
    "float": re.compile(r"[0-9]+(\.[0-9]+)?"),
    "uuid": re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
}
_CONVERTOR_COVERS = {  # what a parameter of the first convertor accepts of the second's values
    "str": {"str", "int", "float", "uuid"},
    "int": {"int"},
    "float": {"float", "int"},
    "uuid": {"uuid"},
}


def _parameter(segment: str) -> Optional[str]:
    """The convertor of a whole-segment parameter (`str` when none is written), or None for other segments."""
    match = _PARAMETER.match(segment)
    if match is None:
        return None
    return match.group(2) or "str"


def _segment_covers(earlier: str, later: str) -> bool:
    kind, later_kind = _parameter(earlier), _parameter(later)
    if kind is None:
        return earlier == later and "{" not in earlier
    if kind not in _CONVERTOR_COVERS:
        return False
    if later_kind is not None:
        return later_kind in _CONVERTOR_COVERS[kind]
    if "{" in later or not later:
        return False
    return _LITERAL_MATCHES[kind].fullmatch(later) is not None


def covers(earlier: str, later: str) -> bool:
    """Every URL path that `later` matches is matched by `earlier` too."""
    first, second = earlier.split("/"), later.split("/")
    for index, segment in enumerate(first):
        if _parameter(segment) == "path":
            return index == len(first) - 1 and len(second) >= len(first) - 1 and all(
                _segment_covers(a, b) for a, b in zip(first[:index], second[:index])
            ) and not any(_parameter(b) == "path" for b in second[:index])
    if len(first) != len(second):
        return False
    return all(_segment_covers(a, b) for a, b in zip(first, second))


def same_pattern(first: str, second: str) -> bool:
    """The two paths match exactly the same URLs (parameter names aside)."""
    return covers(first, second) and covers(second, first)


class CoverIndex:
    """Paths added in order, and for a new path the first one added that covers it, without comparing it with
    every other: a covering path has the same number of segments and the same first segment (or a parameter
    there), unless it ends in a `{...:path}` parameter."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[int, str], list[tuple[int, str, object]]] = {}
        self._wide: list[tuple[int, str, object]] = []
        self._added = 0

    def add(self, path: str, payload: object) -> None:
        segments = path.split("/")
        entry = (self._added, path, payload)
        self._added += 1
        if any(_parameter(segment) == "path" for segment in segments):
            self._wide.append(entry)
        else:
            self._buckets.setdefault(_bucket(segments), []).append(entry)

    def first_covering(self, path: str) -> object:
        """The payload of the earliest path added that covers `path`, or None."""
        found = [entry for entry in self._candidates(path) if covers(entry[1], path)]
        return min(found, key=lambda entry: entry[0])[2] if found else None

    def candidates(self, path: str) -> list[object]:
        """Payloads of the paths that may cover `path`, in the order they were added."""
        return [entry[2] for entry in sorted(self._candidates(path), key=lambda entry: entry[0])]

    def _candidates(self, path: str) -> list[tuple[int, str, object]]:
        segments = path.split("/")
        first = segments[1] if len(segments) > 1 else ""
        return [*self._buckets.get((len(segments), first), ()), *self._buckets.get((len(segments), "{}"), ()),
                *self._wide]


def _bucket(segments: list[str]) -> tuple[int, str]:
    first = segments[1] if len(segments) > 1 else ""
    return len(segments), "{}" if _parameter(first) is not None else first
