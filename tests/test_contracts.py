"""Rule contracts: what every rule promises besides its own cases.

Unique, well-formed codes and names; a registry that is complete and in code order; documentation with every
section, whose Example triggers the rule and whose Use-instead block does not; metadata that agrees with itself
(a fix title exactly when there is a fix safety); enough cases; and a docs/rules.md that matches the rules.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import string
from pathlib import Path

import pytest

import fastapi_patterns.rules as rules_package
from fastapi_patterns.docs import anchor, main, render_rule, render_rules_page, rule_url
from fastapi_patterns.engine import Config, Severity, analyze
from fastapi_patterns.engine.rule import CASE_ROOT, Rule
from fastapi_patterns.engine.workspace import build_index
from fastapi_patterns.rules import ALL_RULES, KNOWN_CODES, RULES_BY_CODE

ROOT = Path(__file__).resolve().parent.parent
RULES_PAGE = ROOT / "docs" / "rules.md"
REGENERATE = "PYTHONPATH=server python -m fastapi_patterns.docs docs/rules.md"

# Every rule holds at least this many cases today. The target for a finished rule is a dozen of each,
# covering aliases, shadowing, nested scopes and every fix variant; raise these floors as rules get there.
MIN_VALID_CASES = 2
MIN_INVALID_CASES = 3

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "Use instead:")
_FENCE = re.compile(r"```python\n(.*?)```", re.DOTALL)

rule_params = pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)


def _rule_classes_in(module_name: str) -> list[type[Rule]]:
    module = importlib.import_module(module_name)
    return [
        value for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, Rule) and value is not Rule
        and value.__module__ == module_name and hasattr(value, "code")  # a shared base without a code is no rule
    ]


def _rule_modules() -> list[str]:
    return [
        f"{rules_package.__name__}.{info.name}"
        for info in pkgutil.iter_modules(rules_package.__path__)
        if not info.name.startswith("_")
    ]


def _block_after(documentation: str, marker: str) -> str:
    """The first ```python block after `marker` in the rule's documentation."""
    position = documentation.index(marker)
    match = _FENCE.search(documentation, position)
    assert match is not None, f"no ```python block after {marker!r}"
    return match.group(1)


def _example_path(rule: Rule) -> str:
    """Where the rule's examples are analysed: where its own invalid cases live (test rules look at tests)."""
    return rule.INVALID[0].path if rule.INVALID else "app/main.py"


def _findings_of(rule: Rule, source: str) -> list[str]:
    """The rule's findings on `source` analysed as the one module of a project (so rules that must see the
    whole project, such as a router that nothing includes, judge it too)."""
    path = f"{CASE_ROOT}/{_example_path(rule)}"
    workspace = build_index([CASE_ROOT], [(path, source)])
    analysis = analyze(source, path, Config(extend_select=(rule.code,)), workspace)
    assert not analysis.failures, analysis.failures
    return [finding.message for finding in analysis.findings if finding.code == rule.code]


# -- identity and registry ------------------------------------------------------------------------------


def test_codes_and_names_are_unique() -> None:
    codes = [rule.code for rule in ALL_RULES]
    names = [rule.name for rule in ALL_RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))
    assert set(RULES_BY_CODE) == KNOWN_CODES == set(codes)


@rule_params
def test_code_and_name_are_well_formed(rule: Rule) -> None:
    assert re.fullmatch(r"FAP\d{3}", rule.code)
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)+", rule.name), "names are kebab-case, two words or more"


def test_registry_is_in_code_order_with_one_instance_per_class() -> None:
    assert [rule.code for rule in ALL_RULES] == sorted(rule.code for rule in ALL_RULES)
    classes = [type(rule) for rule in ALL_RULES]
    assert len(classes) == len(set(classes))


def test_every_rule_module_is_registered() -> None:
    registered = {type(rule) for rule in ALL_RULES}
    missing = [
        f"{module}.{cls.__name__}"
        for module in _rule_modules()
        for cls in _rule_classes_in(module)
        if cls not in registered
    ]
    assert missing == [], f"add these rules to ALL_RULES in rules/__init__.py: {missing}"


def test_each_rule_lives_in_a_module_named_after_it() -> None:
    misplaced = [
        f"{rule.code} {rule.name} is in {type(rule).__module__}"
        for rule in ALL_RULES
        if type(rule).__module__ != f"{rules_package.__name__}.{rule.name.replace('-', '_')}"
    ]
    assert misplaced == []
    for module in _rule_modules():
        assert len(_rule_classes_in(module)) <= 1, f"{module} defines more than one rule"


# -- metadata -------------------------------------------------------------------------------------------


