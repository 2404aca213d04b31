"""Command-line options and exit codes: selection, fail level, configuration errors, the informational commands."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
from cli_helpers import CLEAN, ROUTE_WITHOUT_SLASH, CliRunner, write

from fastapi_patterns import __version__, cli as cli_module
from fastapi_patterns.rules import ALL_RULES


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "app" / "routes.py", ROUTE_WITHOUT_SLASH)
    write(tmp_path / "app" / "clean.py", CLEAN)
    return tmp_path


def test_clean_code_exits_zero(cli: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "main.py", CLEAN)
    result = cli("--check", cwd=tmp_path)
    assert (result.code, result.out, result.err) == (0, "All checks passed.\n", "")


def test_finding_exits_one_and_prints_path_line_column(cli: CliRunner, project: Path) -> None:
    result = cli("--check", "--select", "FAP214", cwd=project)
    assert result.code == 1
    assert result.out == (
        "app/routes.py:6:10: FAP214 [*] Route path `items` does not start with `/`, so the route can never match\n"
        "Found 1 problem (1 fixable with --fix).\n"
    )


def test_exit_zero_and_fail_level(cli: CliRunner, project: Path) -> None:
    assert cli("--check", "--select", "FAP214", "--exit-zero", cwd=project).code == 0
    assert cli("--check", "--select", "FAP214", "--fail-level", "error", cwd=project).code == 1  # FAP214 is an error
    write(project / "pyproject.toml", '[tool.fastapi-patterns]\nseverity = {FAP214 = "information"}\n')
    assert cli("--check", "--select", "FAP214", cwd=project).code == 0  # below the default fail level (warning)
    assert cli("--check", "--select", "FAP214", "--fail-level", "information", cwd=project).code == 1
    assert cli("--check", "--select", "FAP214", "--fail-level", "hint", cwd=project).code == 1


def test_select_ignore_and_extend_select(cli: CliRunner, project: Path) -> None:
    assert "FAP214" in cli("--check", "--select", "fap2", cwd=project).out
    ignored = cli("--check", "--select", "FAP214", "--ignore", "FAP214", cwd=project)
    assert (ignored.code, ignored.out) == (0, "All checks passed.\n")
    write(project / "pyproject.toml", '[tool.fastapi-patterns]\nselect = ["FAP1"]\n')
    assert cli("--check", cwd=project).code == 0  # the file selects only FAP1xx
    assert cli("--check", "--extend-select", "FAP214", cwd=project).code == 1
    assert cli("--check", "--select", "FAP214", cwd=project).code == 1  # --select replaces the file's selection


def test_unknown_selector_is_a_usage_error(cli: CliRunner, project: Path) -> None:
    result = cli("--check", "--select", "FAP214,XYZ9", cwd=project)
    assert result.code == 2
    assert result.err == "fastapi-patterns: error: --select: `XYZ9` matches no rule code (see --list-rules)\n"


def test_config_error_names_file_and_key_and_exits_two(cli: CliRunner, project: Path) -> None:
    write(project / "pyproject.toml", '[tool.fastapi-patterns]\nselct = ["FAP1"]\noffload-style = "threads"\n')
    result = cli("--check", cwd=project)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0].startswith("pyproject.toml: selct: unknown key")
    assert lines[1].startswith("pyproject.toml: offload-style: expected one of")
    assert "Traceback" not in result.err


def test_invalid_toml_is_reported(cli: CliRunner, project: Path) -> None:
    write(project / "fastapi-patterns.toml", "select = [\n")
    result = cli("--check", cwd=project)
    assert result.code == 2
    assert result.err.startswith("fastapi-patterns.toml: <file>: invalid TOML")


def test_config_exclude_is_honoured(cli: CliRunner, project: Path) -> None:
    write(project / "pyproject.toml", '[tool.fastapi-patterns]\nexclude = ["app/routes.py"]\n')
    assert cli("--check", "--select", "FAP214", cwd=project).code == 0
    # a file named explicitly is still checked, unless --force-exclude
    assert cli("--check", "app/routes.py", "--select", "FAP214", cwd=project).code == 1
    forced = cli("--check", "app/routes.py", "--select", "FAP214", "--force-exclude", cwd=project)
    assert forced.code == 0


def test_statistics(cli: CliRunner, project: Path) -> None:
    write(project / "more.py", ROUTE_WITHOUT_SLASH.replace('"items"', '"more"'))
    result = cli("--check", "--select", "FAP214", "--statistics", cwd=project)
    assert result.code == 1
    assert result.out == "2  FAP214  [*] route-path-without-leading-slash\n"
    as_json = json.loads(cli("--check", "--select", "FAP214", "--statistics", "--format", "json", cwd=project).out)
    assert as_json == [{"code": "FAP214", "name": "route-path-without-leading-slash", "count": 2, "fixable": True}]


def test_quiet_prints_findings_only(cli: CliRunner, project: Path) -> None:
    result = cli("--check", "--select", "FAP214", "--quiet", cwd=project)
    assert result.out.splitlines() == [
        "app/routes.py:6:10: FAP214 [*] Route path `items` does not start with `/`, so the route can never match"
    ]


def test_no_cache_is_accepted(cli: CliRunner, project: Path) -> None:
    assert cli("--check", "--select", "FAP214", "--no-cache", cwd=project).code == 1


def test_explain(cli: CliRunner) -> None:
    result = cli("--explain", "fap212")
    assert result.code == 0
    assert result.out.startswith("# FAP212 called-dependency\n")
    assert "## Why is this bad?" in result.out
    assert cli("--explain", "called-dependency").out == result.out
    unknown = cli("--explain", "FAP999")
    assert (unknown.code, unknown.out) == (2, "")
    assert unknown.err == (
        "fastapi-patterns: unknown rule `FAP999` (run `fastapi-patterns --list-rules` to see every code)\n"
    )


def test_list_rules_is_an_aligned_table_of_every_rule(cli: CliRunner) -> None:
    result = cli("--list-rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "FIX", "DEFAULT"]
    assert [line.split()[0] for line in lines[1:]] == [rule.code for rule in ALL_RULES]
    name_column = lines[0].index("NAME")
    for line, rule in zip(lines[1:], ALL_RULES):
        assert line[name_column:].startswith(rule.name + " ")
        assert line.split()[2] == rule.severity.label
        assert line.split()[-1] == ("opt-in" if rule.opt_in else "on")


def test_version(cli: CliRunner) -> None:
    assert cli("--version").out == f"fastapi-patterns {__version__}\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("app",), "PATH needs --check"),
        (("--fix",), "--fix needs --check"),
        (("--check", "--jobs", "0"), "--jobs: expected a whole number of at least 1"),
        (("--check", "--port", "9000"), "--host and --port go with --tcp"),
        (("--stdio", "--port", "9000"), "--host and --port need --tcp"),
    ],
)
def test_usage_errors(cli: CliRunner, tmp_path: Path, argv: tuple[str, ...], message: str) -> None:
    result = cli(*argv, cwd=tmp_path)
    assert result.code == 2
    assert result.err.startswith(f"fastapi-patterns: error: {message}")


def test_conflicting_commands_are_rejected_by_the_parser(cli: CliRunner) -> None:
    result = cli("--check", "--explain", "FAP212")
    assert result.code == 2
    assert "not allowed with argument" in result.err


def test_missing_path_exits_two(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("--check", "nowhere.py", cwd=tmp_path)
    assert result.code == 2
    assert result.err == "nowhere.py: no such file or directory\n"


def test_internal_error_is_one_line_not_a_traceback(cli: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    def explode(*_: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli_module, "run_check", explode)
    result = cli("--check", cwd=tmp_path)
    assert (result.code, result.err) == (2, "fastapi-patterns: internal error: RuntimeError: boom\n")


def test_a_crashing_rule_is_reported_and_exits_two(cli: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                                   project: Path) -> None:
    from fastapi_patterns.rules.route_path_without_leading_slash import RoutePathWithoutLeadingSlash

    def broken(self: object, node: object, ctx: object) -> None:
        raise ValueError("rule bug")

    monkeypatch.setattr(RoutePathWithoutLeadingSlash, "visit", broken)
    result = cli("--check", "--select", "FAP214", "--jobs", "1", cwd=project)
    assert result.code == 2
    assert "app/routes.py: internal error in rule FAP214: ValueError: rule bug\n" in result.err


class _FakeLsp(types.ModuleType):
    def __init__(self) -> None:
        super().__init__("fastapi_patterns.lsp")
        self.calls: list[dict[str, object]] = []

    def serve(self, transport: str = "stdio", host: str = "127.0.0.1", port: int = 2087) -> int:
        self.calls.append({"transport": transport, "host": host, "port": port})
        return 0


@pytest.mark.parametrize("is_terminal", [True, False])
def test_serving_stdio_announces_itself_only_on_a_terminal(cli: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                                           is_terminal: bool) -> None:
    fake = _FakeLsp()
    monkeypatch.setitem(sys.modules, "fastapi_patterns.lsp", fake)
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(isatty=lambda: is_terminal))
    result = cli()
    assert result.code == 0
    assert fake.calls == [{"transport": "stdio", "host": "127.0.0.1", "port": 2087}]  # the server's defaults
    if is_terminal:
        assert result.err == cli_module.TTY_NOTICE + "\n"
        assert "--check PATH" in result.err
    else:
        assert result.err == ""


def test_serving_tcp_passes_host_and_port(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _FakeLsp()
    monkeypatch.setitem(sys.modules, "fastapi_patterns.lsp", fake)
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(isatty=lambda: True))
    result = cli("--tcp", "--host", "0.0.0.0", "--port", "9123")
    assert (result.code, result.err) == (0, "")
    assert fake.calls == [{"transport": "tcp", "host": "0.0.0.0", "port": 9123}]
