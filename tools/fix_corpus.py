"""Every fix, safe and unsafe, on real code: the corpus `tools/corpus.py fetch` downloads into bench/corpus/.

    python tools/corpus.py fetch        # once: the FastAPI projects' source distributions (not committed)
    python tools/fix_corpus.py          # then: fix every finding of every file, in memory; nothing is written
    python tools/fix_corpus.py --project fastapi_users --show 5

Each project gets its own workspace index (as `--check` builds it), so cross-file rules take part. For each
file it counts findings, fixes applied alone and all together, and the four things that must never happen:
a fixed file that no longer compiles (parses, for a file that did not compile to begin with), a finding that
survives its own fix, fixes that do not settle (a second round still changes the file), and fixes dropped by
`apply_fixes` because together they would break the file. Rule failures and fixes that could not be built are
counted too. Known defects (reported, listed in tests/reliability/fix_properties.py) are counted apart.
Exit code 1 when any of those counts is not zero.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"
sys.path[:0] = [str(ROOT / "server"), str(ROOT / "tests" / "reliability")]

from fastapi_patterns.checker.files import discover  # noqa: E402
from fastapi_patterns.checker.project import build_project_index  # noqa: E402
from fastapi_patterns.checker.settings import ConfigResolver, SelectionOverrides  # noqa: E402
from fastapi_patterns.checker.source import SourceText, read_source  # noqa: E402
from fastapi_patterns.rules import KNOWN_CODES  # noqa: E402
from fix_properties import FixReport, check_program  # noqa: E402

KINDS = (  # (counter, words that identify the problem)
    ("no longer compiles", ("no longer compiles", "no longer parses", "cannot be applied")),
    ("survives its own fix", ("survives its own fix",)),
    ("does not settle", ("second round", "did not settle")),
    ("dropped together", ("skipped a fix",)),
    ("rule failed", ("rule ", "analyze() raised")),
    ("fix not built", ("could not be built",)),
)


def kind_of(problem: str) -> str:
    return next((kind for kind, words in KINDS if any(word in problem for word in words)), "other")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", nargs="*", help="only the corpus folders whose name contains one of these")
    parser.add_argument("--show", type=int, default=3, help="problems to print per kind (default 3)")
    args = parser.parse_args()
    projects = [p for p in sorted(CORPUS.iterdir()) if p.is_dir() and not p.name.startswith("_")] \
        if CORPUS.is_dir() else []
    if args.project:
        projects = [p for p in projects if any(wanted in p.name for wanted in args.project)]
    if not projects:
        print(f"no corpus in {CORPUS}: run `python tools/corpus.py fetch` first", file=sys.stderr)
        return 2
    overrides = SelectionOverrides(select=("ALL",))  # opt-in rules too
    totals, files, fixed_files = FixReport(), 0, 0
    problems: dict[str, list[str]] = collections.defaultdict(list)
    started = time.perf_counter()
    for project in projects:
        resolver = ConfigResolver(project, overrides, KNOWN_CODES)
        found = discover(["."], project, resolver).files
        index = build_project_index([(str(f.path), f.config.max_file_size) for f in found], [str(project)], jobs=1)
        for source_file in found:
            source = read_source(source_file.path, source_file.config.max_file_size)
            if not isinstance(source, SourceText):
                continue
            report = check_program(source.text, str(source_file.path), source_file.config, index)
            files += 1
            fixed_files += report.fixes_applied > 0
            totals.add(report)
            for problem in report.problems:
                problems[kind_of(problem)].append(f"{project.name}/{source_file.display}: {problem}")
        print(f"{project.name:32} {len(found):5d} files  findings so far {totals.findings:6d}", flush=True)
    print(f"\n{files} files in {len(projects)} projects, {totals.findings} findings, "
          f"{totals.fixes_tried} fixes applied alone, {totals.fixes_applied} applied together in {fixed_files} files "
          f"({time.perf_counter() - started:.0f} s)")
    for kind, _ in (*KINDS, ("other", ())):
        print(f"  {kind:22} {len(problems.get(kind, [])):5d}")
        for line in problems.get(kind, [])[: args.show]:
            print(f"      {line}")
    print(f"  {'known defects':22} {len(totals.known):5d}")
    return 1 if totals.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
