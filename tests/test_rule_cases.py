"""Every rule's own VALID and INVALID cases, run as tests: findings, fixes, re-parsing and convergence."""

from __future__ import annotations

import ast

import pytest

from fastapi_patterns.engine import analyze, apply_fixes
from fastapi_patterns.engine.config import config_from_mapping
from fastapi_patterns.engine.rule import Invalid, Valid
from fastapi_patterns.rules import ALL_RULES, KNOWN_CODES


def _cases(kind: str) -> list[tuple[str, object]]:
    found = []
    for rule in ALL_RULES:
        for index, case in enumerate(getattr(rule, kind)):
            found.append(pytest.param(rule, case, id=f"{rule.code}-{kind.lower()}-{index}"))
    return found


def _compiles(source: str) -> bool:
    try:
        compile(source, "<case>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


def _config(case: Valid | Invalid, code: str):
    data = {"extend-select": [code], **case.config}
    config, errors = config_from_mapping(data, "<case>", known_codes=KNOWN_CODES)
    assert not errors, errors
    return config


@pytest.mark.parametrize(("rule", "case"), _cases("VALID"))
def test_valid_case_is_not_flagged(rule, case: Valid) -> None:
    path, workspace = case.project()
    analysis = analyze(case.code, path, _config(case, rule.code), workspace)
    assert not analysis.failures, analysis.failures
    assert [f for f in analysis.findings if f.code == rule.code] == []


@pytest.mark.parametrize(("rule", "case"), _cases("INVALID"))
def test_invalid_case_is_flagged_and_fixed(rule, case: Invalid) -> None:
    config = _config(case, rule.code)
    path, workspace = case.project()
    analysis = analyze(case.code, path, config, workspace)
    assert not analysis.failures, analysis.failures
    mine = [f for f in analysis.findings if f.code == rule.code]
    assert len(mine) == case.count, [f.message for f in mine]
    for finding in mine:
        assert rule.code in finding.code and finding.message
        assert finding.span.start <= finding.span.end
    outcome = apply_fixes(case.code, path, config, unsafe=case.unsafe, codes=frozenset({rule.code}),
                          workspace=workspace)
    if case.fixed is None:
        assert outcome.source == case.code, "a fix was applied where the case expects none"
        return
    assert outcome.source == case.fixed
    ast.parse(outcome.source)
    if _compiles(case.code):
        compile(outcome.source, "<fixed>", "exec", dont_inherit=True)  # e.g. no `await` left in a plain def
    if workspace is not None:
        workspace.set_file(path, outcome.source)
    after = analyze(outcome.source, path, config, workspace)
    assert [f for f in after.findings if f.code == rule.code] == [], "the fix did not remove the finding"
    again = apply_fixes(outcome.source, path, config, unsafe=case.unsafe, codes=frozenset({rule.code}),
                        workspace=workspace)
    assert again.source == outcome.source, "fixing twice changed the file again"
