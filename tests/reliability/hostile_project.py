"""A FastAPI project in which running almost anything of it leaves a trace: for the security tests.

Every Python file of the project, a bytecode-only package, modules named like the ones the tool imports after
start-up (`difflib.py`, `libcst/`, `jedi.py`...), and a crafted `--check` cache each create a file named after
themselves in a marker folder outside the project when they are imported, executed or unpickled. The project is
otherwise ordinary: its app has routers, dependencies and findings with fixes, so every feature has work to do.
"""

from __future__ import annotations

import pickle
import py_compile
from pathlib import Path

from fastapi_patterns import __version__

SHADOWED = ("difflib", "jedi", "json", "logging", "pathspec", "pygls", "lsprotocol", "tomllib", "argparse",
            "typing_extensions", "attrs", "cattrs", "libcst")
HOOK_FILES = ("conftest.py", "sitecustomize.py", "usercustomize.py", "setup.py", "noxfile.py")

MAIN = '''\
from fastapi import Depends, FastAPI
import asyncio

from app import side_effects
from app.routers import items
from evilpkg import Router as ExternalRouter

app = FastAPI()
external = ExternalRouter()


def get_settings() -> dict[str, str]:
    return {}


@app.get("health")
async def health(settings: dict[str, str] = Depends(get_settings)) -> dict[str, str]:
    loop = asyncio.get_event_loop()
    return {"loop": str(loop)}


app.include_router(items.router, prefix="/items")
'''
ROUTER = '''\
from fastapi import APIRouter

router = APIRouter()


@router.post("/")
def create_item(name: str) -> dict[str, str]:
    return {"name": name}
'''
TEST = '''\
from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_health() -> None:
    assert client.get("/health").status_code == 200
'''


class _Payload:
    """Unpickled, it would call `open(marker, "w")`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def _trace(markers: Path, name: str) -> str:
    return f"open({str(markers / name)!r}, 'w').close()\n"


def build(project: Path, markers: Path) -> None:
    markers.mkdir(parents=True, exist_ok=True)
    files = {
        "app/__init__.py": _trace(markers, "app-package"),
        "app/side_effects.py": _trace(markers, "app-module"),
        "app/main.py": _trace(markers, "app-main") + MAIN,
        "app/routers/__init__.py": _trace(markers, "routers-package"),
        "app/routers/items.py": _trace(markers, "routers-module") + ROUTER,
        "tests/test_api.py": _trace(markers, "tests-module") + TEST,
        "pyproject.toml": '[tool.fastapi-patterns]\nextend-select = ["FAP215"]\n',
        **{name: _trace(markers, name) for name in HOOK_FILES},
        **{f"{name}.py": _trace(markers, f"shadow-{name}") for name in SHADOWED if name != "libcst"},
        "libcst/__init__.py": _trace(markers, "shadow-libcst"),
    }
    for name, text in files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    source = markers.parent / "evilpkg_source.py"
    source.write_text(_trace(markers, "bytecode-module") + "class Router:\n    pass\n", encoding="utf-8")
    py_compile.compile(str(source), cfile=str(project / "evilpkg.pyc"), doraise=True)
    cache = project / ".fastapi-patterns-cache"
    cache.mkdir()
    for name in ("results.pickle", "summaries.pickle"):
        payload = ((__version__, 1), {"app/main.py": _Payload(markers / f"unpickled-{name}")})
        (cache / name).write_bytes(pickle.dumps(payload))


def traces(markers: Path) -> list[str]:
    return sorted(path.name for path in markers.iterdir())


def on_the_import_path(project: Path) -> None:
    """Prepare the project to be put on the import path: what it names like the tool's own imports or like
    start-up hooks would then be Python's choice, not the tool's, so those go; its own modules stay."""
    for name in (*(f"{name}.py" for name in SHADOWED if name != "libcst"), *HOOK_FILES):
        (project / name).unlink()
    for path in sorted((project / "libcst").iterdir()):
        path.unlink()
    (project / "libcst").rmdir()
    for path in sorted((project / ".fastapi-patterns-cache").iterdir()):
        path.unlink()


def reexporting_package(project: Path, markers: Path) -> None:
    """`evilpkg` as source that re-exports its Router from a bytecode-only submodule."""
    (project / "evilpkg.pyc").unlink()
    package = project / "evilpkg"
    package.mkdir()
    (package / "__init__.py").write_text(_trace(markers, "reexport-package") + "from ._native import Router\n",
                                         encoding="utf-8")
    source = markers.parent / "native_source.py"
    source.write_text(_trace(markers, "reexport-bytecode") + "class Router:\n    pass\n", encoding="utf-8")
    py_compile.compile(str(source), cfile=str(package / "_native.pyc"), doraise=True)
