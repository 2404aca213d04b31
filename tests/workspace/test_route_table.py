"""The resolved route table of the example projects: full paths across files, chains, and what each route carries.

Each project exercises what static discovery must survive: an application factory and routers aggregated in a
package's `__init__.py` (src layout), a router class of the project's own used by modules that never import
fastapi, nested routers, stacked decorators, `include_router` on a factory's parameter, `mount`, `add_api_route`
(package layout), and namespace packages with absolute imports.
"""

from __future__ import annotations

from pathlib import Path

from workspace_helpers import PROJECTS, index_of

from fastapi_patterns.engine.workspace import Route


def rows(routes: tuple[Route, ...]) -> list[tuple[str, str, str]]:
    return [(route.method, route.path, route.handler) for route in routes]


def chain(route: Route) -> list[str]:
    return [link.label for link in route.chain]


def by_handler(routes: tuple[Route, ...], handler: str, method: str = "GET") -> Route:
    (found,) = [route for route in routes if route.handler == handler and route.method == method]
    return found


def test_src_layout_factory_aggregated_routers_and_settings_prefix() -> None:
    routes = index_of(PROJECTS / "src_layout").routes()
    assert rows(routes) == [
        ("DELETE", "/api/v1/admin/items/{item_id}", "delete_item"),
        ("GET", "/api/v1/items/{item_id}", "read_item"),
        ("GET", "/api/v1/users/", "list_users"),
        ("POST", "/api/v1/users/", "create_user"),
        ("GET", "/api/v1/users/{user_id}", "read_user"),
        ("GET", "/health", "create_app.<locals>.health"),
    ]
    read_user = by_handler(routes, "read_user")
    assert chain(read_user) == [
        "shopapi.main:create_app.<locals>.application", "shopapi.api:api_router", "shopapi.api.users:router",
    ]
    assert read_user.mounted and read_user.module == "shopapi.api.users"
    assert [link.include_prefix for link in read_user.chain] == ["", "/api/v1", "/users"]


def test_route_carries_tags_dependencies_response_model_and_status() -> None:
    routes = index_of(PROJECTS / "src_layout").routes()
    read_user = by_handler(routes, "read_user")
    assert read_user.tags == ("users",)
    assert read_user.dependencies == ("get_current_user",)  # through an `Annotated` alias from deps.py
    assert read_user.response_model == "UserOut" and read_user.status_code is None
    list_users = by_handler(routes, "list_users")
    assert list_users.response_model == "list[UserOut]" and list_users.dependencies == ("get_db",)
    delete_item = by_handler(routes, "delete_item", "DELETE")
    assert delete_item.tags == ("admin",) and delete_item.dependencies == ("get_current_user",)
    assert delete_item.status_code == "204"
    assert by_handler(routes, "create_user", "POST").status_code == "status.HTTP_201_CREATED"


def test_route_positions_point_at_decorator_and_handler_name() -> None:
    read_user = by_handler(index_of(PROJECTS / "src_layout").routes(), "read_user")
    assert read_user.decorator_range.line_text == '@router.get("/{user_id}")'
    name = read_user.handler_range
    assert name.line_text[name.start:name.end] == "read_user" and name.line == read_user.decorator_range.line + 1


def test_package_layout_subclass_nested_stacked_parameter_factory_mount_and_imperative_routes() -> None:
    routes = index_of(PROJECTS / "package_layout").routes()
    assert rows(routes) == [
        ("GET", "/admin/stats", "stats"),
        ("GET", "/api/orders/", "list_orders"),
        ("HEAD", "/api/orders/", "list_orders"),
        ("GET", "/api/orders/{order_id}/lines/{line_id}", "read_line"),
        ("GET", "/api/reports/daily", "daily_report"),
        ("POST", "/api/reports/daily", "daily_report"),
        ("GET", "/api/reports/export", "export_report"),
        ("WEBSOCKET", "/api/reports/live", "live_reports"),
        ("GET", "/healthz", "healthz"),
    ]
    assert chain(by_handler(routes, "read_line")) == [
        "app.factory:build.<locals>.app", "app.routers.orders:router", "app.routers.orders:lines",
    ]
    assert chain(by_handler(routes, "stats")) == ["app.factory:build.<locals>.app", "app.admin.panel:panel"]
    assert by_handler(routes, "list_orders").tags == ("orders",)
    assert all(route.mounted for route in routes)


def test_namespace_packages_resolve_absolute_imports() -> None:
    index = index_of(PROJECTS / "namespace_layout")
    assert rows(index.routes()) == [("GET", "/v2/catalog/products/{sku}", "product")]
    assert index.module_name(str(PROJECTS / "namespace_layout" / "services" / "catalog" / "api.py")) == (
        "services.catalog.api"
    )


