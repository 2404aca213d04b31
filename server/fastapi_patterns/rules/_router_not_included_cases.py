"""The valid and invalid cases of FAP410 router-not-included: small projects whose modules include routers or
forget to, kept apart from the rule so that its module stays readable."""

from __future__ import annotations

from ..engine.rule import Invalid, Valid

_USERS = "app/routers/users.py"
_ROUTER = "from fastapi import APIRouter\nrouter = APIRouter(prefix='/users')\n@router.get('/')\ndef list_users(): ...\n"
_MAIN_WITH = "from fastapi import FastAPI\nfrom app.routers import users\napp = FastAPI()\n"
_PACKAGE = {"app/__init__.py": "", "app/routers/__init__.py": ""}


def _project(main: str, **more: str) -> dict[str, str]:
    return {**_PACKAGE, "app/main.py": main, **{k.replace("__", "/") + ".py": v for k, v in more.items()}}


VALID_CASES = (
    # included from the module that builds the app
    Valid(_ROUTER, path=_USERS, files=_project(_MAIN_WITH + "app.include_router(users.router)\n")),
    # through an aggregating router that the app includes
    Valid(_ROUTER, path=_USERS, files=_project(
        "from fastapi import FastAPI\nfrom app.api import api_router\napp = FastAPI()\n"
        "app.include_router(api_router, prefix='/api')\n",
        app__api="from fastapi import APIRouter\nfrom app.routers.users import router as users_router\n"
                 "api_router = APIRouter()\napi_router.include_router(users_router)\n")),
    # included inside an application factory, with the router imported under another name
    Valid(_ROUTER, path=_USERS, files=_project(
        "import fastapi as f\nfrom app.routers.users import router as r\ndef create_app():\n    app = f.FastAPI()\n"
        "    app.include_router(router=r)\n    return app\n")),
    # a loop over a list of routers: the index cannot tell which, and main imports the module
    Valid(_ROUTER, path=_USERS, files=_project(_MAIN_WITH + "for r in [users.router]:\n    app.include_router(r)\n")),
    # a function of the project returns the router that main includes
    Valid(_ROUTER, path=_USERS, files=_project(
        "from fastapi import FastAPI\nfrom app.registry import users_router\napp = FastAPI()\n"
        "app.include_router(users_router())\n",
        app__registry="from app.routers import users\ndef users_router():\n    return users.router\n")),
    # routers found at run time
    Valid(_ROUTER, path=_USERS, files=_project(
        "import importlib\nfrom fastapi import FastAPI\napp = FastAPI()\nfor name in ['users']:\n"
        "    module = importlib.import_module(f'app.routers.{name}')\n    app.include_router(module.router)\n")),
    # ... also when a helper module finds them
    Valid(_ROUTER, path=_USERS, files=_project(
        "from fastapi import FastAPI\nfrom app.plugins import discover\napp = FastAPI()\nfor r in discover():\n"
        "    app.include_router(r)\n", app__plugins="import pkgutil\ndef discover():\n    return []\n")),
    # a library: no app anywhere in the project
    Valid(_ROUTER, path=_USERS, files=_PACKAGE),
    # handed to other code: a helper that includes it, `Mount`, `routes=router.routes`
    Valid(_ROUTER, path=_USERS, files=_project(
        _MAIN_WITH + "from app.setup import register\nregister(app, users.router)\n",
        app__setup="def register(app, router):\n    app.include_router(router)\n")),
    Valid(_ROUTER, path=_USERS, files=_project(
        "from fastapi import FastAPI\nfrom starlette.routing import Mount\nfrom app.routers import users\n"
        "app = FastAPI(routes=[Mount('/v1', app=users.router)])\n")),
    Valid(_ROUTER, path=_USERS, files=_project(_MAIN_WITH + "app.router.routes.extend(users.router.routes)\n")),
    # included by an object the project cannot identify (built by a library)
    Valid(_ROUTER, path=_USERS, files=_project(
        "from some_framework import make_server\nfrom app.routers import users\nserver = make_server()\n"
        "server.app.include_router(users.router)\n")),
    # a router without routes, and one built inside a factory function
    Valid("from fastapi import APIRouter\nrouter = APIRouter()\n", path=_USERS, files=_project(_MAIN_WITH)),
    Valid("from fastapi import APIRouter\ndef make_router():\n    router = APIRouter()\n"
          "    @router.get('/')\n    def index(): ...\n    return router\n", path=_USERS, files=_project(_MAIN_WITH)),
    # the module includes, returns or passes its router itself
    Valid(_ROUTER + "def get_router():\n    return router\n", path=_USERS, files=_project(_MAIN_WITH)),
    Valid("from fastapi import APIRouter, FastAPI\napp = FastAPI()\nrouter = APIRouter()\n@router.get('/')\n"
          "def index(): ...\napp.include_router(router)\n", files=_PACKAGE),
    # the file checked without its project: nothing can be said about other modules
    Valid(_ROUTER, path=_USERS),
    # a look-alike router class that is not FastAPI's
    Valid("from fastapi import FastAPI\nclass Router:\n    def get(self, path): return lambda f: f\n"
          "app = FastAPI()\nrouter = Router()\n@router.get('/')\ndef index(): ...\n", files=_PACKAGE),
)

