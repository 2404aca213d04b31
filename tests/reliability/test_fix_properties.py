"""Property tests: on generated programs, `analyze()` never raises and no rule fails; every offered fix, alone and
all together, keeps the file compiling; a finding never survives its own fix; fixing settles in one pass.

The number of programs per strategy scales with the hypothesis profile (`conftest.py`); `tools/fuzz.py` runs the
same properties on tens of thousands of programs and prints the counts.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from program_strategies import PATHS, case_mixtures, fastapi_programs, grammar_programs, node_programs

from fastapi_patterns.engine import Config, analyze
from fix_properties import KNOWN_DEFECTS, check_program

EVERY_RULE = Config(select=("ALL",))  # opt-in rules too
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles odd code of its own
SHARE = {"fastapi": 1.5, "case-mixtures": 2.0, "grammar": 1.0, "cst-nodes": 0.2}  # of the profile's examples


def examples(strategy: str) -> int:
    return max(10, int(settings().max_examples * SHARE[strategy]))


def assert_properties(source: str, path: str) -> None:
    report = check_program(source, path, EVERY_RULE)
    assert report.problems == [], "\n".join(report.problems)


@settings(max_examples=examples("fastapi"))
@given(fastapi_programs(), st.sampled_from(PATHS))
def test_fastapi_shaped_programs(source: str, path: str) -> None:
    assert_properties(source, path)


@settings(max_examples=examples("case-mixtures"))
@given(case_mixtures(), st.sampled_from(PATHS))
def test_mixtures_of_the_rules_own_cases(source: str, path: str) -> None:
    assert_properties(source, path)


@settings(max_examples=examples("grammar"))
@given(grammar_programs())
def test_programs_from_the_python_grammar(source: str) -> None:
    assert_properties(source, "app/main.py")


@settings(max_examples=examples("cst-nodes"))
@given(node_programs())
def test_programs_from_syntax_tree_nodes(source: str) -> None:
    assert_properties(source, "app/main.py")


def test_the_fastapi_strategy_makes_many_rules_fire_and_offer_fixes() -> None:
    """Guards the properties above against a strategy that drifts into programs no rule cares about."""
    fired: set[str] = set()
    fixable: set[str] = set()

    @settings(max_examples=60, derandomize=True)
    @given(fastapi_programs())
    def collect(source: str) -> None:
        for finding in analyze(source, "app/main.py", EVERY_RULE).findings:
            fired.add(finding.code)
            if finding.fixable:
                fixable.add(finding.code)

    collect()
    assert len(fired) >= 25, sorted(fired)
    assert len(fixable) >= 12, sorted(fixable)


# A program showing each known defect (see fix_properties.KNOWN_DEFECTS), by rule code.
KNOWN_DEFECT_SAMPLES: dict[str, str] = {}
FIXED_DEFECTS = {  # programs that once broke a property, and must not again
    "FAP206 added a parameter named like one reading another name": (
        "from typing import Annotated\nfrom fastapi import FastAPI, Path\napp = FastAPI()\n"
        "@app.get('/items/{item_id}')\ndef read(item_id: Annotated[int, Path(validation_alias='ref')]): ...\n"),
}


def test_each_known_defect_still_happens() -> None:
    """A known defect is set apart only while it still exists: once its rule is fixed, remove it from the list."""
    assert {defect.code for defect in KNOWN_DEFECTS} == set(KNOWN_DEFECT_SAMPLES)
    for defect in KNOWN_DEFECTS:
        report = check_program(KNOWN_DEFECT_SAMPLES[defect.code], "app/main.py", EVERY_RULE)
        assert report.known and report.problems == [], (defect.code, report)


def test_defects_once_found_stay_fixed() -> None:
    for name, source in FIXED_DEFECTS.items():
        report = check_program(source, "app/main.py", EVERY_RULE)
        assert (report.problems, report.known) == ([], []), name
