"""The comparative benchmark's pure helpers, without network or timing: medians and ratios, table formatting,
the targets' verdicts, how our flags are read from `--help`, the parse-floor scripts on a tiny tree, and how a
tree is copied.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from compare_report import (  # noqa: E402
    AST_FLOOR,
    OURS_COLD,
    Cell,
    Report,
    Row,
    TreeInfo,
    cell_text,
    comparison_rows,
    format_ratio,
    format_seconds,
    markdown_table,
    ratio,
    render_markdown,
    target_rows,
    text_table,
)
from compare_tools import (  # noqa: E402
    AST_FLOOR_SCRIPT,
    LIBCST_METADATA_SCRIPT,
    LIBCST_PARSE_SCRIPT,
    OurOptions,
    contenders,
    detect_our_options,
    parse_floor_script,
    run_once,
)
from compare_trees import materialise  # noqa: E402


def _report() -> Report:
    trees = [TreeInfo("docs_src", "fastapi docs_src", 3, 30), TreeInfo("synthetic", "generated project", 3000, 9)]
    rows = [Row("ruff", "ruff"), Row(OURS_COLD, "ours"), Row(AST_FLOOR, "floor"), Row("fixit", "Fixit")]
    cells = {
        ("ruff", "docs_src"): Cell((0.02, 0.04, 0.03)),
        (OURS_COLD, "docs_src"): Cell((0.4, 0.6, 0.5)),
        ("fixit", "docs_src"): Cell((25.0,)),
        ("ruff", "synthetic"): Cell((0.1,)),
        (OURS_COLD, "synthetic"): Cell((3.0,)),
        (AST_FLOOR, "synthetic"): Cell((1.0,)),
        ("fixit", "synthetic"): Cell(reason="skipped"),
    }
    return Report(trees, rows, cells, repeat=3, lsp={500: (0.02, 0.01)},
                  startup=[("fastapi-patterns --version", Cell((0.2,)))], command="python bench/compare.py")


def test_median_ignores_order_and_a_reason_hides_partial_samples() -> None:
    assert Cell((3.0, 1.0, 2.0)).median == 2.0
    assert Cell((1.0, 2.0), reason="failed: exit 2").median is None
    assert Cell().median is None


def test_ratio_is_relative_to_the_reference_and_none_when_either_is_missing() -> None:
    assert ratio(10.0, 0.5) == 20.0
    assert ratio(None, 0.5) is None and ratio(1.0, None) is None and ratio(1.0, 0.0) is None


@pytest.mark.parametrize(("seconds", "text"), [(0.0351, "0.035 s"), (8.126, "8.13 s"), (19.52, "19.5 s")])
def test_seconds_keep_three_significant_digits(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text


@pytest.mark.parametrize(("value", "text"), [(0.0712, "0.071x"), (1.0, "1.0x"), (4.44, "4.4x"), (39.6, "40x")])
def test_ratio_formatting(value: float, text: str) -> None:
    assert format_ratio(value) == text


def test_cells_show_median_and_ratio_or_the_reason() -> None:
    assert cell_text(Cell((1.0, 3.0, 2.0)), 0.5) == "2.00 s (4.0x)"
    assert cell_text(Cell((1.0,)), None) == "1.00 s"
    assert cell_text(Cell(reason="n/a: no headless mode"), 0.5) == "n/a: no headless mode"
    assert cell_text(None, 0.5) == "-"


def test_comparison_table_has_a_column_per_tree_and_ratios_to_our_cold_run() -> None:
    header, rows = comparison_rows(_report())
    assert header == ["tool", "fastapi docs_src (3 files)", "generated project (3,000 files)", "note"]
    by_tool = {row[0]: row[1:3] for row in rows}
    assert by_tool["ruff"] == ["0.030 s (0.06x)", "0.100 s (0.033x)"]
    assert by_tool["ours"] == ["0.500 s (1.0x)", "3.00 s (1.0x)"]
    assert by_tool["Fixit"] == ["25.0 s (50x)", "skipped"]


def test_text_table_aligns_columns_under_a_rule() -> None:
    assert text_table(["a", "long"], [["wide cell", "x"]]) == "a          long\n---------  ----\nwide cell  x\n"


def test_markdown_table_escapes_pipes() -> None:
    table = markdown_table(["tool", "time"], [["a | b", "1 s"]])
    assert table.splitlines() == ["| tool | time |", "| --- | --- |", "| a \\| b | 1 s |"]


def test_targets_are_judged_against_the_measured_figures() -> None:
    verdicts = {row[0]: (row[1], row[2]) for row in target_rows(_report())}
    assert verdicts["`--check` cold on docs_src < 0.5 s"] == ("0.500 s", "met")
    assert verdicts["40x faster than Fixit on docs_src"] == ("50x", "met")
    assert verdicts["20x faster than flake8-async on docs_src"] == ("-", "not measured")
    assert verdicts["within 15x of ruff on docs_src"] == ("17x", "NOT met")
    assert verdicts["generated project: `--jobs 1` at most 2x the ast.parse floor"] == ("3.0x", "NOT met")
    assert verdicts["LSP pull round trip, 500 lines < 30 ms"] == ("20 ms", "met")
    assert verdicts["`fastapi-patterns --version` < 150 ms"] == ("200 ms", "NOT met")
    assert not [target for target in verdicts if target.startswith("fastapi docs_src:")]  # a small tree


def test_markdown_page_holds_the_table_plot_and_lsp_figures() -> None:
    page = render_markdown(_report(), "benchmarks.png")
    assert "| ruff | 0.030 s (0.06x) | 0.100 s (0.033x) |  |" in page
    assert "![time per tool and tree, log scale](benchmarks.png)" in page
    assert "| 500 | 20 ms | 10 ms |" in page
    assert "median of 3 runs" in page and "python bench/compare.py" in page
    assert "benchmarks.png" not in render_markdown(_report(), None)


def test_our_options_are_read_from_help_before_and_after_a_cache() -> None:
    before = detect_our_options("  --no-cache            accepted for compatibility; nothing is\n   cached\n")
    assert before == OurOptions(no_cache=True, cache=False, cache_dir=False)
    after = detect_our_options("  --no-cache   ignore the cache\n  --cache-dir DIR  where results are kept\n")
    assert after == OurOptions(no_cache=True, cache=True, cache_dir=True)
    assert detect_our_options("--check") == OurOptions(no_cache=False, cache=False, cache_dir=False)


def test_cold_runs_pass_no_cache_only_when_accepted_and_warm_needs_a_cache(tmp_path: Path) -> None:
    def commands(options: OurOptions) -> dict[str, object]:
        return {tool.row.key: tool.argv or tool.unavailable for tool in contenders(tmp_path, {}, options, "")}

    old = commands(OurOptions(no_cache=False, cache=False, cache_dir=False))
    assert "--no-cache" not in old[OURS_COLD]  # type: ignore[operator]
    assert old["ours-warm"] == "n/a: no on-disk cache yet"
    new = commands(OurOptions(no_cache=True, cache=True, cache_dir=True))
    assert "--no-cache" in new[OURS_COLD]  # type: ignore[operator]
    assert "--cache-dir" in new["ours-warm"] and "--no-cache" not in new["ours-warm"]  # type: ignore[operator]


@pytest.fixture
def tiny_tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("import os\n\nx = 1\n", encoding="utf-8")
    (root / "pkg" / "sub" / "b.py").write_text("async def f():\n    await g()\n", encoding="utf-8")
    (root / "pkg" / "broken.py").write_text("def (:\n", encoding="utf-8")
    (root / "pkg" / "notes.txt").write_text("not python\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("script", [AST_FLOOR_SCRIPT, LIBCST_PARSE_SCRIPT, LIBCST_METADATA_SCRIPT],
                         ids=["ast", "libcst", "libcst-metadata"])
def test_parse_floor_scripts_parse_every_python_file_and_count_failures(tiny_tree: Path, script: str) -> None:
    completed = subprocess.run([sys.executable, "-c", script, "."], cwd=tiny_tree, capture_output=True, text=True,
                               check=True)
    assert parse_floor_script(completed.stdout) == (2, 1)


def test_a_tree_holds_only_python_files_under_their_source_name(tiny_tree: Path, tmp_path: Path) -> None:
    tree = materialise("docs_src", [tiny_tree / "pkg"], tmp_path / "copy")
    assert (tree.files, tree.lines) == (3, 6)
    copied = sorted(str(path.relative_to(tmp_path / "copy")) for path in (tmp_path / "copy").rglob("*"))
    assert copied == ["pkg", "pkg/a.py", "pkg/broken.py", "pkg/sub", "pkg/sub/b.py"]
    assert materialise("docs_src", [tiny_tree / "pkg"], tmp_path / "copy", per_source=1).files == 1


def test_a_run_outside_the_accepted_exit_codes_says_why(tmp_path: Path) -> None:
    _, problem = run_once((sys.executable, "-c", "import sys; print('bad flag', file=sys.stderr); sys.exit(3)"),
                          tmp_path, (0, 1))
    assert problem == "failed: exit 3 (bad flag)"
    assert run_once((sys.executable, "-c", "raise SystemExit(1)"), tmp_path, (0, 1))[1] == ""
