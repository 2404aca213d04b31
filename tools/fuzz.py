"""The long property run: the reliability properties of `tests/reliability/` on tens of thousands of programs.

    python tools/fuzz.py                          # 20,000 programs across the four generators
    python tools/fuzz.py --programs 2000 --seed 3
    python tools/fuzz.py --only fastapi case-mixtures

For every program: `analyze()` never raises and no rule fails; every offered fix, alone and all together, keeps
the file compiling; no finding survives its own fix; a second round of fixes changes nothing. Failures are
collected instead of stopping the run; at the end each distinct problem is printed once with the shortest
program that showed it. Known defects (reported, listed in fix_properties.py) are counted apart. Exit code 1
when anything failed. The CI runs the same properties on a few hundred programs (pytest, profile `ci`).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "server"), str(ROOT / "tests" / "reliability")]

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

from fastapi_patterns.engine import Config  # noqa: E402
from fix_properties import FixReport, check_program  # noqa: E402
from program_strategies import PATHS, STRATEGIES  # noqa: E402

SHARES = {"fastapi": 0.35, "case-mixtures": 0.35, "grammar": 0.25, "cst-nodes": 0.05}
EVERY_RULE = Config(select=("ALL",))


@dataclass
class Tally:
    programs: int = 0
    seconds: float = 0.0
    totals: FixReport = field(default_factory=FixReport)
    failures: dict[str, str] = field(default_factory=dict)  # problem (numbers blanked) -> shortest program


def run_generator(name: str, programs: int, chosen_seed: int) -> Tally:
    tally = Tally()

    @seed(chosen_seed)
    @settings(max_examples=programs, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(STRATEGIES[name](), st.sampled_from(PATHS))
    def one(source: str, path: str) -> None:
        report = check_program(source, path, EVERY_RULE)
        tally.programs += 1
        tally.totals.add(report)
        for problem in report.problems:
            key = re.sub(r"\d+", "N", problem)
            if key not in tally.failures or len(source) < len(tally.failures[key]):
                tally.failures[key] = f"{path}:\n{source}"

    started = time.perf_counter()
    one()
    tally.seconds = time.perf_counter() - started
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--programs", type=int, default=20_000, help="programs in all (default 20,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="*", choices=sorted(SHARES), help="generators to run (default: all)")
    args = parser.parse_args()
    if args.programs < 1:
        parser.error("--programs must be at least 1")
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "fastapi-patterns-hypothesis")
    warnings.simplefilter("ignore", SyntaxWarning)  # hypothesmith compiles odd code of its own
    chosen = args.only or list(SHARES)
    weight = sum(SHARES[name] for name in chosen)
    failed = 0
    grand = Tally()
    for name in chosen:
        count = max(1, round(args.programs * SHARES[name] / weight))
        tally = run_generator(name, count, args.seed)
        totals = tally.totals
        print(f"{name:14} {tally.programs:6d} programs  {totals.findings:7d} findings  {totals.fixes_tried:6d} fixes "
              f"alone  {totals.fixes_applied:6d} applied together  {len(totals.known):4d} known  "
              f"{len(totals.problems):4d} problems  {tally.seconds:7.1f} s", flush=True)
        for problem, program in sorted(tally.failures.items()):
            print(f"\n  PROBLEM: {problem}\n  shortest program ({program.split(':', 1)[0]}):")
            print("    " + program.split("\n", 1)[1].replace("\n", "\n    "))
        failed += len(totals.problems)
        grand.programs += tally.programs
        grand.totals.add(totals)
    print(f"{'all':14} {grand.programs:6d} programs  {grand.totals.findings:7d} findings  "
          f"{grand.totals.fixes_tried:6d} fixes alone  {grand.totals.fixes_applied:6d} applied together  "
          f"{len(grand.totals.known):4d} known  {failed:4d} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
