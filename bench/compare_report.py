"""Numbers and tables of the comparative benchmark: medians, ratios against our checker, the terminal table, the
targets of issue 6 and the Markdown page `docs/benchmarks.md`.

Pure functions over plain data (no processes, no network, no clock), so the tests run them directly.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Optional, Sequence

# Keys of the rows the targets and ratios refer to (see compare_tools.contenders).
OURS_COLD = "ours-cold-1"
OURS_COLD_PARALLEL = "ours-cold-2"
OURS_WARM = "ours-warm"
AST_FLOOR = "ast-floor"


@dataclass(frozen=True)
class Cell:
    """One tool on one tree: the timed runs in seconds, or why there are none ("skipped", "n/a: ...")."""

    samples: tuple[float, ...] = ()
    reason: str = ""

    @property
    def median(self) -> Optional[float]:
        return statistics.median(self.samples) if self.samples and not self.reason else None


@dataclass(frozen=True)
class TreeInfo:
    key: str
    title: str
    files: int
    lines: int


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    note: str = ""


@dataclass
class Report:
    """Everything one benchmark run measured, ready to print or to write down."""

    trees: list[TreeInfo]
    rows: list[Row]
    cells: dict[tuple[str, str], Cell]  # (row key, tree key)
    repeat: int
    startup: list[tuple[str, Cell]] = field(default_factory=list)
    lsp: dict[int, tuple[float, float]] = field(default_factory=dict)  # lines -> (pull, push) seconds
    machine: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    command: str = ""

    def median(self, row: str, tree: str) -> Optional[float]:
        cell = self.cells.get((row, tree))
        return cell.median if cell else None


def ratio(seconds: Optional[float], reference: Optional[float]) -> Optional[float]:
    """How many times `reference` the time is (above 1: slower than the reference); None if either is missing."""
    if seconds is None or reference is None or reference <= 0:
        return None
    return seconds / reference


def format_seconds(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds:.3f} s"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def format_ratio(value: float) -> str:
    if value < 1:
        return f"{value:.2g}x"
    return f"{value:.1f}x" if value < 10 else f"{value:.0f}x"


def cell_text(cell: Optional[Cell], reference: Optional[float]) -> str:
    """`0.955 s (12x)`: the median and its ratio to our cold run, or the reason there is no figure."""
    if cell is None:
        return "-"
    median = cell.median
    if median is None:
        return cell.reason or "-"
    relation = ratio(median, reference)
    return format_seconds(median) + (f" ({format_ratio(relation)})" if relation is not None else "")


def comparison_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the main table: one row per tool, one column per tree, then the note."""
    header = ["tool"] + [f"{tree.title} ({tree.files:,} files)" for tree in report.trees] + ["note"]
    rows = []
    for row in report.rows:
        cells = [cell_text(report.cells.get((row.key, tree.key)), report.median(OURS_COLD, tree.key))
                 for tree in report.trees]
        rows.append([row.label, *cells, row.note])
    return header, rows


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(line[column]) for line in [header, *rows]) for column in range(len(header))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip() for line in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(header), line(["---"] * len(header)), *(line(row) for row in rows)]) + "\n"


def _verdict(measured: Optional[float], limit: float, at_least: bool = False) -> str:
    if measured is None:
        return "not measured"
    return "met" if (measured >= limit if at_least else measured <= limit) else "NOT met"


