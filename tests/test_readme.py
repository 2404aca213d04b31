"""The README keeps its promises: the two quickstart commands, and a rule table that matches the rules."""

from __future__ import annotations

from pathlib import Path

from fastapi_patterns.docs import with_rule_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_rule_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_rule_table(text) == text, (
        "README's rule table is stale: run `PYTHONPATH=server python -m fastapi_patterns.docs docs/rules.md "
        "--readme README.md`"
    )


def test_quickstart_commands_are_present_and_match_ci() -> None:
    text = README.read_text(encoding="utf-8")
    assert "pip install . && fastapi-patterns --check examples/shop" in text
    assert "bash .ci/run" in text
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in ci and 'pip install -q -e ".[test]"' in ci