@rule_params
def test_metadata_is_consistent(rule: Rule) -> None:
    assert isinstance(rule.severity, Severity)
    assert rule.opt_in == (rule.code in ("FAP215", "FAP216")), "only FAP215 and FAP216 are opt-in"
    assert isinstance(rule.node_types, tuple)
    assert all(isinstance(t, type) and issubclass(t, ast.AST) for t in rule.node_types)
    assert rule.node_types or rule.code == "FAP001", "a rule subscribes to at least one node type"
    assert rule.trigger_words and all(isinstance(w, str) and w for w in rule.trigger_words)
    assert (rule.fix_title is None) == (rule.fix_safety is None), "a fix title exactly when a fix safety is set"


@rule_params
def test_message_is_a_sensible_template(rule: Rule) -> None:
    message = rule.message
    assert message and message == message.strip() and "\n" not in message
    assert not message.endswith("."), "messages are phrases, like ruff's, without a final period"
    fields = [name for _, name, _, _ in string.Formatter().parse(message) if name is not None]
    assert all(name.isidentifier() for name in fields), f"template fields must be names: {fields}"


@pytest.mark.parametrize("rule", [r for r in ALL_RULES if r.fix_title is not None], ids=lambda r: r.code)
def test_fix_title_is_an_imperative_phrase(rule: Rule) -> None:
    title = rule.fix_title
    assert title is not None
    assert title == title.strip() and "\n" not in title and not title.endswith(".")
    assert title[0].isupper(), "fix titles start with a capitalised verb"
    assert not re.match(r"(Adds|Removes|Replaces|Fixes|Fixed)\b", title), "imperative: Add, Remove, Replace"


# -- documentation --------------------------------------------------------------------------------------


@rule_params
def test_documentation_has_every_section_in_order(rule: Rule) -> None:
    documentation = rule.documentation()
    sections = list(SECTIONS) + (["## Fix safety"] if rule.fix_safety is not None else [])
    positions = []
    for section in sections:
        assert section in documentation, f"{rule.code} documentation lacks {section!r}"
        positions.append(documentation.index(section))
    assert positions == sorted(positions), f"sections out of order: {sections}"
    for section in sections:
        body = documentation.split(section, 1)[1].lstrip().split("\n## ", 1)[0]
        assert body.strip(), f"{section!r} is empty"


@rule_params
def test_example_triggers_the_rule(rule: Rule) -> None:
    example = _block_after(rule.documentation(), "## Example")
    assert _findings_of(rule, example), f"{rule.code}: the documented Example is not flagged"


@rule_params
def test_use_instead_does_not_trigger_the_rule(rule: Rule) -> None:
    better = _block_after(rule.documentation(), "Use instead:")
    ast.parse(better)
    assert _findings_of(rule, better) == [], f"{rule.code}: the documented Use-instead code is flagged"


# -- cases ----------------------------------------------------------------------------------------------


@rule_params
def test_rule_has_enough_cases(rule: Rule) -> None:
    assert len(rule.VALID) >= MIN_VALID_CASES, f"{rule.code} has {len(rule.VALID)} valid cases"
    assert len(rule.INVALID) >= MIN_INVALID_CASES, f"{rule.code} has {len(rule.INVALID)} invalid cases"


@rule_params
def test_fixed_cases_exist_exactly_for_fixable_rules(rule: Rule) -> None:
    fixed = [case for case in rule.INVALID if case.fixed is not None]
    if rule.fix_safety is None:
        assert fixed == [], f"{rule.code} has no fix safety but a case expects a fix"
    else:
        assert fixed, f"{rule.code} can fix but no invalid case shows the fixed code"


# -- generated documentation ----------------------------------------------------------------------------


def test_rules_page_is_current() -> None:
    assert RULES_PAGE.is_file(), f"docs/rules.md is missing: run `{REGENERATE}` from the repository root"
    current = RULES_PAGE.read_text(encoding="utf-8")
    assert current == render_rules_page(), f"docs/rules.md is stale: run `{REGENERATE}` from the repository root"


@rule_params
def test_rules_page_links_and_sections(rule: Rule) -> None:
    page = render_rules_page()
    assert f"## {rule.code} {rule.name}\n" in page
    assert f"(#{anchor(rule)})" in page
    assert rule_url(rule).endswith(f"#{rule.code.lower()}-{rule.name}")
    section = render_rule(rule, heading_level=2)
    assert "\n### What it does" in section and "\n## What it does" not in section


def test_docs_command_writes_then_checks_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "docs" / "rules.md"
    assert main(["--check", str(page)]) == 1
    assert main([str(page)]) == 0
    assert page.read_text(encoding="utf-8") == render_rules_page()
    assert main(["--check", str(page)]) == 0
    page.write_text("old\n", encoding="utf-8")
    assert main(["--check", str(page)]) == 1
    assert "out of date" in capsys.readouterr().err


def test_docs_command_reports_an_unwritable_path_briefly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert main([str(blocker / "rules.md")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("cannot write") and "Traceback" not in error