def target_rows(report: Report) -> list[list[str]]:
    """The targets of issue 6 that this benchmark measures: [target, measured, verdict]."""
    rows: list[list[str]] = []

    def add(target: str, measured: Optional[float], shown: str, limit: float, at_least: bool = False) -> None:
        rows.append([target, shown if measured is not None else "-", _verdict(measured, limit, at_least)])

    docs = "docs_src"
    ours = report.median(OURS_COLD, docs)
    add("`--check` cold on docs_src < 0.5 s", ours, format_seconds(ours or 0), 0.5)
    for key, label, factor in (("flake8-async", "flake8-async", 20), ("fixit", "Fixit", 40)):
        relation = ratio(report.median(key, docs), ours)
        add(f"{factor}x faster than {label} on docs_src", relation, format_ratio(relation or 0), factor, True)
    behind_ruff = ratio(ours, report.median("ruff", docs))
    add("within 15x of ruff on docs_src", behind_ruff, format_ratio(behind_ruff or 0), 15)
    for tree in report.trees:
        if tree.files < 1000:
            continue
        floor = report.median(AST_FLOOR, tree.key)
        one = ratio(report.median(OURS_COLD, tree.key), floor)
        add(f"{tree.title}: `--jobs 1` at most 2x the ast.parse floor", one, format_ratio(one or 0), 2)
        two = ratio(report.median(OURS_COLD_PARALLEL, tree.key), floor)
        add(f"{tree.title}: `--jobs 2` near the floor (here: at most 1.25x)", two, format_ratio(two or 0), 1.25)
        warm = report.median(OURS_WARM, tree.key)
        add(f"{tree.title}: warm re-check < 0.5 s", warm, format_seconds(warm or 0), 0.5)
    for lines, limit in ((500, 0.030), (5000, 0.150)):
        pull = report.lsp.get(lines, (None, None))[0]
        add(f"LSP pull round trip, {lines:,} lines < {limit * 1000:.0f} ms", pull, f"{(pull or 0) * 1000:.0f} ms",
            limit)
    version = dict(report.startup).get("fastapi-patterns --version")
    seconds = version.median if version else None
    add("`fastapi-patterns --version` < 150 ms", seconds, f"{(seconds or 0) * 1000:.0f} ms", 0.150)
    return rows


def render_markdown(report: Report, plot_name: Optional[str]) -> str:
    header, rows = comparison_rows(report)
    machine = "\n".join(f"- {name}: {value}" for name, value in report.machine.items())
    versions = ", ".join(f"{name} {version}" for name, version in sorted(report.versions.items()))
    startup = [[label, f"{cell.median * 1000:.0f} ms" if cell.median is not None else cell.reason]
               for label, cell in report.startup]
    lsp = [[f"{lines:,}", f"{pull * 1000:.0f} ms", f"{push * 1000:.0f} ms"]
           for lines, (pull, push) in sorted(report.lsp.items())]
    parts = [
        "# Benchmarks\n",
        "Wall-clock time of `fastapi-patterns --check` beside the tools FastAPI developers would otherwise run, on "
        "the same trees, in one run. Each figure is the median of "
        f"{report.repeat} run{'s' if report.repeat != 1 else ''}, start-up included; in brackets, the time "
        "divided by ours (`--check --jobs 1`, cold): above 1x the tool is slower than ours. The trees hold only "
        "the `.py` files of their sources, copied outside any repository so no tool reads a configuration or "
        "a `.gitignore`.\n",
        f"Reproduce with `{report.command}`.\n",
        "## Checkers and parse floors\n",
        markdown_table(header, rows),
    ]
    if plot_name:
        parts.append(f"![time per tool and tree, log scale]({plot_name})\n")
    if startup:
        parts += ["## Start-up\n", markdown_table(["command", "median"], startup)]
    if lsp:
        parts += ["## Language server\n",
                  "Round trip after an edit, through the real server over stdio (`bench/lsp_roundtrip.py`): "
                  "pull is didChange then `textDocument/diagnostic` until its answer; push is didChange until "
                  "the `publishDiagnostics` of that version.\n",
                  markdown_table(["file lines", "pull (median)", "push (median)"], lsp)]
    parts += ["## Targets (issue 6)\n", markdown_table(["target", "measured", "verdict"], target_rows(report)),
              "## Machine\n", machine + "\n", f"Tool versions: {versions}.\n"]
    return "\n".join(parts)
