"""analyze(): rule selection, the framework text gate, suppressions, crash isolation, syntax errors."""

from __future__ import annotations

import ast

from fastapi_patterns.engine import Config, analyze
from fastapi_patterns.engine.rule import Rule, RuleContext
from fastapi_patterns.engine.suppression import noqa_edit
from fastapi_patterns.engine.document import Document
from fastapi_patterns.engine.fixes import apply_edits
from fastapi_patterns.rules import ALL_RULES

FLAGGED = "import asyncio\nasync def f():\n    asyncio.get_event_loop()\n"


def test_finding_fields() -> None:
    (finding,) = analyze(FLAGGED, "m.py").findings
    assert (finding.code, finding.name, finding.span.start.line, finding.span.start.column) == (
        "FAP104", "get-event-loop-in-coroutine", 2, 4)
    assert finding.fixable and finding.fix_safety is not None


def test_noqa_specific_and_bare_and_other_code() -> None:
    assert analyze(FLAGGED.rstrip() + "  # noqa: FAP104\n", "m.py").findings == ()
    assert analyze(FLAGGED.rstrip() + "  # noqa\n", "m.py").findings == ()
    assert len(analyze(FLAGGED.rstrip() + "  # noqa: FAP212\n", "m.py").findings) == 1


def test_noqa_inside_a_string_is_not_a_comment() -> None:
    source = "import asyncio\nasync def f():\n    asyncio.get_event_loop(); x = '# noqa'\n"
    assert len(analyze(source, "m.py").findings) == 1


def test_disable_file_comment() -> None:
    assert analyze("# fastapi-patterns: disable-file\n" + FLAGGED, "m.py").findings == ()


def test_noqa_edit_extends_existing_comment() -> None:
    document = Document("x = 1  # noqa: FAP212\ny = 2\n")
    assert apply_edits(document, [noqa_edit(document, 0, "FAP104")]) == "x = 1  # noqa: FAP104, FAP212\ny = 2\n"
    assert apply_edits(document, [noqa_edit(document, 1, "FAP104")]) == (
        "x = 1  # noqa: FAP212\ny = 2  # noqa: FAP104\n")


def test_files_without_trigger_words_are_not_parsed() -> None:
    analysis = analyze("def f(:\n", "plain.py")
    assert analysis.findings == () and analysis.parsed


def test_syntax_error_reported_once_with_position() -> None:
    analysis = analyze("import fastapi\ndef f(:\n    pass\n", "m.py")
    assert not analysis.parsed
    (finding,) = analysis.findings
    assert finding.code == "FAP001" and finding.span.start.line == 1 and "SyntaxError" in finding.message


def test_syntax_error_hidden_when_setting_off() -> None:
    analysis = analyze("import fastapi\ndef f(:\n", "m.py", Config(show_syntax_errors=False))
    assert analysis.findings == () and not analysis.parsed


def test_newer_python_syntax_is_explained() -> None:
    analysis = analyze("import fastapi\ntype UserId = int\n", "m.py")
    if analysis.parsed:  # running on a Python that already has the syntax
        return
    (finding,) = analysis.findings
    assert "`type` alias statement" in finding.message and "3.12" in finding.message


class _Exploding(Rule):
    """Test-only rule that raises on every call."""

    code = "FAP999"
    name = "exploding"
    message = "boom"
    node_types = (ast.Call,)
    trigger_words = ("",)

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        raise RuntimeError("rule bug")


def test_crashing_rule_is_isolated() -> None:
    analysis = analyze(FLAGGED, "m.py", rules=(*ALL_RULES, _Exploding()))
    assert [f.code for f in analysis.findings] == ["FAP104"]
    assert len(analysis.failures) == 1 and analysis.failures[0].code == "FAP999"
    assert "rule bug" in analysis.failures[0].error


def test_large_file_is_skipped_not_parsed() -> None:
    analysis = analyze(FLAGGED, "m.py", Config(max_file_size=10))
    assert analysis.skipped and analysis.findings == ()
