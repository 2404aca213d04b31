"""The FastAPI model: apps, routers, path operations, dependencies and models, resolved by qualified name."""

from __future__ import annotations

import ast

from fastapi_patterns.engine.fastapi_model import FastApiModel, build_model
from fastapi_patterns.engine.names import SymbolTable


def _model(source: str) -> FastApiModel:
    tree = ast.parse(source)
    return build_model(tree, SymbolTable(tree))


def _routes(source: str) -> list[tuple[tuple[str, ...], str | None, str]]:
    return [(op.methods, op.path, op.function.name) for op in _model(source).path_operations]


def test_app_and_router_through_module_alias() -> None:
    source = (
        "import fastapi as f\napp = f.FastAPI()\nr = f.APIRouter(prefix='/users')\n"
        "@app.get('/')\ndef root(): ...\n@r.post('/new')\nasync def create(): ...\n"
    )
    model = _model(source)
    assert {name: info.kind for name, info in model.routers.items()} == {"app": "app", "r": "router"}
    assert model.routers["r"].prefix == "/users"
    assert _routes(source) == [(("GET",), "/", "root"), (("POST",), "/new", "create")]


def test_renamed_router_class_and_subclass() -> None:
    source = (
        "from fastapi import APIRouter as R\nclass Versioned(R): ...\nv = Versioned()\n"
        "@v.delete('/x')\ndef remove(): ...\n"
    )
    assert _routes(source) == [(("DELETE",), "/x", "remove")]


def test_api_route_methods_and_websocket() -> None:
    source = (
        "from fastapi import FastAPI\napp = FastAPI()\n"
        "@app.api_route('/a', methods=['get', 'PUT'])\ndef a(): ...\n"
        "@app.api_route('/b')\ndef b(): ...\n@app.websocket('/ws')\nasync def ws(): ...\n"
    )
    assert _routes(source) == [(("GET", "PUT"), "/a", "a"), (("GET",), "/b", "b"), ((), "/ws", "ws")]


def test_imported_router_counts_only_when_module_imports_fastapi() -> None:
    with_fastapi = "from fastapi import Depends\nfrom .routes import router\n@router.get('/x')\ndef x(): ...\n"
    without = "from .routes import router\n@router.get('/x')\ndef x(): ...\n"
    assert _routes(with_fastapi) == [(("GET",), "/x", "x")]
    assert _routes(without) == []


def test_resolved_non_fastapi_objects_are_not_routers() -> None:
    source = (
        "import fastapi\nimport requests\nfrom flask import Flask\nflask_app = Flask(__name__)\n"
        "class Registry:\n    def get(self, key): ...\nregistry = Registry()\n"
        "@flask_app.get('/a')\ndef a(): ...\n@registry.get('b')\ndef b(): ...\n@requests.get('c')\ndef c(): ...\n"
    )
    assert _routes(source) == []


def test_parameter_annotated_as_router() -> None:
    source = (
        "from fastapi import APIRouter\ndef register(router: APIRouter):\n"
        "    @router.get('/inner')\n    def inner(): ...\n"
    )
    assert _routes(source) == [(("GET",), "/inner", "inner")]


def test_class_based_router_methods() -> None:
    source = (
        "from fastapi import APIRouter\nrouter = APIRouter()\nclass Items:\n"
        "    @router.get('/items')\n    def list(self): ...\n"
    )
    assert _routes(source) == [(("GET",), "/items", "list")]


def test_dependencies_from_depends_security_and_router_dependencies() -> None:
    source = (
        "from typing import Annotated\nfrom fastapi import APIRouter, Depends, Security\n"
        "def a(): ...\ndef b(): ...\ndef c(): ...\ndef unrelated(): ...\n"
        "router = APIRouter(dependencies=[Depends(c)])\n"
        "@router.get('/')\ndef r(x=Depends(a), y: Annotated[int, Security(b)] = 1): ...\n"
    )
    model = _model(source)
    assert sorted(f.name for f in model.dependencies.values()) == ["a", "b", "c"]
    assert len(model.dependency_calls) == 3


def test_pydantic_models_and_settings_including_in_file_subclasses() -> None:
    source = (
        "from pydantic import BaseModel\nfrom pydantic_settings import BaseSettings\n"
        "class Child(Base): ...\nclass Base(BaseModel): ...\nclass Settings(BaseSettings): ...\nclass Plain: ...\n"
    )
    model = _model(source)
    assert sorted(model.models) == ["Base", "Child", "Settings"]
    assert sorted(model.settings) == ["Settings"]
