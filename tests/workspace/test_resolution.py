"""Module names, name resolution across modules, and what the summaries tell cross-file rules: class kinds
through bases defined elsewhere, ORM relationships, blocking call chains across modules, and call sites."""

from __future__ import annotations

from pathlib import Path

import pytest
from workspace_helpers import PROJECTS, index_of

from fastapi_patterns.engine.workspace import (
    ProjectLayout, Ref, RefKind, Target, WorkspaceIndex, blocking_chain, callers_of, summarize,
)


def write(root: Path, files: dict[str, str]) -> WorkspaceIndex:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return index_of(root)


@pytest.mark.parametrize(("project", "relative", "expected"), [
    ("src_layout", "src/shopapi/api/users.py", "shopapi.api.users"),
    ("src_layout", "src/shopapi/api/__init__.py", "shopapi.api"),
    ("src_layout", "tests/test_users.py", "tests.test_users"),
    ("package_layout", "app/routers/orders.py", "app.routers.orders"),
    ("namespace_layout", "services/catalog/main.py", "services.catalog.main"),
])
def test_module_names(project: str, relative: str, expected: str) -> None:
    assert index_of(PROJECTS / project).module_name(str(PROJECTS / project / relative)) == expected


def test_a_package_run_from_a_subdirectory_is_named_from_its_topmost_package(tmp_path: Path) -> None:
    backend = tmp_path / "backend" / "app"
    layout = ProjectLayout([str(tmp_path)], [str(backend / "__init__.py"), str(backend / "main.py")])
    assert layout.module_name(str(backend / "main.py")) == "app.main"
    assert str(tmp_path / "backend") in layout.search_paths


def test_a_packages_own_setup_module_is_no_project_marker(tmp_path: Path) -> None:
    index = write(tmp_path, {"pkg/__init__.py": "", "pkg/setup.py": "", "pkg/api.py": ""})
    assert index.module_name(str(tmp_path / "pkg/api.py")) == "pkg.api"


def test_relative_and_absolute_imports_and_re_exports_lead_to_the_definition() -> None:
    root = PROJECTS / "src_layout"
    index = index_of(root)
    main = str(root / "src/shopapi/main.py")
    found = index.resolver.resolve(main, Ref(RefKind.IMPORTED, "shopapi.api.api_router"))
    assert found == Target("symbol", str(root / "src/shopapi/api/__init__.py"), "api_router")
    aggregator = str(root / "src/shopapi/api/__init__.py")
    users_router = index.resolver.resolve(aggregator, Ref(RefKind.MODULE, "users_router"))
    assert users_router == Target("symbol", str(root / "src/shopapi/api/users.py"), "router")
    assert index.resolver.resolve(main, Ref(RefKind.IMPORTED, "fastapi.FastAPI")) == Target(
        "external", name="fastapi.FastAPI")
    module = index.resolver.resolve(aggregator, Ref(RefKind.IMPORTED, ".users"))
    assert module == Target("module", str(root / "src/shopapi/api/users.py"))


def test_star_imports_and_aliases_are_followed(tmp_path: Path) -> None:
    index = write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/base.py": "from fastapi import APIRouter\nrouter = APIRouter(prefix='/base')\n",
        "pkg/reexport.py": "from .base import *\nalias = router\n",
        "pkg/main.py": "from fastapi import FastAPI\nfrom pkg.reexport import alias\napp = FastAPI()\n"
                       "app.include_router(alias)\n",
        "pkg/views.py": "from .reexport import router\n@router.get('/x')\ndef x(): ...\n",
    })
    assert [(route.path, route.mounted) for route in index.routes()] == [("/base/x", True)]


def test_settings_prefix_read_through_an_object_of_a_class_defined_elsewhere() -> None:
    root = PROJECTS / "src_layout"
    index = index_of(root)
    main = str(root / "src/shopapi/main.py")
    (include,) = [edge for edge in (index.summary(main) or summarize("")).includes]
    assert index.resolver.string_value(main, dict(include.keywords)["prefix"]) == "/api/v1"


