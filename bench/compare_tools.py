"""The contenders of the comparative benchmark and how each one runs: its command line, the Python scripts of the
parse floors (`ast`, libcst, libcst with metadata), how our own flags are detected from `--help`, and the timing
of one run.

Every command runs with the tree as working directory and `.` as its target, with output discarded, so each tool
pays the same start-up and sees the same files.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from compare_report import AST_FLOOR, OURS_COLD, OURS_COLD_PARALLEL, OURS_WARM, Row

CACHE_DIR_TOKEN = "{cache_dir}"

_PARSE_LOOP = '''import os, sys
{imports}
parsed = failed = 0
for folder, subfolders, names in os.walk(sys.argv[1] if len(sys.argv) > 1 else "."):
    subfolders.sort()
    for name in sorted(names):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(folder, name), "rb") as handle:
            source = handle.read()
        try:
            {parse}
            parsed += 1
        except Exception:
            failed += 1
print(parsed, failed)
'''
AST_FLOOR_SCRIPT = _PARSE_LOOP.format(imports="import ast", parse="ast.parse(source)")
LIBCST_PARSE_SCRIPT = _PARSE_LOOP.format(imports="import libcst", parse="libcst.parse_module(source)")
LIBCST_METADATA_SCRIPT = _PARSE_LOOP.format(
    imports="import libcst\nfrom libcst.metadata import MetadataWrapper, PositionProvider, QualifiedNameProvider",
    parse="MetadataWrapper(libcst.parse_module(source)).resolve_many([QualifiedNameProvider, PositionProvider])",
)


@dataclass(frozen=True)
class Tool:
    """One row of the table: what to run and how to read its exit code."""

    row: Row
    argv: tuple[str, ...] = ()
    ok_codes: tuple[int, ...] = (0,)
    unavailable: str = ""  # why it cannot run here; shown as the cell's text
    slow: bool = False  # may be skipped on large trees (--skip-on-large)
    primes_cache: bool = False  # run once untimed before the timed runs (the warm run)


@dataclass(frozen=True)
class OurOptions:
    """What our `--check` accepts today, read from `--help` so the benchmark works before and after a cache."""

    no_cache: bool
    cache: bool
    cache_dir: bool


def detect_our_options(help_text: str) -> OurOptions:
    no_cache = "--no-cache" in help_text
    cache_dir = "--cache-dir" in help_text
    caches = cache_dir or (no_cache and "nothing is cached" not in " ".join(help_text.split()))
    return OurOptions(no_cache=no_cache, cache=caches, cache_dir=cache_dir)


def parse_floor_script(counts: str) -> tuple[int, int]:
    """(parsed, failed) from the last line a parse-floor script prints."""
    parsed, failed = counts.split()[-2:]
    return int(parsed), int(failed)


def contenders(bin_dir: Path, versions: dict[str, str], ours: OurOptions, fastapi_lsp_problem: str) -> list[Tool]:
    """Every row, in table order; `bin_dir` is the benchmark environment's scripts folder."""
    python = str(bin_dir / "python")
    ours_command = (str(bin_dir / "fastapi-patterns"), "--check", "--exit-zero", "--quiet")
    cold = ours_command + (("--no-cache",) if ours.no_cache else ())

    def version(name: str) -> str:
        return f" {versions[name]}" if name in versions else ""

    warm = Tool(Row(OURS_WARM, "fastapi-patterns --check, warm (second run, cache kept)",
                    "default jobs; unchanged tree"),
                ours_command + ((("--cache-dir", CACHE_DIR_TOKEN) if ours.cache_dir else ()) + (".",)),
                primes_cache=True)
    if not ours.cache:
        warm = Tool(warm.row, unavailable="n/a: no on-disk cache yet")
    fastapi_lsp = Tool(Row("fastapi-lsp", f"fastapi-lsp{version('fastapi-lsp')} check",
                           "Rust; route and model diagnostics"),
                       (str(bin_dir / "fastapi-lsp"), "check", "."), ok_codes=(0, 1),
                       unavailable=fastapi_lsp_problem)
    return [
        Tool(Row("ruff", f"ruff{version('ruff')} check --select ASYNC,FAST", "Rust, all cores, --no-cache"),
             (str(bin_dir / "ruff"), "check", "--select", "ASYNC,FAST", "--no-cache", "--exit-zero", "--quiet",
              ".")),
        fastapi_lsp,
        Tool(Row(AST_FLOOR, "ast.parse of every file", "floor for a Python tool; one process"),
             (python, "-c", AST_FLOOR_SCRIPT, ".")),
        Tool(Row(OURS_COLD, "fastapi-patterns --check --jobs 1, cold", "one process, no cache"),
             cold + ("--jobs", "1", ".")),
        Tool(Row(OURS_COLD_PARALLEL, "fastapi-patterns --check --jobs 2, cold", "two processes, no cache"),
             cold + ("--jobs", "2", ".")),
        warm,
        Tool(Row("libcst-parse", f"libcst{version('libcst')} parse_module of every file", "no metadata"),
             (python, "-c", LIBCST_PARSE_SCRIPT, ".")),
        Tool(Row("libcst-metadata", "libcst parse + QualifiedName/Position metadata",
                 "what a libcst-metadata engine pays"),
             (python, "-c", LIBCST_METADATA_SCRIPT, "."), slow=True),
        Tool(Row("flake8-async", f"flake8-async{version('flake8-async')} --select ASYNC",
                 f"flake8{version('flake8')}, processes on all cores"),
             (str(bin_dir / "flake8"), "--select", "ASYNC", "--exit-zero", "."), slow=True),
        Tool(Row("fixit", f"Fixit{version('fixit')} fixit lint", "default rules, processes on all cores"),
             (str(bin_dir / "fixit"), "lint", "."), ok_codes=(0, 1), slow=True),
    ]


def run_once(argv: tuple[str, ...], cwd: Path, ok_codes: tuple[int, ...],
             cache_dir: Optional[Path] = None) -> tuple[float, str]:
    """Wall time of one run in seconds, and "" or why the run failed."""
    command = [str(cache_dir) if part == CACHE_DIR_TOKEN else part for part in argv]
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if completed.returncode in ok_codes:
        return elapsed, ""
    last = (completed.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1][:120]
    return elapsed, f"failed: exit {completed.returncode}" + (f" ({last})" if last else "")
