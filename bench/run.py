"""Benchmarks, side by side: `fastapi-patterns --check` and `ruff check --select ASYNC,FAST` on one generated
project, plus the editor round trip (didChange to diagnostics) on 500- and 5,000-line files.

Run from the repository root: `python bench/run.py` (options: --files, --repeat, --skip-lsp). It prints medians;
nothing here is a test and nothing asserts a time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "server"))

from generate import generate_module, generate_project  # noqa: E402


def _median_seconds(command: list[str], repeat: int, cwd: Path) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def bench_check(files: int, repeat: int) -> None:
    target = HERE / "generated" / f"project_{files}"
    if target.exists():
        shutil.rmtree(target)
    paths = generate_project(target, files)
    lines = sum(p.read_text(encoding="utf-8").count("\n") for p in paths)
    print(f"## --check on a generated project: {files} files, {lines:,} lines (median of {repeat})")
    ours_one = [sys.executable, "-m", "fastapi_patterns", "--check", "--jobs", "1", "--exit-zero", "--quiet", "."]
    ours_all = [sys.executable, "-m", "fastapi_patterns", "--check", "--exit-zero", "--quiet", "."]
    rows = [
        ("fastapi-patterns --check --jobs 1 (one process)", _median_seconds(ours_one, repeat, target)),
        ("fastapi-patterns --check (all cores)", _median_seconds(ours_all, repeat, target)),
    ]
    ruff = shutil.which("ruff")
    if ruff:
        version = subprocess.run([ruff, "--version"], capture_output=True, text=True).stdout.strip()
        command = [ruff, "check", "--select", "ASYNC,FAST", "--no-cache", "--exit-zero", "--quiet", "."]
        rows.append((f"{version} check --select ASYNC,FAST", _median_seconds(command, repeat, target)))
    else:
        rows.append(("ruff (not installed: pip install ruff)", float("nan")))
    for label, seconds in rows:
        print(f"  {label:<55} {seconds * 1000:9.0f} ms")
    plain = [p for p in paths if "services" in p.parts]
    from fastapi_patterns.engine import analyze

    texts = [(p.read_text(encoding="utf-8"), str(p)) for p in plain]
    start = time.perf_counter()
    for _ in range(repeat):
        for text, path in texts:
            analyze(text, path)
    per_file = (time.perf_counter() - start) / (repeat * max(len(texts), 1))
    print(f"  analyze() of a module importing no framework (text scan only) {per_file * 1e6:9.1f} µs/file")


def bench_analyze(repeat: int) -> None:
    from fastapi_patterns.engine import analyze

    print(f"## analyze() of one router module in process (median of {repeat})")
    for lines in (500, 5000):
        text = generate_module(lines)
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            analyze(text, "module.py")
            timings.append(time.perf_counter() - start)
        print(f"  {lines:>5} lines{'':<42} {statistics.median(timings) * 1000:9.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-lsp", action="store_true")
    args = parser.parse_args()
    bench_check(args.files, args.repeat)
    bench_analyze(args.repeat * 4)
    if not args.skip_lsp:
        from lsp_roundtrip import bench_lsp

        bench_lsp(repeat=args.repeat * 4)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
