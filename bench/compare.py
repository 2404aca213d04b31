"""Comparative benchmark: `fastapi-patterns --check` beside ruff, fastapi-lsp, flake8-async, Fixit and the parse
floors (`ast`, libcst, libcst with metadata), on the same trees, in one run; then the language server's round
trip and the start-up time. Prints a table of medians and ratios, and writes docs/benchmarks.md and
docs/benchmarks.png.

    python bench/compare.py                  # the full run (slow: many minutes on two cores)
    python bench/compare.py --quick          # smoke run: tiny trees, one repeat, report in the work folder

The other tools live in their own environment (bench/.venv-compare), the corpora are downloaded at run time
into bench/corpus; neither is committed. Nothing here is a test and nothing asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import compare_env  # noqa: E402
import compare_trees  # noqa: E402
from compare_report import Cell, Report, TreeInfo, comparison_rows, render_markdown, text_table  # noqa: E402
from compare_tools import (AST_FLOOR_SCRIPT, Tool, contenders, detect_our_options, parse_floor_script,  # noqa: E402
                           run_once)

DOCS = HERE.parent / "docs"
TREES = ("docs_src", "projects", "synthetic")


def parse_arguments(argv: Optional[list[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: trees of a few dozen files, one repeat, short LSP run; the report goes "
                             "to the work folder, not docs/")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per tool and tree; the median is kept")
    parser.add_argument("--trees", default=",".join(TREES), help=f"comma-separated, among {', '.join(TREES)}")
    parser.add_argument("--synthetic-files", type=int, default=3000, help="size of the generated project")
    parser.add_argument("--skip-on-large", default="", metavar="TOOLS",
                        help="comma-separated slow tools (libcst-metadata, flake8-async, fixit) to skip on trees "
                             "of more than --large files; their cells read 'skipped'")
    parser.add_argument("--large", type=int, default=1000, help="file count above which a tree is large")
    parser.add_argument("--skip-lsp", action="store_true", help="leave out the language server round trip")
    parser.add_argument("--lsp-repeat", type=int, default=20, help="edits per LSP measurement")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "fastapi-patterns-bench",
                        help="where the trees are copied (outside any repository)")
    parser.add_argument("--reinstall", action="store_true", help="reinstall the tools in bench/.venv-compare")
    parser.add_argument("--refetch", action="store_true", help="download the projects' sdists again")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.synthetic_files, args.lsp_repeat = 1, 30, 2
    unknown = set(args.trees.split(",")) - set(TREES)
    if unknown or args.repeat < 1 or args.synthetic_files < 1 or args.lsp_repeat < 1:
        parser.error(f"unknown tree {sorted(unknown)[0]}" if unknown else "counts must be at least 1")
    return args


def build_trees(args: argparse.Namespace) -> list[TreeInfo]:
    wanted, built = args.trees.split(","), []
    if "docs_src" in wanted:
        source = compare_trees.docs_src_source()
        built.append(compare_trees.materialise("docs_src", [source], args.work_dir / "docs_src",
                                               40 if args.quick else None))
    if "projects" in wanted:
        sources = compare_trees.project_sources(args.refetch)
        built.append(compare_trees.materialise("projects", sources, args.work_dir / "projects",
                                               3 if args.quick else None))
    if "synthetic" in wanted:
        built.append(compare_trees.synthetic(args.work_dir / "synthetic", args.synthetic_files))
    return sorted(built, key=lambda tree: tree.files)


def measure_tree(tree: TreeInfo, tools: list[Tool], args: argparse.Namespace, python: Path) -> dict[str, Cell]:
    """Every tool on one tree, in rounds (each round runs every tool once) so load changes hit all alike."""
    root = args.work_dir / tree.key
    counts = subprocess.run([str(python), "-c", AST_FLOOR_SCRIPT, "."], cwd=root, capture_output=True, text=True,
                            check=True).stdout  # an untimed first read, so no tool pays for a cold file cache
    _, unparsable = parse_floor_script(counts)
    print(f"\n## {tree.title}: {tree.files:,} files, {tree.lines:,} lines ({unparsable} that ast cannot parse)",
          flush=True)
    skip = set(filter(None, args.skip_on_large.split(",")))
    cells: dict[str, Cell] = {}
    cache_dir = args.work_dir / f"cache-{tree.key}"
    active: list[Tool] = []
    for tool in tools:
        if tool.unavailable:
            cells[tool.row.key] = Cell(reason=tool.unavailable)
        elif tool.slow and tool.row.key in skip and tree.files > args.large:
            cells[tool.row.key] = Cell(reason="skipped")
        else:
            active.append(tool)
            if tool.primes_cache:
                shutil.rmtree(cache_dir, ignore_errors=True)
                run_once(tool.argv, root, tool.ok_codes, cache_dir)
    samples: dict[str, list[float]] = {tool.row.key: [] for tool in active}
    for _ in range(args.repeat):
        for tool in active:
            if tool.row.key in cells:
                continue
            seconds, problem = run_once(tool.argv, root, tool.ok_codes, cache_dir)
            if problem:
                cells[tool.row.key] = Cell(tuple(samples[tool.row.key]), problem)
            samples[tool.row.key].append(seconds)
    for tool in active:
        cells.setdefault(tool.row.key, Cell(tuple(samples[tool.row.key])))
    for tool in tools:
        cell = cells[tool.row.key]
        shown = f"{cell.median:8.3f} s" if cell.median is not None else cell.reason
        print(f"  {tool.row.label:<58} {shown}", flush=True)
    return cells


def measure_startup(bin_dir: Path, repeat: int) -> list[tuple[str, Cell]]:
    commands = [("python -c pass (interpreter alone)", (str(bin_dir / "python"), "-c", "pass")),
                ("fastapi-patterns --version", (str(bin_dir / "fastapi-patterns"), "--version")),
                ("ruff --version", (str(bin_dir / "ruff"), "--version"))]
    measured = []
    for label, argv in commands:
        runs = [run_once(argv, HERE, (0,)) for _ in range(repeat)]
        problems = [problem for _, problem in runs if problem]
        measured.append((label, Cell(tuple(seconds for seconds, _ in runs), problems[0] if problems else "")))
    return measured


def measure_lsp(args: argparse.Namespace) -> dict[int, tuple[float, float]]:
    os.environ["PYTHONPATH"] = compare_env.project_python_path()  # the server runs from this checkout
    from lsp_roundtrip import bench_lsp

    print(flush=True)
    return bench_lsp(repeat=args.lsp_repeat, sizes=(500,) if args.quick else (500, 5000))


def write_outputs(report: Report, tools: list[Tool], bin_dir: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    results = {"trees": [{"title": tree.title, "files": tree.files} for tree in report.trees],
               "series": [{"label": tool.row.label, "seconds": [report.median(tool.row.key, tree.key)
                                                               for tree in report.trees]}
                          for tool in tools if any(report.median(tool.row.key, tree.key) for tree in report.trees)],
               "samples": {f"{row}/{tree}": list(cell.samples) for (row, tree), cell in report.cells.items()}}
    results_path = folder / "benchmarks.json" if folder != DOCS else compare_env.VENV / "benchmarks.json"
    results_path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    plotted = subprocess.run([str(bin_dir / "python"), str(HERE / "compare_plot.py"), str(results_path),
                              str(folder / "benchmarks.png")], capture_output=True, text=True, check=False)
    plot_name = "benchmarks.png" if plotted.returncode == 0 else None
    if plot_name is None:
        print(f"no plot: {(plotted.stderr.strip().splitlines() or ['?'])[-1]}", file=sys.stderr)
    (folder / "benchmarks.md").write_text(render_markdown(report, plot_name), encoding="utf-8")
    print(f"\nwrote {folder / 'benchmarks.md'}" + (f" and {folder / plot_name}" if plot_name else ""))


def run(args: argparse.Namespace) -> int:
    load_at_start = compare_env.load_average()
    environment = compare_env.ensure_environment(args.reinstall)
    bin_dir = environment.bin_dir
    our_help = subprocess.run([str(bin_dir / "fastapi-patterns"), "--help"], capture_output=True, text=True,
                              check=False).stdout
    tools = contenders(bin_dir, environment.versions, detect_our_options(our_help), environment.fastapi_lsp_problem)
    trees = build_trees(args)
    cells: dict[tuple[str, str], Cell] = {}
    for tree in trees:
        for key, cell in measure_tree(tree, tools, args, bin_dir / "python").items():
            cells[(key, tree.key)] = cell
    report = Report(trees, [tool.row for tool in tools], cells, args.repeat,
                    startup=measure_startup(bin_dir, max(args.repeat * 4, 3)),
                    lsp={} if args.skip_lsp else measure_lsp(args),
                    machine=compare_env.machine_facts(bin_dir / "python", load_at_start),
                    versions=environment.versions,
                    command=" ".join(["python", "bench/compare.py", *sys.argv[1:]]))
    header, rows = comparison_rows(report)
    print("\n" + text_table(header, rows))
    print(text_table(["command", "median"], [[label, f"{(cell.median or 0) * 1000:.0f} ms" if cell.median
                                              else cell.reason] for label, cell in report.startup]))
    write_outputs(report, tools, bin_dir, args.work_dir / "report" if args.quick else DOCS)
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_arguments(argv)
    try:
        return run(args)
    except (compare_env.SetupError, FileNotFoundError, subprocess.CalledProcessError) as error:
        print(f"compare: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("compare: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
