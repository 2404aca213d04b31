"""Precision on real code: download FastAPI projects' source distributions from PyPI, check them, count and
sample the findings for triage.

    python tools/corpus.py fetch                 # download and unpack the sdists into bench/corpus/ (not committed)
    python tools/corpus.py count                 # findings per rule over the whole corpus
    python tools/corpus.py sample FAP101 -n 30   # a reproducible random sample, each with its source lines

Third-party code is downloaded at run time and never committed; only the numbers go into docs/precision.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"
PACKAGES = (
    "fastapi", "fastapi-users", "sqlmodel", "fastapi-pagination", "stac-fastapi.api", "stac-fastapi.types",
    "fastapi-utils", "fastapi-cache2", "fastapi-crudrouter", "fastapi-amis-admin", "sqladmin", "freqtrade",
    "fastapi-mail", "slowapi", "fastapi-limiter", "langserve", "opal-server", "fastapi-restful",
)


def fetch(packages: tuple[str, ...]) -> None:
    downloads = CORPUS / "_sdists"
    downloads.mkdir(parents=True, exist_ok=True)
    for package in packages:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", package,
             "-d", str(downloads)],
            capture_output=True, text=True, timeout=600,
        )
        print(f"{'ok  ' if result.returncode == 0 else 'FAIL'} {package}", flush=True)
    for archive in sorted(downloads.iterdir()):
        target = CORPUS / archive.name.replace(".tar.gz", "").replace(".zip", "")
        if target.exists():
            continue
        if archive.name.endswith(".tar.gz"):
            with tarfile.open(archive) as handle:
                handle.extractall(CORPUS, filter="data")
        elif archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as handle:
                handle.extractall(CORPUS)
    print(f"corpus: {sum(1 for _ in CORPUS.rglob('*.py'))} Python files in {CORPUS}")


def check(select: str) -> list[dict[str, object]]:
    projects = [p for p in sorted(CORPUS.iterdir()) if p.is_dir() and not p.name.startswith("_")]
    result = subprocess.run(
        [sys.executable, "-m", "fastapi_patterns", "--check", "--format", "json", "--exit-zero", "--select", select,
         *map(str, projects)],
        capture_output=True, text=True, cwd=ROOT,
    )
    if result.returncode not in (0, 2):
        raise SystemExit(f"check failed: {result.stderr[-2000:]}")
    if result.stderr:
        skipped = result.stderr.count("\n")
        print(f"({skipped} lines on stderr, e.g. skipped files)", file=sys.stderr)
    return json.loads(result.stdout)


def count(select: str) -> None:
    findings = check(select)
    files = sum(1 for _ in CORPUS.rglob("*.py"))
    by_code = collections.Counter(str(f["code"]) for f in findings)
    print(f"{len(findings)} findings in {files} files")
    for code, number in sorted(by_code.items()):
        print(f"  {code}  {number:6d}")


def sample(code: str, size: int, seed: int, context: int) -> None:
    findings = [f for f in check(code) if f["code"] == code]
    chosen = random.Random(seed).sample(findings, min(size, len(findings)))
    print(f"{code}: {len(findings)} findings, showing {len(chosen)} (seed {seed})\n")
    for index, finding in enumerate(sorted(chosen, key=lambda f: (f["filename"], f["location"]["row"])), 1):
        path = Path(str(finding["filename"]))
        row = int(finding["location"]["row"])  # type: ignore[index]
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        print(f"#{index} {path.relative_to(CORPUS)}:{row}: {finding['message']}")
        for number in range(max(1, row - context), min(len(lines), row + context) + 1):
            marker = ">" if number == row else " "
            print(f"   {marker}{number:5d} {lines[number - 1]}")
        print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch").add_argument("packages", nargs="*")
    counting = sub.add_parser("count")
    counting.add_argument("--select", default="ALL")
    sampling = sub.add_parser("sample")
    sampling.add_argument("code")
    sampling.add_argument("-n", type=int, default=30)
    sampling.add_argument("--seed", type=int, default=1)
    sampling.add_argument("--context", type=int, default=4)
    args = parser.parse_args()
    if args.command == "fetch":
        fetch(tuple(args.packages) or PACKAGES)
    elif args.command == "count":
        count(args.select)
    else:
        sample(args.code, args.n, args.seed, args.context)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
