"""The renderers on hand-made results: escaping, paths outside the working directory, plural and hint wording."""

from __future__ import annotations

import json

from fastapi_patterns.checker import formats, reporting
from fastapi_patterns.checker.records import FileResult, Issue
from fastapi_patterns.engine.types import Edit, Fix, FixSafety, Severity, Span


def issue(code: str = "FAP214", severity: Severity = Severity.ERROR, safety: FixSafety | None = FixSafety.SAFE,
          message: str = "Route path `items` does not start with `/`", fix: Fix | None = None) -> Issue:
    return Issue(code, "route-path-without-leading-slash", message, severity, Span.of(5, 9, 5, 16), safety, fix)


def test_github_annotations_escape_their_separators() -> None:
    result = FileResult("/w/a,b:c.py", "a,b:c.py", (issue(message="50% done\nnext line"),))
    assert formats.render_github([result]) == (
        "::error file=a%2Cb%3Ac.py,line=6,col=10,endLine=6,endColumn=17,title=fastapi-patterns (FAP214)"
        "::FAP214 50%25 done%0Anext line\n"
    )


def test_github_command_follows_severity() -> None:
    commands = [
        formats.render_github([FileResult("/w/a.py", "a.py", (issue(severity=severity),))]).split(" ")[0]
        for severity in Severity
    ]
    assert commands == ["::error", "::warning", "::notice", "::notice"]


def test_sarif_uses_file_uris_outside_the_working_directory() -> None:
    inside = FileResult("/w/my app/main.py", "my app/main.py", (issue(),))
    outside = FileResult("/elsewhere/main.py", "/elsewhere/main.py", (issue(severity=Severity.HINT),))
    document = json.loads(formats.render_sarif([inside, outside]))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]]
    assert uris == ["my%20app/main.py", "file:///elsewhere/main.py"]
    assert [r["level"] for r in document["runs"][0]["results"]] == ["error", "note"]


def test_json_fix_edits_are_one_based() -> None:
    fix = Fix("Prefix the path with `/`", (Edit(Span.of(5, 10, 5, 10), "/"),), FixSafety.SAFE)
    [item] = formats.json_items([FileResult("/w/a.py", "a.py", (issue(fix=fix),))])
    assert item["fix"] == {
        "applicability": "safe", "message": "Prefix the path with `/`",
        "edits": [{"content": "/", "location": {"row": 6, "column": 11}, "end_location": {"row": 6, "column": 11}}],
    }
    assert (item["location"], item["end_location"], item["noqa_row"]) == (
        {"row": 6, "column": 10}, {"row": 6, "column": 17}, 6)
    [no_fix] = formats.json_items([FileResult("/w/a.py", "a.py", (issue(safety=None),))])
    assert no_fix["fix"] is None


def test_non_ascii_survives_or_is_escaped_on_request() -> None:
    result = FileResult("/w/a.py", "a.py", (issue(message="café ☕"),))
    assert "café ☕" in formats.render_json([result])
    escaped = formats.render_json([result], ascii_only=True)
    assert "café" not in escaped and json.loads(escaped)[0]["message"] == "café ☕"


def test_summary_wording() -> None:
    unsafe = issue(safety=FixSafety.UNSAFE)
    one = [FileResult("/w/a.py", "a.py", (issue(), unsafe))]
    assert reporting.summary(one, unsafe=False, fix_mode=False) == (
        "Found 2 problems (1 fixable with --fix).\n"
        "1 more fix can be enabled with --unsafe-fixes (unsafe fixes may change behaviour).\n"
    )
    assert reporting.summary(one, unsafe=True, fix_mode=False) == (
        "Found 2 problems (2 fixable with --fix --unsafe-fixes).\n"
    )
    fixed = [FileResult("/w/a.py", "a.py", (issue(safety=None),), fixed=3)]
    assert reporting.summary(fixed, unsafe=False, fix_mode=True) == "Fixed 3 problems.\nFound 1 remaining problem.\n"
    assert reporting.summary([], unsafe=False, fix_mode=False) == "All checks passed.\n"
