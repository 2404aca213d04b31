"""FAP602 dependency-overrides-leak: a test or fixture sets `app.dependency_overrides[...]` and never undoes it."""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from ..engine.names import BindingKind, FunctionNode
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity

FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})
_TEARDOWN_NAMES = frozenset(
    {"tearDown", "asyncTearDown", "teardown_method", "teardown_function", "teardown_class", "teardown_module",
     "tearDownClass", "tearDownModule"}
)
_OVERRIDES = "dependency_overrides"
_T = "tests/test_users.py"
_H = "import pytest\nfrom app.main import app, get_db\n"


class DependencyOverridesLeak(Rule):
    """
    ## What it does
    Flags `app.dependency_overrides[dependency] = replacement` in a test function (`test_*`) or a pytest
    fixture when nothing after it in the same function restores the overrides: no
    `dependency_overrides.clear()`, no `.pop(dependency)`, no `del ...dependency_overrides[dependency]` and no
    `dependency_overrides = {}`. In a fixture that yields, the restoring statement must come after the `yield`.

    Only applications that outlive the test are considered: one imported or defined at module level, or
    reached through such a value (`TestClient(app).app`). An app the test builds itself (`app = FastAPI()`)
    is thrown away with the test, and an app received as a parameter may be a fresh fixture, so neither is
    flagged. A file whose autouse fixture, `teardown_*` function or unittest `tearDown` clears the overrides
    restores them for every test in it, so tests there are not flagged. Helpers that are neither tests nor
    fixtures, and overrides set at module level for a whole test module, are left alone.

    ## Why is this bad?
    `dependency_overrides` is a plain dictionary on the application object, which lives as long as the test
    session. An override that is never removed stays active for every test that runs afterwards, so their
    results depend on the order the tests run in: a test can pass alone and fail in the suite, or pass only
    because an earlier test replaced authentication.

    ## Example
    ```python
    from fastapi.testclient import TestClient

    from app.main import app, get_current_user


    def test_profile() -> None:
        app.dependency_overrides[get_current_user] = lambda: {"name": "ada"}
        response = TestClient(app).get("/me")
        assert response.json() == {"name": "ada"}
    ```

    Use instead:
    ```python
    from collections.abc import Iterator

    import pytest
    from fastapi.testclient import TestClient

    from app.main import app, get_current_user


    @pytest.fixture
    def signed_in() -> Iterator[None]:
        app.dependency_overrides[get_current_user] = lambda: {"name": "ada"}
        yield
        app.dependency_overrides.clear()


    def test_profile(signed_in: None) -> None:
        response = TestClient(app).get("/me")
        assert response.json() == {"name": "ada"}
    ```
    """

    code = "FAP602"
    name = "dependency-overrides-leak"
    message = "`{target}` is set in `{function}` and never restored: it leaks into every later test"
    severity = Severity.WARNING
    node_types = (ast.Assign,)
    trigger_words = (_OVERRIDES,)

    VALID = (
        Valid(_H + "@pytest.fixture\ndef db():\n    app.dependency_overrides[get_db] = lambda: 1\n    yield\n"
              "    app.dependency_overrides.clear()\n", path=_T),
        Valid(_H + "def test_a():\n    app.dependency_overrides[get_db] = lambda: 1\n    try:\n        assert 1\n"
              "    finally:\n        app.dependency_overrides.pop(get_db)\n", path=_T),
        Valid(_H + "def test_a():\n    app.dependency_overrides[get_db] = lambda: 1\n    assert 1\n"
              "    app.dependency_overrides = {}\n", path=_T),
        Valid(_H + "def test_a():\n    app.dependency_overrides[get_db] = lambda: 1\n"
              "    del app.dependency_overrides[get_db]\n", path=_T),
        Valid(_H + "app.dependency_overrides[get_db] = lambda: 1\ndef test_a():\n    assert 1\n", path=_T),
        Valid(_H + "def override_db():\n    app.dependency_overrides[get_db] = lambda: 1\n", path=_T),
        Valid(_H + "@pytest.fixture(autouse=True)\ndef reset():\n    yield\n    app.dependency_overrides.clear()\n"
              "def test_a():\n    app.dependency_overrides[get_db] = lambda: 1\n", path=_T),
        Valid(_H + "import unittest\nclass T(unittest.TestCase):\n    def tearDown(self):\n"
              "        app.dependency_overrides.clear()\n    def test_a(self):\n"
              "        app.dependency_overrides[get_db] = lambda: 1\n", path=_T),
        Valid(_H + "def test_a(monkeypatch):\n    monkeypatch.setitem(app.dependency_overrides, get_db, lambda: 1)\n",
              path=_T),
        Valid(_H + "def test_a():\n    overrides = {}\n    overrides[get_db] = 1\n", path=_T),
        Valid("from fastapi import FastAPI\nfrom app.deps import get_db\ndef test_a():\n    app = FastAPI()\n"
              "    app.dependency_overrides[get_db] = lambda: 1\n", path=_T),
        Valid("from fastapi.testclient import TestClient\nfrom app.main import create_app, get_db\ndef test_a():\n"
              "    client = TestClient(create_app())\n    client.app.dependency_overrides[get_db] = 1\n", path=_T),
        Valid(_H + "def test_a(app):\n    app.dependency_overrides[get_db] = lambda: 1\n", path=_T),
        Valid(_H + "def test_a():\n    app.dependency_overrides[get_db] = lambda: 1\n    yield_ = 1\n"
              "    app.dependency_overrides.clear()\n", path=_T),
    )
    INVALID = (
        Invalid(_H + "def test_a():\n    app.dependency_overrides[get_db] = lambda: 1\n    assert 1\n", path=_T),
        Invalid(_H + "@pytest.fixture\ndef client():\n    app.dependency_overrides[get_db] = lambda: 1\n"
                "    return app\n", path=_T),
        Invalid(_H + "@pytest.fixture()\ndef client():\n    app.dependency_overrides.clear()\n"
                "    app.dependency_overrides[get_db] = lambda: 1\n    yield app\n", path=_T),
        Invalid(_H + "@pytest.fixture\ndef client():\n    app.dependency_overrides[get_db] = lambda: 1\n"
                "    app.dependency_overrides.clear()\n    yield app\n", path=_T),
        Invalid(_H + "from app.main import get_user\ndef test_a():\n    app.dependency_overrides[get_db] = 1\n"
                "    app.dependency_overrides[get_user] = 2\n    app.dependency_overrides.pop(get_db)\n", path=_T),
        Invalid("import pytest_asyncio\nfrom app.main import app, get_db\n@pytest_asyncio.fixture\n"
                "async def client():\n    app.dependency_overrides[get_db] = lambda: 1\n    yield app\n", path=_T),
        Invalid(_H + "class TestUsers:\n    def test_a(self):\n        app.dependency_overrides[get_db] = lambda: 1\n",
                path=_T),
        Invalid(_H + "@pytest.fixture(autouse=False)\ndef reset():\n    yield\n    app.dependency_overrides.clear()\n"
                "def test_a():\n    app.dependency_overrides[get_db] = lambda: 1\n", path=_T),
        Invalid("from fastapi.testclient import TestClient\nfrom app.main import app, get_db\n"
                "def test_a():\n    with TestClient(app) as client:\n"
                "        client.app.dependency_overrides[get_db] = lambda: 1\n", path="tests/api/test_items.py"),
        Invalid(_H + "def test_a():\n    app.dependency_overrides[get_db] = overrides = lambda: 1\n", path=_T),
    )

    def visit(self, node: ast.Assign, ctx: RuleContext) -> None:
        for target in node.targets:
            if not (isinstance(target, ast.Subscript) and _is_overrides(target.value)):
                continue
            function = ctx.enclosing_function()
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or not _is_test_or_fixture(function, ctx):
                return
            if not _outlives_test(target.value.value, ctx, 0):  # type: ignore[attr-defined]
                return
            if _restored_after(function, node, target) or _restored_for_whole_file(ctx):
                return
            ctx.report(target, target=ctx.document.node_text(target), function=function.name)
            return


