"""Classes of installed packages: found by jedi from source, followed through their bases, never imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastapi_patterns.engine.workspace import build_index
from fastapi_patterns.engine.workspace.library import LibraryClasses
from fastapi_patterns.engine.workspace.resolve import EXTERNAL_KINDS

pytest.importorskip("jedi", reason="jedi is a dependency of fastapi-patterns; this checks it is installed")


def make_library(root: Path, marker: Path) -> Path:
    """A package `extlib` that writes `marker` if anything ever imports it."""
    package = root / "site" / "extlib"
    package.mkdir(parents=True)
    touch = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('imported')\n"
    (package / "__init__.py").write_text(touch + "from .routing import SmartRouter\nfrom .models import Base\n")
    (package / "routing.py").write_text(touch + "from fastapi import APIRouter\n\n\nclass SmartRouter(APIRouter):\n"
                                        "    pass\n\n\nclass Mixin:\n    pass\n")
    (package / "models.py").write_text(touch + "from pydantic import BaseModel\n\nfrom . import routing\n\n\n"
                                       "class Base(BaseModel):\n    pass\n\n\nclass Deeper(Base, routing.Mixin):\n"
                                       "    pass\n")
    return root / "site"


def test_library_classes_are_classified_through_their_bases_without_importing(tmp_path: Path) -> None:
    marker = tmp_path / "imported.txt"
    classes = LibraryClasses(EXTERNAL_KINDS, sys_path=[str(make_library(tmp_path, marker))])
    assert classes.kinds("extlib.SmartRouter") == {"router"}  # re-exported by the package
    assert classes.kinds("extlib.models.Deeper") == {"model"}  # a base in the same module, one in a sibling
    assert classes.kinds("extlib.routing.Mixin") == frozenset()
    assert classes.kinds("extlib.Missing") == frozenset()
    lookups = classes.lookups
    assert classes.kinds("extlib.SmartRouter") == {"router"} and classes.lookups == lookups  # cached
    assert classes.kinds("fastapi.APIRouter") == {"router"} and classes.lookups == lookups  # known by heart
    assert not marker.exists()


def test_routes_of_a_router_class_from_a_library_are_in_the_route_table(tmp_path: Path) -> None:
    marker = tmp_path / "imported.txt"
    library = LibraryClasses(EXTERNAL_KINDS, sys_path=[str(make_library(tmp_path, marker))])
    project = tmp_path / "project"
    sources = [
        (str(project / "app" / "__init__.py"), ""),
        (str(project / "app" / "main.py"), "from fastapi import FastAPI\nfrom app.users import router\n"
                                           "app = FastAPI()\napp.include_router(router, prefix='/users')\n"),
        (str(project / "app" / "users.py"), "from extlib import SmartRouter\nrouter = SmartRouter()\n"
                                            "@router.get('/me')\ndef me(): ...\n"),
    ]
    without = build_index([str(project)], sources)
    assert [(r.method, r.path) for r in without.routes() if r.mounted] == []
    index = build_index([str(project)], sources)
    index.library = library.kinds
    assert [(r.method, r.path, r.mounted) for r in index.routes()] == [("GET", "/users/me", True)]
    assert not marker.exists()