def test_class_kinds_through_bases_in_other_modules(tmp_path: Path) -> None:
    index = write(tmp_path, {
        "db.py": "from sqlalchemy.orm import DeclarativeBase\nclass Base(DeclarativeBase): ...\n",
        "legacy.py": "from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n",
        "schemas.py": "from pydantic import BaseModel\nclass Schema(BaseModel): ...\n",
        "models.py": (
            "from typing import Optional\nfrom sqlalchemy.orm import Mapped, relationship\n"
            "from sqlmodel import SQLModel, Relationship\n"
            "from db import Base\nimport legacy\nfrom schemas import Schema\n"
            "class User(Base):\n"
            "    items: Mapped[list['Item']] = relationship(back_populates='owner')\n"
            "    team: Mapped[Optional['Team']] = relationship()\n"
            "class Item(legacy.Base):\n    owner = relationship('User', uselist=False)\n"
            "class UserOut(Schema):\n    name: str\n    email: str = 'x'\n"
            "class Hero(SQLModel, table=True):\n    team: list['Team'] = Relationship()\n"
            "class HeroIn(SQLModel): ...\n"
        ),
        "routing.py": "import fastapi\nclass Versioned(fastapi.APIRouter): ...\n",
    })
    models = str(tmp_path / "models.py")
    names = ("User", "Item", "UserOut", "Hero", "HeroIn")
    kinds = {name: index.resolver.kinds_of_class(models, name) for name in names}
    assert kinds == {"User": {"orm"}, "Item": {"orm"}, "UserOut": {"model"}, "Hero": {"model", "orm"},
                     "HeroIn": {"model"}}
    assert index.resolver.kinds_of_class(str(tmp_path / "routing.py"), "Versioned") == {"router"}
    summary = index.summary(models)
    assert summary is not None
    relationships = {(c.name, r.name): (r.target, r.collection) for c in summary.classes for r in c.relationships}
    assert relationships == {
        ("User", "items"): ("Item", True), ("User", "team"): ("Team", False),
        ("Item", "owner"): ("User", False), ("Hero", "team"): ("Team", True),
    }
    user_out = summary.class_named("UserOut")
    assert user_out is not None and [(f.name, f.annotation) for f in user_out.fields] == [
        ("name", "str"), ("email", "str")]


def test_blocking_chain_across_modules_stops_at_unawaited_coroutines(tmp_path: Path) -> None:
    index = write(tmp_path, {
        "clients.py": "import requests\ndef fetch(url):\n    return requests.get(url)\n",
        "service.py": "from clients import fetch\ndef load(user_id):\n    return fetch(f'/u/{user_id}')\n"
                      "async def later():\n    fetch('/x')\n",
        "api.py": "import service\nasync def endpoint():\n    return service.load(1)\n"
                  "async def spawn():\n    service.later()\n"
                  "async def waits():\n    await service.later()\n",
    })
    api = str(tmp_path / "api.py")
    chain = blocking_chain(index.resolver, api, "endpoint")
    assert chain is not None and chain.describe() == "endpoint -> load -> fetch -> requests.get()"
    assert [Path(step.file).name for step in chain.steps] == ["api.py", "service.py", "clients.py"]
    assert blocking_chain(index.resolver, api, "spawn") is None  # creates a coroutine, runs nothing now
    waits = blocking_chain(index.resolver, api, "waits")
    assert waits is not None and waits.describe() == "waits -> later -> fetch -> requests.get()"


def test_callers_of_a_function_across_modules(tmp_path: Path) -> None:
    index = write(tmp_path, {
        "jobs.py": "async def send(): ...\n",
        "a.py": "from jobs import send\nasync def one():\n    await send()\n",
        "b.py": "import jobs\ndef two():\n    jobs.send()\njobs.send()\n",
    })
    sites = callers_of(index.resolver, str(tmp_path / "jobs.py"), "send")
    assert sorted((Path(s.file).name, s.caller or "<module>", s.call.awaited) for s in sites) == [
        ("a.py", "one", True), ("b.py", "<module>", False), ("b.py", "two", False)]


def test_fixture_that_builds_a_test_client_is_marked() -> None:
    summary = index_of(PROJECTS / "package_layout").summary(str(PROJECTS / "package_layout/tests/conftest.py"))
    assert summary is not None
    client = summary.function_named("client")
    assert client is not None and client.makes_test_client


def test_summary_of_a_file_that_does_not_parse() -> None:
    summary = summarize("def broken(:\n")
    assert not summary.parsed and summary.routes == () and "line 1" in (summary.syntax_error or "")
