"""Output goldens: every format on the example app, byte for byte. Regenerate with `UPDATE_GOLDENS=1`.

The goldens change whenever a rule lands or changes its message; regenerate them with
`UPDATE_GOLDENS=1 python -m pytest tests/cli` and review the diff like any other change.
"""

from __future__ import annotations

import json
import os

import pytest

from fastapi_patterns import __version__

from cli_helpers import EXAMPLE, GOLDENS, ROOT, CliRunner

FORMATS = {"text": "shop.txt", "json": "shop.json", "sarif": "shop.sarif", "github": "shop.github.txt"}


def normalise(output: str, output_format: str) -> str:
    """Make the output independent of where the repository lives and of the release number."""
    if output_format == "json":
        output = output.replace(json.dumps(str(ROOT))[1:-1] + "/", "<root>/")
    if output_format == "sarif":
        output = output.replace(f'"version": "{__version__}"', '"version": "<version>"')
    return output


def check_golden(name: str, actual: str) -> None:
    golden = GOLDENS / name
    if os.environ.get("UPDATE_GOLDENS") == "1":
        golden.write_text(actual, encoding="utf-8", newline="")
        return
    assert golden.exists(), f"missing golden {name}; create it with UPDATE_GOLDENS=1"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs; if the change is intended, regenerate with UPDATE_GOLDENS=1"


@pytest.mark.parametrize("output_format", sorted(FORMATS))
def test_output_matches_golden(cli: CliRunner, output_format: str) -> None:
    result = cli("--check", "examples/shop", "--format", output_format, "--jobs", "1")
    assert result.err == ""
    assert result.code == 1
    check_golden(FORMATS[output_format], normalise(result.out, output_format))


def test_machine_formats_are_valid_documents(cli: CliRunner) -> None:
    items = json.loads(cli("--check", "examples/shop", "--format", "json", "--jobs", "1").out)
    assert items and all(item["filename"].startswith(str(EXAMPLE)) for item in items)
    assert {"code", "name", "message", "severity", "filename", "location", "end_location", "fix", "url",
            "noqa_row"} == set(items[0])
    sarif = json.loads(cli("--check", "examples/shop", "--format", "sarif", "--jobs", "1").out)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert {result["ruleId"] for result in run["results"]} == set(rule_ids)
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")


def test_column_after_emoji_counts_code_points(cli: CliRunner) -> None:
    """The FAP104 finding on the line with `café ☕` is reported at its character column, not its byte offset."""
    lines = (EXAMPLE / "app" / "routers" / "items.py").read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if "☕" in line and "get_event_loop" in line)
    column = lines[row].index("asyncio.get_event_loop") + 1
    assert len(lines[row][: column - 1].encode("utf-8")) + 1 != column  # the line really has multi-byte text
    text = cli("--check", "examples/shop", "--select", "FAP104", "--jobs", "1").out
    assert f"examples/shop/app/routers/items.py:{row + 1}:{column}: FAP104" in text
    items = json.loads(cli("--check", "examples/shop", "--select", "FAP104", "--format", "json", "--jobs", "1").out)
    located = [item["location"] for item in items if item["filename"].endswith("items.py")]
    assert located == [{"row": row + 1, "column": column}]


def test_parallel_run_prints_the_same_bytes(cli: CliRunner) -> None:
    for output_format in ("text", "json"):
        one = cli("--check", "examples/shop", "--format", output_format, "--jobs", "1")
        two = cli("--check", "examples/shop", "--format", output_format, "--jobs", "2")
        assert (two.code, two.out, two.err) == (one.code, one.out, one.err)


def test_example_is_not_excluded_by_the_project_configuration(cli: CliRunner) -> None:
    checked = cli("--check", "examples/shop", "--format", "json", "--jobs", "1").out
    files = {item["filename"] for item in json.loads(checked)}
    assert {str(EXAMPLE / "app" / "main.py"), str(EXAMPLE / "app" / "routers" / "users.py")} <= files
    assert not any("migrations" in name for name in files)  # excluded by the example's own configuration
