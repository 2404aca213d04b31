"""The trees the comparative benchmark runs on: the fastapi sdist's `docs_src` (pinned version), the FastAPI-based
projects that tools/corpus.py fetches, and a generated project (bench/generate.py).

Sources are downloaded at run time into bench/corpus/ (not committed). Each tree is then materialised as a
plain folder of `.py` files only, outside any repository, so every tool sees exactly the same files and no
configuration, `.gitignore` or exclude list of ours or theirs changes what is checked.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Optional

from compare_report import TreeInfo
from generate import generate_project

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tools"))

import corpus  # noqa: E402  (tools/corpus.py: the list of projects and their download)

FASTAPI_VERSION = "0.165.0"
TREE_TITLES = {"docs_src": "fastapi docs_src", "projects": "real projects", "synthetic": "generated project"}


def docs_src_source() -> Path:
    """bench/corpus/fastapi-<pinned>/docs_src, downloading the sdist first if it is not there."""
    folder = corpus.CORPUS / f"fastapi-{FASTAPI_VERSION}" / "docs_src"
    if not folder.is_dir():
        corpus.fetch((f"fastapi=={FASTAPI_VERSION}",))
    if not folder.is_dir():
        raise FileNotFoundError(f"the fastapi {FASTAPI_VERSION} sdist has no docs_src folder")
    return folder


def project_sources(refetch: bool) -> list[Path]:
    """Every unpacked project under bench/corpus, fetching tools/corpus.py's list when there are none (or asked)."""

    def unpacked() -> list[Path]:
        if not corpus.CORPUS.is_dir():
            return []
        return [path for path in sorted(corpus.CORPUS.iterdir()) if path.is_dir() and not path.name.startswith("_")]

    if refetch or not [path for path in unpacked() if not path.name.startswith("fastapi-")]:
        corpus.fetch(corpus.PACKAGES)
    found = unpacked()
    if not found:
        raise FileNotFoundError("no project could be downloaded into bench/corpus")
    return found


def python_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if path.is_file())


def materialise(key: str, sources: list[Path], target: Path, per_source: Optional[int] = None) -> TreeInfo:
    """Copy the `.py` files of `sources` (each under its own folder name, at most `per_source` of each) into a
    fresh `target`."""
    if target.exists():
        shutil.rmtree(target)
    copied = lines = 0
    for source in sources:
        for path in python_files(source)[:per_source]:
            destination = target / source.name / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            data = path.read_bytes()
            destination.write_bytes(data)
            copied += 1
            lines += data.count(b"\n")
    return TreeInfo(key, TREE_TITLES.get(key, key), copied, lines)


def synthetic(target: Path, files: int) -> TreeInfo:
    if target.exists():
        shutil.rmtree(target)
    generate_project(target, files)
    written = python_files(target)
    lines = sum(path.read_bytes().count(b"\n") for path in written)
    return TreeInfo("synthetic", TREE_TITLES["synthetic"], len(written), lines)