def test_router_never_included_is_listed_as_not_mounted(tmp_path: Path) -> None:
    (tmp_path / "orphan.py").write_text(
        "from fastapi import APIRouter\nrouter = APIRouter(prefix='/lost')\n@router.get('/x')\ndef x(): ...\n",
        encoding="utf-8",
    )
    (route,) = index_of(tmp_path).routes()
    assert (route.path, route.mounted, chain(route)) == ("/lost/x", False, ["orphan:router"])


def test_same_router_included_twice_gives_one_row_per_chain(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        "from fastapi import APIRouter, FastAPI\n"
        "router = APIRouter()\n"
        "@router.get('/ping')\ndef ping(): ...\n"
        "app = FastAPI()\n"
        "app.include_router(router, prefix='/v1')\n"
        "app.include_router(router, prefix='/v2')\n",
        encoding="utf-8",
    )
    assert [route.path for route in index_of(tmp_path).routes()] == ["/v1/ping", "/v2/ping"]


def test_unresolvable_prefix_is_shown_as_written(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        "import os\nfrom fastapi import APIRouter, FastAPI\n"
        "router = APIRouter()\n@router.get('/ping')\ndef ping(): ...\n"
        "app = FastAPI()\napp.include_router(router, prefix=os.environ['PREFIX'])\n",
        encoding="utf-8",
    )
    (route,) = index_of(tmp_path).routes()
    assert route.path == "<os.environ['PREFIX']>/ping"


def test_objects_that_are_not_routers_make_no_routes(tmp_path: Path) -> None:
    (tmp_path / "cache.py").write_text("class Cache:\n    def get(self, key): ...\n", encoding="utf-8")
    (tmp_path / "views.py").write_text(
        "from cache import Cache\ncache = Cache()\n@cache.get('/key')\ndef cached(): ...\n", encoding="utf-8"
    )
    assert index_of(tmp_path).routes() == ()


def test_include_on_a_parameter_typed_as_an_app_whose_callers_pass_an_attribute(tmp_path: Path) -> None:
    (tmp_path / "users.py").write_text(
        "from fastapi import APIRouter\nrouter = APIRouter(prefix='/users')\n@router.get('/me')\ndef me(): ...\n",
        encoding="utf-8")
    (tmp_path / "server.py").write_text(
        "from fastapi import FastAPI\n"
        "class Server:\n"
        "    def __init__(self) -> None:\n"
        "        self.app = FastAPI()\n"
        "        self.configure(self.app)\n"
        "    def configure(self, app: FastAPI) -> None:\n"
        "        from users import router\n"
        "        app.include_router(router, prefix='/api')\n",
        encoding="utf-8")
    (route,) = index_of(tmp_path).routes()
    assert (route.path, route.mounted, chain(route)) == (
        "/api/users/me", True, ["server:Server.configure(app)", "users:router"])


def test_apps_and_routers_returned_by_factory_functions(tmp_path: Path) -> None:
    (tmp_path / "factories.py").write_text(
        "from fastapi import APIRouter, FastAPI\n"
        "def make_router(prefix: str) -> APIRouter:\n"
        "    router = APIRouter(prefix='/items')\n"
        "    @router.get('/')\n"
        "    def list_items(): ...\n"
        "    return router\n"
        "def create_app() -> FastAPI:\n"
        "    application = FastAPI()\n"
        "    application.include_router(make_router('/items'), prefix='/v1')\n"
        "    return application\n",
        encoding="utf-8")
    (tmp_path / "main.py").write_text(
        "from factories import create_app, make_router\n"
        "app = create_app()\n"
        "extra = make_router('/x')\n"
        "app.include_router(extra, prefix='/v2')\n"
        "@app.get('/health')\ndef health(): ...\n",
        encoding="utf-8")
    routes = index_of(tmp_path).routes()
    assert [(route.path, route.mounted) for route in routes] == [("/health", True), ("/v2/items/", True)]
    assert chain(routes[0]) == ["factories:create_app.<locals>.application"]


def test_webhooks_and_callbacks_are_not_served_routes(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        "from fastapi import APIRouter, FastAPI\napp = FastAPI()\ncallbacks = APIRouter()\n"
        "@app.webhooks.post('new-subscription')\ndef new_subscription(): ...\n"
        "@callbacks.post('{$callback_url}/invoices')\ndef invoice_paid(): ...\n"
        "@app.post('/invoices', callbacks=callbacks.routes)\ndef create_invoice(): ...\n",
        encoding="utf-8")
    assert [route.path for route in index_of(tmp_path).routes()] == ["/invoices"]
