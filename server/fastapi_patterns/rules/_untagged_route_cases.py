"""The valid and invalid cases of FAP216 untagged-route: routes given tags (or not) by their decorator, their
router, the includes above them and the routers those hang from, in one module or across a project."""

from __future__ import annotations

from ..engine.rule import Invalid, Valid

_APP = "from fastapi import FastAPI\napp = FastAPI()\n"
_USERS = "app/routers/users.py"
_PACKAGE = {"app/__init__.py": "", "app/routers/__init__.py": ""}
_ROUTER = "from fastapi import APIRouter\nrouter = APIRouter(prefix='/users')\n@router.get('/')\ndef list_users(): ...\n"


def _main(body: str) -> dict[str, str]:
    return {**_PACKAGE, "app/main.py": "from fastapi import FastAPI\nfrom app.routers import users\n" + body}


VALID_CASES = (
    Valid(_APP + "@app.get('/', tags=['items'])\ndef index(): ...\n"),
    Valid("from enum import Enum\n" + _APP + "class Tags(Enum):\n    items = 'items'\n"
          "@app.get('/', tags=[Tags.items])\ndef index(): ...\n"),
    Valid("from fastapi import APIRouter, FastAPI\napp = FastAPI()\nrouter = APIRouter(tags=['items'])\n"
          "@router.get('/')\ndef index(): ...\napp.include_router(router)\n"),
    Valid("from fastapi import APIRouter, FastAPI\napp = FastAPI()\nrouter = APIRouter()\n@router.get('/')\n"
          "def index(): ...\napp.include_router(router, tags=['items'])\n"),
    # tags set by the include in main.py, and by an aggregating router above
    Valid(_ROUTER, path=_USERS, files=_main("app = FastAPI()\napp.include_router(users.router, tags=['users'])\n")),
    Valid(_ROUTER, path=_USERS, files={**_main("from app.api import api\napp = FastAPI()\napp.include_router(api)\n"),
                                       "app/api.py": "from fastapi import APIRouter\nfrom app.routers import users\n"
                                                     "api = APIRouter(tags=['api'])\napi.include_router(users.router)\n"}),
    # not in the docs at all
    Valid(_APP + "@app.get('/', include_in_schema=False)\ndef index(): ...\n"),
    Valid(_APP + "@app.websocket('/ws')\nasync def ws(socket): ...\n"),
    Valid(_APP + "@app.webhooks.post('new-order')\ndef new_order(): ...\n"),
    Valid("from fastapi import FastAPI\napp = FastAPI(openapi_url=None)\n@app.get('/')\ndef index(): ...\n"),
    Valid(_ROUTER, path=_USERS, files=_main("app = FastAPI()\napp.include_router(users.router, include_in_schema=False)\n")),
    # the way to the app is unknown: the file alone, a router nobody includes, an unidentified parent
    Valid(_ROUTER, path=_USERS),
    Valid(_ROUTER, path=_USERS, files=_main("app = FastAPI()\n")),
    Valid(_ROUTER, path=_USERS, files=_main("from lib import server\nserver.app.include_router(users.router)\n")),
    # a router factory: each caller includes its own router, with the tags it chooses
    Valid("from fastapi import APIRouter\ndef get_users_router():\n    router = APIRouter()\n    @router.get('/')\n"
          "    def list_users(): ...\n    return router\n", path=_USERS,
          files={**_PACKAGE, "tests/test_users.py": "from fastapi import FastAPI\nfrom app.routers.users import "
                 "get_users_router\napp = FastAPI()\nusers = get_users_router()\napp.include_router(users)\n"}),
    # options spread from a dict may hold tags; a look-alike object is no app
    Valid(_APP + "OPTIONS = {'tags': ['items']}\n@app.get('/', **OPTIONS)\ndef index(): ...\n"),
    Valid("import fastapi\nclass Api:\n    def get(self, path): return lambda f: f\napi = Api()\n"
          "@api.get('/')\ndef index(): ...\n"),
)

INVALID_CASES = (
    Invalid(_APP + "@app.get('/')\ndef index(): ...\n"),
    Invalid(_APP + "@app.post('/items', tags=[])\nasync def create(): ...\n"),
    Invalid("import fastapi as f\napp = f.FastAPI()\n@app.get('/a')\n@app.api_route('/b', methods=['GET', 'POST'])\n"
            "def both(): ...\n@app.get('/c', tags=['c'])\ndef tagged(): ...\n", count=2),
    Invalid("from fastapi import APIRouter, FastAPI\napp = FastAPI()\nrouter = APIRouter(tags=None)\n@router.get('/')\n"
            "def index(): ...\napp.include_router(router, prefix='/v1')\n"),
    # across files: the router has no tags and main.py includes it without any
    Invalid(_ROUTER, path=_USERS, files=_main("app = FastAPI()\napp.include_router(users.router, prefix='/users')\n")),
    # through an aggregating router without tags, included inside an app factory
    Invalid(_ROUTER, path=_USERS, files={
        **_main("from app.api import api\ndef create_app():\n    app = FastAPI()\n    app.include_router(api)\n"
                "    return app\n"),
        "app/api.py": "from fastapi import APIRouter\nfrom app.routers import users\napi = APIRouter()\n"
                      "api.include_router(users.router)\n"}),
    # an app factory that builds and includes its own router
    Invalid("from fastapi import APIRouter, FastAPI\ndef create_app():\n    app = FastAPI()\n    router = APIRouter()\n"
            "    @router.get('/')\n    def index(): ...\n    app.include_router(router)\n    return app\n", files=_PACKAGE),
    # a router imported from another module and decorated here
    Invalid("from fastapi import Path\nfrom app.routers.base import router\n@router.delete('/{item_id}')\n"
            "def remove(item_id: int = Path()): ...\n",
            path="app/routers/items.py", files={
                **_PACKAGE, "app/routers/base.py": "from fastapi import APIRouter\nrouter = APIRouter()\n",
                "app/main.py": "from fastapi import FastAPI\nfrom app.routers.base import router\napp = FastAPI()\n"
                               "app.include_router(router)\n"}),
    # a route on the app's own router object
    Invalid(_APP + "@app.router.get('/')\ndef index(): ...\n", files=_PACKAGE),
    # routes registered on an app handed to a setup function
    Invalid("from fastapi import FastAPI\ndef register(app: FastAPI) -> None:\n    @app.get('/health')\n"
            "    def health(): ...\n"),
    # a parameter named like a tag-giving variable does not give tags
    Invalid(_APP + "def make(tags):\n    @app.get('/')\n    def index(): ...\n"),
)