def _is_overrides(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == _OVERRIDES


def _outlives_test(node: ast.expr, ctx: RuleContext, depth: int) -> bool:
    """Whether the object reaches an application shared between tests (imported or module level).

    An app created in the test (`app = FastAPI()`, `TestClient(create_app())`) dies with it, and one received
    as a parameter may be a fresh fixture: neither is known to outlive the test.
    """
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    if depth > 4 or not isinstance(node, ast.Name):
        return False
    binding = ctx.names.binding_of(node)
    if binding is None or binding.scope is ctx.names.module_scope:
        return True
    if binding.kind is not BindingKind.ASSIGNMENT or binding.value is None:
        return False
    value = binding.value
    if isinstance(value, ast.Call):  # `TestClient(app)` wraps the shared app; `FastAPI()` makes a fresh one
        wrapped = [*value.args[:1], *(k.value for k in value.keywords if k.arg == "app")]
        return any(_outlives_test(argument, ctx, depth + 1) for argument in wrapped)
    return _outlives_test(value, ctx, depth + 1)


def _fixture_decorator(function: FunctionNode, ctx: RuleContext) -> Optional[ast.expr]:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ctx.qualified_name(target) in FIXTURE_DECORATORS:
            return decorator
    return None


def _is_test_or_fixture(function: FunctionNode, ctx: RuleContext) -> bool:
    return function.name.startswith("test") or _fixture_decorator(function, ctx) is not None


def _restored_after(function: FunctionNode, assignment: ast.Assign, target: ast.Subscript) -> bool:
    """A restoring statement after the assignment (and after the first `yield` that follows it, if any)."""
    start = (assignment.end_lineno or assignment.lineno, assignment.end_col_offset or 0)
    yields = [_position(n) for n in _own_nodes(function) if isinstance(n, (ast.Yield, ast.YieldFrom))]
    later_yields = [position for position in yields if position > start]
    if later_yields:
        start = min(later_yields)
    key = ast.dump(target.slice)
    return any(_position(n) > start for n in _own_nodes(function) if _restores(n, key))


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _restores(node: ast.AST, key: Optional[str]) -> bool:
    """`.clear()`, `.pop(key)`, `del ...[key]`, `... = {}` on a `dependency_overrides` attribute."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_overrides(node.func.value):
        if node.func.attr == "clear":
            return True
        if node.func.attr == "pop":
            return key is None or (bool(node.args) and ast.dump(node.args[0]) == key)
    if isinstance(node, ast.Delete):
        return any(isinstance(t, ast.Subscript) and _is_overrides(t.value)
                   and (key is None or ast.dump(t.slice) == key) for t in node.targets)
    if isinstance(node, ast.Assign):
        return any(_is_overrides(t) for t in node.targets)
    return False


def _restored_for_whole_file(ctx: RuleContext) -> bool:
    """An autouse fixture, a `teardown_*`/`tearDown` function, clears the overrides for every test."""
    for node, _scope in ctx.names.visit_order:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorator = _fixture_decorator(node, ctx)
        autouse = isinstance(decorator, ast.Call) and any(
            k.arg == "autouse" and isinstance(k.value, ast.Constant) and k.value.value is True for k in decorator.keywords
        )
        if (autouse or node.name in _TEARDOWN_NAMES) and any(_restores(n, None) for n in _own_nodes(node)):
            return True
    return False


def _own_nodes(function: FunctionNode) -> Iterator[ast.AST]:
    """Nodes of the function's own body, nested functions and classes excluded."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(node))
