"""Configuration: reading, validation with clear errors, rule selection by code and prefix."""

from __future__ import annotations

from pathlib import Path

from fastapi_patterns.engine.config import Config, config_from_mapping, find_config_file, load_config_file
from fastapi_patterns.engine.types import Severity
from fastapi_patterns.rules import KNOWN_CODES


def test_defaults_enable_everything_but_opt_in() -> None:
    config = Config()
    assert config.is_enabled("FAP101")
    assert not config.is_enabled("FAP215", opt_in=True)


def test_select_prefix_and_ignore_most_specific_wins() -> None:
    config, errors = config_from_mapping({"select": ["FAP2"], "ignore": ["FAP21"], "extend-select": ["FAP214"]},
                                         "t", known_codes=KNOWN_CODES)
    assert errors == []
    assert config.is_enabled("FAP212") is False  # FAP21 ignore beats FAP2 select
    assert config.is_enabled("FAP214")  # the full code beats the FAP21 ignore
    assert not config.is_enabled("FAP104")


def test_opt_in_rule_needs_explicit_selection() -> None:
    config, _ = config_from_mapping({"extend-select": ["FAP215"]}, "t")
    assert config.is_enabled("FAP215", opt_in=True)


def test_unknown_key_and_bad_values_are_reported_with_key() -> None:
    config, errors = config_from_mapping(
        {"selct": ["FAP1"], "offload-style": "threads", "severity": {"FAP104": "loud"}, "select": ["XYZ"],
         "show-syntax-errors": "yes", "exclude": "build"},
        "pyproject.toml", known_codes=KNOWN_CODES,
    )
    messages = [str(e) for e in errors]
    assert any("`selct`" in m and "did you mean `select`" in m for m in messages)
    assert any("`offload-style`" in m and "threads" in m for m in messages)
    assert any("`severity.FAP104`" in m for m in messages)
    assert any("`select`" in m and "XYZ" in m for m in messages)
    assert any("`show-syntax-errors`" in m for m in messages)
    assert len(errors) == 5
    assert config.exclude == ("build",)  # good keys still apply
    assert config.offload_style == "run_in_executor"


def test_severity_override() -> None:
    config, errors = config_from_mapping({"severity": {"fap104": "error"}}, "t", known_codes=KNOWN_CODES)
    assert not errors
    assert config.severity_of("FAP104", Severity.WARNING) is Severity.ERROR


def test_per_file_ignores(tmp_path: Path) -> None:
    config, errors = config_from_mapping({"per-file-ignores": {"tests/*": ["FAP1"]}}, "t",
                                         Config(root=str(tmp_path)), KNOWN_CODES)
    assert not errors
    assert not config.is_enabled("FAP104", path=str(tmp_path / "tests" / "test_x.py"))
    assert config.is_enabled("FAP104", path=str(tmp_path / "app" / "main.py"))


def test_find_and_load_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.fastapi-patterns]\nignore = ["FAP104"]\n', encoding="utf-8")
    nested = tmp_path / "app" / "api"
    nested.mkdir(parents=True)
    found = find_config_file(nested)
    assert found == tmp_path / "pyproject.toml"
    config, errors = load_config_file(found, KNOWN_CODES)
    assert errors == [] and config.ignore == ("FAP104",) and config.root == str(tmp_path)


def test_invalid_toml_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "fastapi-patterns.toml"
    path.write_text("select = [\n", encoding="utf-8")
    config, errors = load_config_file(path)
    assert len(errors) == 1 and "invalid TOML" in str(errors[0]) and str(path) in str(errors[0])
    assert config.select == ()
