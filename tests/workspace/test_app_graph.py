"""The app graph: which apps and routers include which across modules, the includes nobody can follow, routers
handed to other code, startup/shutdown facts, and one graph per index version."""

from __future__ import annotations

from fastapi_patterns.engine import Config, analyze
from fastapi_patterns.engine.workspace import WorkspaceIndex, build_index
from fastapi_patterns.engine.workspace.app_graph import app_graph

ROOT = "/graph-project"
USERS = f"{ROOT}/app/users.py"
MAIN = f"{ROOT}/app/main.py"
ROUTER = "from fastapi import APIRouter\nrouter = APIRouter()\n@router.get('/')\ndef index(): ...\n"


def project(**files: str) -> WorkspaceIndex:
    sources = [(f"{ROOT}/{name.replace('__', '/')}.py", text) for name, text in files.items()]
    return build_index([ROOT], [(f"{ROOT}/app/__init__.py", ""), *sources])


def test_includes_resolve_across_modules_through_factories_and_helper_parameters() -> None:
    index = project(
        app__users=ROUTER,
        app__items=ROUTER.replace("router", "items"),
        app__setup="def register(app, router):\n    app.include_router(router)\n",
        app__main="from fastapi import FastAPI\nfrom app import users, items\nfrom app.setup import register\n"
                  "def create_app():\n    application = FastAPI()\n    application.include_router(users.router)\n"
                  "    register(application, items.items)\n    return application\n",
    )
    graph = app_graph(index)
    app_key = (MAIN, "create_app.<locals>.application")
    assert graph.kind(app_key) == "app"
    assert [i.parent for i in graph.included_by[(USERS, "router")]] == [app_key]
    assert [i.parent for i in graph.included_by[(f"{ROOT}/app/items.py", "items")]] == [app_key]
    assert set(graph.descendants(app_key)) == {(USERS, "router"), (f"{ROOT}/app/items.py", "items")}
    assert graph.opaque_includes == []


def test_includes_that_cannot_be_followed_are_listed_by_file() -> None:
    index = project(
        app__users=ROUTER,
        app__main="from fastapi import FastAPI\nfrom app import users\nfrom lib import make\napp = FastAPI()\n"
                  "for r in [users.router]:\n    app.include_router(r)\napp.include_router(getattr(users, 'router'))\n"
                  "app.include_router(make())\n",
    )
    graph = app_graph(index)
    assert [file for file, _target in graph.opaque_includes] == [MAIN, MAIN]  # the library's router is no doubt
    assert (USERS, "router") not in graph.included_by
    assert USERS in graph.imported_by(MAIN) and MAIN not in graph.imported_by(USERS)


def test_an_include_by_an_unknown_object_still_includes_and_a_call_hands_a_router_over() -> None:
    index = project(
        app__users=ROUTER,
        app__main="from lib import server, Mount\nfrom app import users\nserver.app.include_router(users.router)\n"
                  "mount = Mount('/v1', app=users.router)\n",
    )
    graph = app_graph(index)
    assert [i.parent for i in graph.included_by[(USERS, "router")]] == [None]
    assert (USERS, "router") in graph.passed_to_calls()


def test_lifecycle_comes_from_keywords_registrations_and_included_routers_but_not_mounts() -> None:
    index = project(
        app__users="from fastapi import APIRouter\nasync def connect(): ...\nrouter = APIRouter(on_startup=[connect])\n",
        app__sub="from fastapi import FastAPI\nsub = FastAPI(lifespan=object())\n",
        app__main="from fastapi import FastAPI\nfrom app import users\nfrom app.sub import sub\n"
                  "plain = FastAPI(lifespan=None)\nplain.mount('/sub', sub)\n"
                  "with_router = FastAPI()\nwith_router.include_router(users.router)\n"
                  "registered = FastAPI()\n@registered.on_event('shutdown')\nasync def close(): ...\n",
    )
    graph = app_graph(index)
    assert graph.lifecycle((MAIN, "plain")) is None
    assert graph.lifecycle((MAIN, "with_router")) == "startup handlers"
    assert graph.lifecycle((MAIN, "registered")) == "startup handlers"
    assert graph.lifecycle((f"{ROOT}/app/sub.py", "sub")) == "lifespan"


def test_one_graph_per_index_version() -> None:
    index = project(app__users=ROUTER)
    first = app_graph(index)
    assert app_graph(index) is first
    index.set_file(MAIN, "from fastapi import FastAPI\nfrom app import users\napp = FastAPI()\n"
                         "app.include_router(users.router)\n")
    second = app_graph(index)
    assert second is not first and (USERS, "router") in second.included_by
    assert second.apps_under(second.project_root(USERS)) == [(MAIN, "app")]


def test_rules_asking_the_graph_mark_their_findings_as_depending_on_the_whole_project() -> None:
    index = project(app__users=ROUTER, app__main="from fastapi import FastAPI\napp = FastAPI()\n")
    analysis = analyze(ROUTER, USERS, Config(select=("FAP410",)), index)
    assert [f.code for f in analysis.findings] == ["FAP410"]
    assert analysis.cross_file and analysis.whole_workspace
