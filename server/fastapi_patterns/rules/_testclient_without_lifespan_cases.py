"""The valid and invalid cases of FAP603 testclient-without-lifespan: test modules that enter their client or
not, for apps built in the same file or in the project's `app/main.py`, with or without a lifespan."""

from __future__ import annotations

from ..engine.rule import Invalid, Valid

_TEST = "tests/test_api.py"
_LIFESPAN_APP = (
    "from contextlib import asynccontextmanager\nfrom fastapi import FastAPI\n"
    "@asynccontextmanager\nasync def lifespan(app):\n    yield\n"
    "app = FastAPI(lifespan=lifespan)\n"
)
_PLAIN_APP = "from fastapi import FastAPI\napp = FastAPI()\n"
_CLIENT = "from fastapi.testclient import TestClient\n"
_IMPORTED = _CLIENT + "from app.main import app\n"
_PACKAGE = {"app/__init__.py": "", "tests/__init__.py": ""}


def _project(main: str, **more: str) -> dict[str, str]:
    return {**_PACKAGE, "app/main.py": main, **{k.replace("__", "/") + ".py": v for k, v in more.items()}}


VALID_CASES = (
    Valid(_LIFESPAN_APP + _CLIENT + "def test_a():\n    with TestClient(app) as client:\n        client.get('/')\n",
          path=_TEST),
    Valid(_LIFESPAN_APP + _CLIENT + "client = TestClient(app)\ndef test_a():\n    with client:\n        client.get('/')\n",
          path=_TEST),
    Valid(_PLAIN_APP + _CLIENT + "client = TestClient(app)\ndef test_a():\n    client.get('/')\n", path=_TEST),
    Valid("from fastapi import FastAPI\napp = FastAPI(lifespan=None, on_startup=[])\n" + _CLIENT
          + "client = TestClient(app)\n", path=_TEST),
    # across files: the app in app/main.py has no lifespan; a mounted sub-app's lifespan never runs anyway
    Valid(_IMPORTED + "client = TestClient(app)\n", path=_TEST, files=_project(_PLAIN_APP)),
    Valid(_IMPORTED + "client = TestClient(app)\n", path=_TEST, files=_project(
        _PLAIN_APP + "from app.sub import sub\napp.mount('/sub', sub)\n",
        app__sub="from fastapi import FastAPI\nsub = FastAPI(lifespan=lambda app: None)\n")),
    # an app the project cannot show: a library factory, a fixture parameter, a module not in the project
    Valid(_CLIENT + "from vendor import make_app\nclient = TestClient(make_app())\n", path=_TEST, files=_PACKAGE),
    Valid(_CLIENT + "def test_a(app):\n    TestClient(app).get('/')\n", path=_TEST),
    Valid(_IMPORTED + "client = TestClient(app)\n", path=_TEST),
    # entered in other ways, or used from a fixture that tests enter
    Valid(_LIFESPAN_APP + _CLIENT + "import contextlib\ndef test_a():\n    with contextlib.ExitStack() as stack:\n"
          "        client = stack.enter_context(TestClient(app))\n", path=_TEST),
    Valid(_LIFESPAN_APP + _CLIENT + "import unittest\nclass T(unittest.TestCase):\n    def setUp(self):\n"
          "        self.client = TestClient(app)\n        self.client.__enter__()\n", path=_TEST),
    Valid(_LIFESPAN_APP + _CLIENT + "import pytest\n@pytest.fixture\ndef client():\n    return TestClient(app)\n"
          "def test_a(client):\n    with client:\n        client.get('/')\n", path=_TEST),
    Valid(_LIFESPAN_APP + _CLIENT + "import pytest\n@pytest.fixture(name='client')\ndef client_fixture():\n"
          "    yield TestClient(app)\ndef test_a(client):\n    with client:\n        client.get('/')\n", path=_TEST),
    # a look-alike client class of another library
    Valid(_LIFESPAN_APP + "from mylib.testing import TestClient\nclient = TestClient(app)\n", path=_TEST),
)

INVALID_CASES = (
    Invalid(_LIFESPAN_APP + _CLIENT + "client = TestClient(app)\ndef test_a():\n    client.get('/')\n", path=_TEST),
    Invalid(_LIFESPAN_APP + _CLIENT + "def test_a():\n    assert TestClient(app).get('/').status_code == 200\n",
            path=_TEST),
    Invalid("from fastapi import FastAPI\nfrom starlette.testclient import TestClient as TC\napp = FastAPI()\n"
            "@app.on_event('startup')\nasync def connect(): ...\nclient: TC = TC(app)\n", path=_TEST),
    Invalid("import fastapi\nfrom fastapi import testclient\nasync def connect(): ...\n"
            "app = fastapi.FastAPI(on_startup=[connect])\nclient = testclient.TestClient(app=app)\n", path=_TEST),
    # across files: the lifespan is in app/main.py
    Invalid(_IMPORTED + "client = TestClient(app)\n", path=_TEST, files=_project(_LIFESPAN_APP)),
    Invalid(_CLIENT + "import app.main as main\nclient = TestClient(main.app)\n", path=_TEST,
            files=_project(_PLAIN_APP + "async def connect(): ...\napp.add_event_handler('startup', connect)\n")),
    # the startup handler comes with a router included into the app
    Invalid(_IMPORTED + "client = TestClient(app)\n", path=_TEST, files=_project(
        _PLAIN_APP + "from app.users import router\napp.include_router(router)\n",
        app__users="from fastapi import APIRouter\nasync def connect(): ...\nrouter = APIRouter(on_startup=[connect])\n")),
    # an application factory
    Invalid(_CLIENT + "from app.main import create_app\nclient = TestClient(create_app())\n", path=_TEST,
            files=_project("from fastapi import FastAPI\nfrom app.events import lifespan\ndef create_app():\n"
                           "    app = FastAPI(lifespan=lifespan)\n    return app\n", app__events="lifespan = None\n")),
    # a fixture that hands out a client nobody enters
    Invalid(_IMPORTED + "import pytest\n@pytest.fixture\ndef client():\n    yield TestClient(app)\n"
            "def test_a(client):\n    client.get('/')\n", path=_TEST, files=_project(_LIFESPAN_APP)),
    # unittest: the attribute is never entered
    Invalid(_IMPORTED + "import unittest\nclass T(unittest.TestCase):\n    def setUp(self):\n"
            "        self.client = TestClient(app)\n", path=_TEST, files=_project(_LIFESPAN_APP)),
    # a local variable entered elsewhere under another name does not count
    Invalid(_LIFESPAN_APP + _CLIENT + "def test_a():\n    client = TestClient(app)\n    other = client\n"
            "    client.get('/')\n", path=_TEST),
)
