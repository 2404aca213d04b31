"""Machine-readable output: ruff-compatible JSON, SARIF 2.1.0 for code scanning, GitHub Actions annotations.

Lines and columns are 1-based everywhere; columns count code points (SARIF says so in `columnKind`), so a
finding after an emoji lands on the right character. JSON keeps ruff's field names, so tools that read ruff's
JSON output read this one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Optional
from urllib.parse import quote

from .. import __version__
from ..docs import rule_url
from ..engine.types import Position, Severity
from ..rules import RULES_BY_CODE
from .records import FileResult, Issue

TOOL_NAME = "fastapi-patterns"
INFORMATION_URI = "https://github.com/fastapi-patterns/fastapi-patterns"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "note",
                Severity.HINT: "note"}
_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "notice",
                   Severity.HINT: "notice"}


def _location(position: Position) -> dict[str, int]:
    return {"row": position.line + 1, "column": position.column + 1}


def _url(code: str) -> Optional[str]:
    rule = RULES_BY_CODE.get(code)
    return rule_url(rule) if rule is not None else None


def json_items(results: Iterable[FileResult]) -> list[dict[str, Any]]:
    items = []
    for result in results:
        for issue in result.issues:
            fix = None
            if issue.fix is not None:
                fix = {
                    "applicability": issue.fix.safety.value,
                    "message": issue.fix.title,
                    "edits": [
                        {"content": edit.new_text, "location": _location(edit.span.start),
                         "end_location": _location(edit.span.end)}
                        for edit in issue.fix.edits
                    ],
                }
            items.append({
                "code": issue.code,
                "name": issue.name,
                "message": issue.message,
                "severity": issue.severity.label,
                "filename": result.path,
                "location": _location(issue.span.start),
                "end_location": _location(issue.span.end),
                "fix": fix,
                "url": _url(issue.code),
                "noqa_row": issue.span.start.line + 1,
            })
    return items


def render_json(results: Iterable[FileResult], ascii_only: bool = False) -> str:
    return json.dumps(json_items(results), indent=2, ensure_ascii=ascii_only) + "\n"


def _artifact_uri(result: FileResult) -> str:
    """A relative URI (to the working directory) when the file is below it, a file URI otherwise."""
    if Path(result.display).is_absolute():
        return Path(result.path).as_uri()
    return quote(result.display, safe="/")


def _sarif_rule(code: str) -> dict[str, Any]:
    rule = RULES_BY_CODE[code]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _summary(rule.documentation()) or rule.name},
        "helpUri": rule_url(rule),
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
    }


def _summary(documentation: str) -> str:
    """The first sentence under `## What it does`, on one line."""
    _, found, rest = documentation.partition("## What it does")
    if not found:
        return ""
    paragraph = " ".join(rest.strip().split("\n\n")[0].split())
    sentence, stop, _ = paragraph.partition(". ")
    return sentence + "." if stop else paragraph


def render_sarif(results: Iterable[FileResult], ascii_only: bool = False) -> str:
    results = list(results)
    codes = sorted({issue.code for result in results for issue in result.issues if issue.code in RULES_BY_CODE})
    index = {code: position for position, code in enumerate(codes)}
    sarif_results = []
    for result in results:
        for issue in result.issues:
            entry: dict[str, Any] = {"ruleId": issue.code}
            if issue.code in index:
                entry["ruleIndex"] = index[issue.code]
            entry["level"] = _SARIF_LEVEL[issue.severity]
            entry["message"] = {"text": issue.message}
            entry["locations"] = [{"physicalLocation": {
                "artifactLocation": {"uri": _artifact_uri(result)},
                "region": _region(issue),
            }}]
            sarif_results.append(entry)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": TOOL_NAME, "version": __version__, "informationUri": INFORMATION_URI,
                "rules": [_sarif_rule(code) for code in codes],
            }},
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=ascii_only) + "\n"


def _region(issue: Issue) -> dict[str, int]:
    return {
        "startLine": issue.span.start.line + 1, "startColumn": issue.span.start.column + 1,
        "endLine": issue.span.end.line + 1, "endColumn": issue.span.end.column + 1,
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(results: Iterable[FileResult]) -> str:
    lines = []
    for result in results:
        for issue in result.issues:
            region = _region(issue)
            properties = ",".join([
                f"file={_escape_property(result.display)}",
                f"line={region['startLine']}", f"col={region['startColumn']}",
                f"endLine={region['endLine']}", f"endColumn={region['endColumn']}",
                f"title={_escape_property(f'{TOOL_NAME} ({issue.code})')}",
            ])
            command = _GITHUB_COMMAND[issue.severity]
            lines.append(f"::{command} {properties}::{_escape_data(f'{issue.code} {issue.message}')}\n")
    return "".join(lines)
