"""Start-up cost of the command: each command imports only what it uses, checked in a fresh interpreter.

`--version` and `--help` must load nothing of the project beyond the package and `cli`, and none of the heavy
libraries (pygls, lsprotocol, libcst, jedi); `--list-rules` and `--explain` load the rules but not the checker.
What is imported is asserted, never how long it took.
"""

from __future__ import annotations

import json

import pytest
from cli_helpers import run_module

from fastapi_patterns import cli
from fastapi_patterns.checker.run import OutputFormat
from fastapi_patterns.engine.types import Severity

HEAVY_LIBRARIES = ("pygls", "lsprotocol", "libcst", "jedi")
IMPORT_PROBE = """
import json, sys
from fastapi_patterns.cli import main
code = main(sys.argv[1:])
watched = ("pygls", "lsprotocol", "libcst", "jedi", "fastapi_patterns")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in watched)
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def _loaded_by(*argv: str) -> list[str]:
    completed = run_module(*argv, code=IMPORT_PROBE)
    report = json.loads(completed.stderr.strip().splitlines()[-1])
    assert report["code"] == 0, completed.stderr
    return list(report["loaded"])


@pytest.mark.parametrize("argv", [("--version",), ("--help",)])
def test_version_and_help_load_only_the_command_line_module(argv: tuple[str, ...]) -> None:
    assert _loaded_by(*argv) == ["fastapi_patterns", "fastapi_patterns.cli"]


@pytest.mark.parametrize("argv", [("--list-rules",), ("--explain", "FAP101")])
def test_rule_listing_loads_the_rules_but_not_the_checker_or_heavy_libraries(argv: tuple[str, ...]) -> None:
    loaded = _loaded_by(*argv)
    assert "fastapi_patterns.rules" in loaded
    assert not [name for name in loaded if name.startswith("fastapi_patterns.checker")]
    assert not [name for name in loaded if name.split(".")[0] in HEAVY_LIBRARIES]
    assert "fastapi_patterns.lsp" not in loaded


def test_parser_choices_match_the_checker_and_engine_types() -> None:
    assert cli.OUTPUT_FORMATS == tuple(output.value for output in OutputFormat)
    assert cli.SEVERITY_LABELS == tuple(severity.label for severity in Severity)
