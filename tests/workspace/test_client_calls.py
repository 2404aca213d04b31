"""Test client calls: which calls count (by the client's qualified name), where the URL string is, and which
routes a URL reaches (path parameters, converters, f-strings, query strings, full URLs, trailing slashes)."""

from __future__ import annotations

from typing import Optional

import pytest
from workspace_helpers import PROJECTS, index_of

from fastapi_patterns.engine.types import Position
from fastapi_patterns.engine.workspace.client_calls import (
    FORMATTED, ClientCall, client_call_at, completions, matching_routes, path_pattern, url_path,
)

HEADER = "from fastapi.testclient import TestClient\nimport httpx\nfrom main import app\n"


def call_in(body: str, marker: str = "|") -> Optional[ClientCall]:
    """The client call at the `|` marker of `body` (placed after HEADER)."""
    source = HEADER + body
    offset = source.index(marker)
    source = source[:offset] + source[offset + 1:]
    before = source[:offset].split("\n")
    return client_call_at(source, Position(len(before) - 1, len(before[-1])))


@pytest.mark.parametrize("body", [
    'client = TestClient(app)\nclient.get("/us|ers/1")\n',
    'def test(c: TestClient):\n    c.get("/us|ers/1")\n',
    'def test():\n    with TestClient(app) as c:\n        c.get("/us|ers/1")\n',
    'async def test():\n    async with httpx.AsyncClient(base_url="http://t") as ac:\n'
    '        await ac.get("/us|ers/1")\n',
    'TestClient(app).get(url="/us|ers/1")\n',
])
def test_calls_on_known_test_clients(body: str) -> None:
    call = call_in(body)
    assert call is not None and (call.method, call.url, call.typed, call.fixture) == ("GET", "/users/1", "/us", None)


@pytest.mark.parametrize("body", [
    'import requests\nrequests.get("/us|ers/1")\n',
    'session = object()\nsession.get("/us|ers/1")\n',
    'client = TestClient(app)\nclient.get("/users/1", params={"q": "x|"})\n',
    'client = TestClient(app)\nclient.get("/users/1")  # "|"\n',
])
def test_other_calls_and_other_strings_are_not_client_urls(body: str) -> None:
    assert call_in(body) is None


def test_untyped_parameter_is_reported_as_a_fixture_to_check() -> None:
    call = call_in('def test_one(client):\n    client.post("/ite|ms")\n')
    assert call is not None and (call.method, call.fixture) == ("POST", "client")


def test_request_takes_its_method_from_the_first_argument() -> None:
    call = call_in('c = TestClient(app)\nc.request("PATCH", "/a|")\nc.request(verb, "/b")\n')
    assert call is not None and call.method == "PATCH"
    dynamic = call_in('c = TestClient(app)\nc.request(verb, "/b|")\n')
    assert dynamic is not None and dynamic.method is None
    socket = call_in('c = TestClient(app)\nc.websocket_connect("/li|ve")\n')
    assert socket is not None and socket.method == "WEBSOCKET"


def test_f_string_parts_stand_for_any_parameter() -> None:
    call = call_in('c = TestClient(app)\nuid = 1\nc.get(f"/users/{uid}/po|sts?x=1")\n')
    assert call is not None and call.url == f"/users/{FORMATTED}/posts?x=1" and call.path == f"/users/{FORMATTED}/posts"


def test_a_string_still_being_typed_is_closed_to_find_the_call() -> None:
    call = call_in('c = TestClient(app)\nresult = check(c.get("/api/us|\nvalue = 1\n')
    assert call is not None and call.typed == "/api/us" and call.content_end.column == call.content_start.column + 7


def test_url_path_drops_scheme_host_query_and_fragment() -> None:
    assert url_path("http://testserver/users/1?x=1#top") == "/users/1"
    assert url_path("https://example.com") == "/"


@pytest.mark.parametrize(("route_path", "url", "served"), [
    ("/users/{user_id}", "/users/42", True),
    ("/users/{user_id}", "/users/42/posts", False),
    ("/files/{rest:path}", "/files/a/b/c.txt", True),
    ("/items/{item_id:int}", f"/items/{FORMATTED}", True),
    ("/users/me", f"/users/{FORMATTED}", False),
    ("/a.b", "/aXb", False),
])
def test_path_patterns(route_path: str, url: str, served: bool) -> None:
    assert bool(path_pattern(route_path).fullmatch(url)) is served


def test_matching_routes_prefer_the_calls_method_and_forgive_a_trailing_slash() -> None:
    routes = index_of(PROJECTS / "src_layout").routes()
    assert [r.handler for r in matching_routes(routes, "GET", "/api/v1/users/7")] == ["read_user"]
    assert [r.handler for r in matching_routes(routes, "POST", "/api/v1/users/")] == ["create_user"]
    assert [r.handler for r in matching_routes(routes, "GET", "/api/v1/users")] == ["list_users"]
    assert [r.handler for r in matching_routes(routes, "PUT", "/api/v1/users/")] == ["list_users", "create_user"]
    assert matching_routes(routes, "GET", "/nowhere") == []


def test_completions_offer_each_path_the_method_reaches_once() -> None:
    routes = index_of(PROJECTS / "src_layout").routes()
    assert [r.path for r in completions(routes, "POST")] == ["/api/v1/users/"]
    assert [r.path for r in completions(routes, None)] == sorted({r.path for r in routes})
