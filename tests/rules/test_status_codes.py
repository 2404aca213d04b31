"""The status-code table the FAP202/FAP209/FAP213 fixes write from, checked against Starlette itself.

Every constant a fix can write must exist in the installed `starlette.status` without a deprecation warning,
the renamed ones must follow the file's own spelling, and reason phrases must not depend on the Python version.
"""

from __future__ import annotations

import http
import warnings

import pytest

from fastapi_patterns.rules._status_codes import constant_name, reason_phrase, renamed_constants

starlette_status = pytest.importorskip("starlette.status")

NEWER = "HTTP_422_UNPROCESSABLE_CONTENT"
OLDER = "HTTP_422_UNPROCESSABLE_ENTITY"


def _resolves_without_warning(name: str) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return int(getattr(starlette_status, name))


RENAMED = (413, 414, 416, 422)


@pytest.mark.parametrize("code", sorted(({status.value for status in http.HTTPStatus} | {306}) - set(RENAMED)))
def test_every_written_constant_exists_and_has_the_right_value(code: int) -> None:
    name = constant_name(code, "")
    assert name is not None, f"no constant for {code}"
    assert _resolves_without_warning(name) == code


@pytest.mark.parametrize("code", RENAMED)
def test_renamed_codes_follow_the_file_or_get_no_constant(code: int) -> None:
    spellings = renamed_constants(code)
    assert spellings is not None
    older, newer = spellings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the installed release knows both; one of them is deprecated
        assert int(getattr(starlette_status, older)) == int(getattr(starlette_status, newer)) == code
    assert constant_name(code, "no status constant here") is None
    assert constant_name(code, f"status.{NEWER}") == newer
    assert constant_name(code, f"status.{OLDER}") == older
    assert constant_name(code, f"{NEWER} and {OLDER}") is None  # a file that mixes both gives no hint
    assert f"HTTP_{code}_" in older and f"HTTP_{code}_" in newer


def test_codes_without_a_constant_and_phrases() -> None:
    assert constant_name(299, "") is None
    assert reason_phrase(299) is None
    assert reason_phrase(404) == "Not Found"
    assert reason_phrase(422) == "Unprocessable Content"
    assert reason_phrase(413) == "Content Too Large"
