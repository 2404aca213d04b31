"""Keeping the index current: an edit in one file moves routes declared in another, renames and deletions
follow the files, and summaries are reused by content hash (a rename or an unchanged save costs nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from workspace_helpers import index_of

from fastapi_patterns.engine.workspace import SummaryCache, WorkspaceIndex, build_index, content_hash

ProjectCopy = Callable[[str], Path]


def paths_of(index: WorkspaceIndex) -> list[str]:
    return [route.path for route in index.routes()]


def test_editing_an_include_prefix_moves_the_routes_of_another_file(project_copy: ProjectCopy) -> None:
    root = project_copy("src_layout")
    index = index_of(root)
    users = str(root / "src/shopapi/api/users.py")
    assert [r.path for r in index.routes_in(users)] == ["/api/v1/users/", "/api/v1/users/{user_id}", "/api/v1/users/"]
    aggregator = root / "src/shopapi/api/__init__.py"
    edited = aggregator.read_text(encoding="utf-8").replace('prefix="/users"', 'prefix="/people"')
    assert index.set_file(str(aggregator), edited) is True
    assert [r.path for r in index.routes_in(users)] == ["/api/v1/people/", "/api/v1/people/{user_id}",
                                                       "/api/v1/people/"]


def test_same_content_is_not_summarised_again(project_copy: ProjectCopy) -> None:
    root = project_copy("src_layout")
    index = index_of(root)
    built, version = index.cache.built, index.version
    users = root / "src/shopapi/api/users.py"
    assert index.set_file(str(users), users.read_text(encoding="utf-8")) is False
    assert (index.cache.built, index.version) == (built, version)


def test_a_renamed_module_keeps_its_summary_and_gets_its_new_name(project_copy: ProjectCopy) -> None:
    root = project_copy("src_layout")
    index = index_of(root)
    built = index.cache.built
    old, new = root / "src/shopapi/api/users.py", root / "src/shopapi/api/people.py"
    assert index.rename_file(str(old), str(new)) is True
    assert index.cache.built == built  # moved, not summarised again
    assert index.module_name(str(new)) == "shopapi.api.people"
    # `from .users import router` in the aggregator no longer resolves: its routes lose their chain
    people = index.routes_in(str(new))
    assert people and all(not route.mounted for route in people)
    aggregator = root / "src/shopapi/api/__init__.py"
    index.set_file(str(aggregator), aggregator.read_text(encoding="utf-8").replace(".users", ".people"))
    assert [route.path for route in index.routes_in(str(new))][:1] == ["/api/v1/users/"]
    assert all(route.mounted for route in index.routes_in(str(new)))


def test_a_deleted_file_takes_its_routes_and_its_includes_with_it(project_copy: ProjectCopy) -> None:
    root = project_copy("package_layout")
    index = index_of(root)
    assert "/api/reports/daily" in paths_of(index)
    assert index.remove_file(str(root / "app/routers/reports.py")) is True
    assert not any(path.startswith("/api/reports") for path in paths_of(index))
    assert index.remove_file(str(root / "app/routers/reports.py")) is False
    assert index.remove_file(str(root / "app/factory.py")) is True
    unmounted = {route.path for route in index.routes() if not route.mounted}
    assert unmounted == {"/orders/", "/orders/{order_id}/lines/{line_id}", "/healthz"}  # no app includes them
    assert [route.path for route in index.routes() if route.mounted] == ["/stats"]  # the panel is an app itself


def test_removing_a_directory_forgets_every_file_below_it(project_copy: ProjectCopy) -> None:
    root = project_copy("package_layout")
    index = index_of(root)
    gone = index.remove_under(str(root / "app/routers"))
    assert sorted(Path(path).name for path in gone) == ["__init__.py", "health.py", "orders.py", "reports.py"]
    assert paths_of(index) == ["/admin/stats"]


def test_a_new_file_joins_the_chain_it_is_included_in(tmp_path: Path) -> None:
    main = tmp_path / "main.py"
    main.write_text("from fastapi import FastAPI\nfrom extra import router\napp = FastAPI()\n"
                    "app.include_router(router, prefix='/extra')\n", encoding="utf-8")
    index = index_of(tmp_path)
    assert index.routes() == ()
    index.set_file(str(tmp_path / "extra.py"), "from fastapi import APIRouter\nrouter = APIRouter()\n"
                                               "@router.get('/one')\ndef one(): ...\n")
    assert paths_of(index) == ["/extra/one"]


def test_a_file_that_stops_parsing_keeps_no_stale_routes(project_copy: ProjectCopy) -> None:
    root = project_copy("namespace_layout")
    index = index_of(root)
    api = str(root / "services/catalog/api.py")
    index.set_file(api, "def broken(:\n")
    summary = index.summary(api)
    assert summary is not None and not summary.parsed and "line 1" in (summary.syntax_error or "")
    assert index.routes() == ()


def test_dependents_follow_imports_and_re_exports(project_copy: ProjectCopy) -> None:
    root = project_copy("src_layout")
    index = index_of(root)
    names = {index.module_name(path) for path in index.dependents(str(root / "src/shopapi/api/deps.py"))}
    assert names == {"shopapi.api.users", "shopapi.api.items", "shopapi.api", "shopapi.main", "tests.test_users"}


def test_summaries_are_shared_between_indexes_through_the_cache(tmp_path: Path) -> None:
    cache = SummaryCache()
    source = "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/')\ndef root(): ...\n"
    first = build_index([str(tmp_path / "a")], [(str(tmp_path / "a" / "main.py"), source)], cache)
    second = build_index([str(tmp_path / "b")], [(str(tmp_path / "b" / "main.py"), source)], cache)
    assert cache.built == 1
    assert [r.path for r in first.routes()] == [r.path for r in second.routes()] == ["/"]
    assert content_hash(source) != content_hash(source + "\n")


def test_an_editor_index_answers_rules_from_the_last_table_until_it_is_rebuilt(tmp_path: Path) -> None:
    main = str(tmp_path / "main.py")
    header = "from fastapi import FastAPI\napp = FastAPI()\n"
    index = build_index([str(tmp_path)], [(main, header + "@app.get('/a')\ndef a(): ...\n")])
    index.snapshots = True
    assert [r.path for r in index.latest_routes()] == ["/a"]  # built on first use
    index.set_file(main, header + "@app.get('/a')\ndef a(): ...\n@app.get('/b')\ndef b(): ...\n")
    assert [r.path for r in index.latest_routes()] == ["/a"]  # the rebuild is its owner's job
    assert [r.path for r in index.routes()] == ["/a", "/b"]
    assert [r.path for r in index.latest_routes()] == ["/a", "/b"]
    index.snapshots = False
    index.set_file(main, header)
    assert index.latest_routes() == ()


def test_a_superseded_version_leaves_the_summary_cache(tmp_path: Path) -> None:
    cache = SummaryCache()
    index = WorkspaceIndex([str(tmp_path)], cache)
    path, twin = str(tmp_path / "a.py"), str(tmp_path / "b.py")
    for number in range(50):  # an editing session: each version replaces the last
        index.set_file(path, f"x = {number}\n")
    assert len(cache._entries) == 1
    index.set_file(twin, "x = 49\n")  # the same text in another file: shared, kept
    index.set_file(path, "x = 50\n")
    assert content_hash("x = 49\n") in cache._entries and len(cache._entries) == 2