INVALID_CASES = (
    # main builds the app and imports the module, but never includes its router
    Invalid(_ROUTER, path=_USERS, files=_project(_MAIN_WITH + "print(users)\n")),
    # only the aggregating router is reported: the users router is included into it
    Invalid("from fastapi import APIRouter\nfrom app.routers.users import router as users_router\n"
            "api_router = APIRouter()\napi_router.include_router(users_router)\n",
            path="app/api.py", files={**_project("from fastapi import FastAPI\napp = FastAPI()\n"), _USERS: _ROUTER}),
    # app and router in one module of a project
    Invalid("from fastapi import APIRouter, FastAPI\napp = FastAPI()\nitems = APIRouter()\n@items.get('/')\n"
            "def list_items(): ...\n@items.post('/')\ndef create_item(): ...\n", files=_PACKAGE),
    # aliases and an annotated assignment
    Invalid("import fastapi as f\nrouter: f.APIRouter = f.APIRouter()\n@router.api_route('/', methods=['GET', 'PUT'])\n"
            "def both(): ...\n", path=_USERS, files=_project("from fastapi import FastAPI\napp = FastAPI()\n")),
    # a router class of the module's own
    Invalid("from fastapi import APIRouter\nclass VersionedRouter(APIRouter): ...\nrouter = VersionedRouter()\n"
            "@router.get('/')\ndef index(): ...\n", path=_USERS,
            files=_project("from fastapi import FastAPI\ndef create_app():\n    app = FastAPI()\n    return app\n")),
    # routes added imperatively
    Invalid("from fastapi import APIRouter\ndef ping(): ...\nrouter = APIRouter()\nrouter.add_api_route('/ping', ping)\n",
            path=_USERS, files=_project(_MAIN_WITH)),
    # routes declared in another module on this module's router
    Invalid("from fastapi import APIRouter\nrouter = APIRouter()\n", path="app/routers/base.py", files={
        **_project(_MAIN_WITH), "app/routers/users.py": "from app.routers.base import router\n@router.get('/')\n"
                                                     "def list_users(): ...\n"}),
    # another router is included, this one is forgotten
    Invalid(_ROUTER, path=_USERS, files=_project(
        "from fastapi import FastAPI\nfrom app.routers import items\napp = FastAPI()\napp.include_router(items.router)\n",
        app__routers__items="from fastapi import APIRouter\nrouter = APIRouter()\n@router.get('/')\ndef l(): ...\n")),
    # an unresolvable include in a module that cannot reach this router does not help it
    Invalid(_ROUTER, path=_USERS, files=_project(
        "from fastapi import FastAPI\nfrom app.plugins import ROUTERS\napp = FastAPI()\nfor r in ROUTERS:\n"
        "    app.include_router(r)\n", app__plugins="ROUTERS = []\n")),
    # routers made by an installed library are no reason to doubt
    Invalid(_ROUTER, path=_USERS, files=_project(
        _MAIN_WITH + "from auth_library import make_auth_router\napp.include_router(make_auth_router('jwt'))\n")),
    # a local variable shadows the router's name: the module-level router is still never handed over
    Invalid(_ROUTER + "def helper(router):\n    return router\n", path=_USERS, files=_project(_MAIN_WITH)),
)
