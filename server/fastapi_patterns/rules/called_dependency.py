"""FAP212 called-dependency: `Depends(get_db())` passes the result of a call instead of the dependency."""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fastapi_model import DEPENDS, keyword_value
from ..engine.names import BindingKind
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import FixSafety, Severity

_HEADER = "from fastapi import Depends, FastAPI\napp = FastAPI()\n"


class CalledDependency(Rule):
    """
    ## What it does
    Flags `Depends(f())` and `Security(f())` where `f` is a plain dependency function: the function is called
    once, when the module is imported, and its *result* is handed to FastAPI as the dependency.

    It deliberately leaves alone calls that build a dependency: a class instance (`Depends(HTTPBearer())`),
    a factory defined in the file that returns an inner function, and an imported function called with
    arguments (`Depends(require_role("admin"))`), since those return a callable on purpose.

    ## Why is this bad?
    FastAPI calls the dependency on every request. Calling it yourself at import time runs it once, shares
    the result (a database session, a user) between all requests, and usually fails at start-up because the
    result is not callable.

    ## Example
    ```python
    from fastapi import Depends, FastAPI

    app = FastAPI()


    def get_settings() -> dict[str, str]:
        return {"name": "demo"}


    @app.get("/info")
    def info(settings: dict[str, str] = Depends(get_settings())) -> dict[str, str]:
        return settings
    ```

    Use instead:
    ```python
    from typing import Annotated

    from fastapi import Depends, FastAPI

    app = FastAPI()


    def get_settings() -> dict[str, str]:
        return {"name": "demo"}


    @app.get("/info")
    def info(settings: Annotated[dict[str, str], Depends(get_settings)]) -> dict[str, str]:
        return settings
    ```

    ## Fix safety
    Safe when the call has no arguments: `Depends(f())` becomes `Depends(f)`, which is what FastAPI expects.
    With arguments no fix is offered, since the arguments would have to move into the function.
    """

    code = "FAP212"
    name = "called-dependency"
    message = "`{callee}()` is called inside `{marker}(...)`: pass the dependency itself, `{marker}({callee})`"
    fix_title = "Pass the function instead of calling it"
    fix_safety = FixSafety.SAFE
    severity = Severity.ERROR
    node_types = (ast.Call,)
    trigger_words = ("Depends", "Security")

    VALID = (
        Valid(_HEADER + "def get_db(): ...\n@app.get('/')\ndef r(db=Depends(get_db)): ...\n"),
        Valid("from fastapi import Depends\nfrom fastapi.security import HTTPBearer\n"
              "def r(token=Depends(HTTPBearer())): ...\n"),
        Valid(_HEADER + "def require(role):\n    def check(): ...\n    return check\n"
              "@app.get('/')\ndef r(u=Depends(require('admin'))): ...\n"),
        Valid("from fastapi import Depends\nfrom app.auth import require_role\n"
              "def r(u=Depends(require_role('admin'))): ...\n"),
        Valid("from app.deps import Depends\ndef get_db(): ...\ndef r(db=Depends(get_db())): ...\n"),
        Valid("from fastapi import Depends\nclass Paginator:\n    def __call__(self): ...\n"
              "def r(p=Depends(Paginator())): ...\n"),
        Valid("from fastapi import Depends\ndef r(db=Depends()): ...\n"),
        Valid("from functools import partial\nfrom fastapi import Depends\ndef load(kind): ...\n"
              "def r(v=Depends(partial(load, 'user'))): ...\n"),
        Valid("from fastapi import Depends\ndef scoped(name):\n    return lambda: name\n"
              "def r(v=Depends(scoped('a'))): ...\n"),
    )
    INVALID = (
        Invalid(
            _HEADER + "def get_db(): ...\n@app.get('/')\ndef r(db=Depends(get_db())): ...\n",
            _HEADER + "def get_db(): ...\n@app.get('/')\ndef r(db=Depends(get_db)): ...\n",
        ),
        Invalid(
            "import fastapi as f\ndef get_user(): ...\ndef r(u=f.Security(get_user())): ...\n",
            "import fastapi as f\ndef get_user(): ...\ndef r(u=f.Security(get_user)): ...\n",
        ),
        Invalid(
            "from typing import Annotated\nfrom fastapi import Depends\nfrom app.deps import get_db\n"
            "def r(db: Annotated[object, Depends(get_db())]): ...\n",
            "from typing import Annotated\nfrom fastapi import Depends\nfrom app.deps import get_db\n"
            "def r(db: Annotated[object, Depends(get_db)]): ...\n",
        ),
        Invalid(
            "from fastapi import Depends as D\ndef get_db():\n    yield 1\ndef r(db=D(dependency=get_db())): ...\n",
            "from fastapi import Depends as D\ndef get_db():\n    yield 1\ndef r(db=D(dependency=get_db)): ...\n",
        ),
        Invalid("from fastapi import Depends\ndef get_db(x): ...\ndef r(db=Depends(get_db(1))): ...\n"),
        Invalid(
            _HEADER + "def auth(): ...\n@app.get('/', dependencies=[Depends(auth())])\ndef r(): ...\n",
            _HEADER + "def auth(): ...\n@app.get('/', dependencies=[Depends(auth)])\ndef r(): ...\n",
        ),
        Invalid(
            "from fastapi import APIRouter, Security\nfrom app.auth import current_user\n"
            "router = APIRouter(dependencies=[Security(current_user(), scopes=['me'])])\n",
            "from fastapi import APIRouter, Security\nfrom app.auth import current_user\n"
            "router = APIRouter(dependencies=[Security(current_user, scopes=['me'])])\n",
        ),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        if ctx.qualified_name(node.func) not in DEPENDS:
            return
        target = node.args[0] if node.args else keyword_value(node, "dependency")
        if not isinstance(target, ast.Call) or not _is_plain_function_call(target, ctx):
            return
        marker = node.func.attr if isinstance(node.func, ast.Attribute) else ctx.document.node_text(node.func)
        callee = ctx.document.node_text(target.func)
        has_arguments = bool(target.args or target.keywords)
        fix = None if has_arguments else (lambda fixer: [fixer.replace(target, fixer.text(target.func))])
        ctx.report(target, fix, callee=callee, marker=marker)


def _is_plain_function_call(call: ast.Call, ctx: RuleContext) -> bool:
    """True when `call` calls a dependency function rather than building a callable."""
    func = call.func
    binding = ctx.names.binding_of(func) if isinstance(func, ast.Name) else None
    if binding is not None and binding.kind is BindingKind.FUNCTION:
        return not _returns_callable(binding.node)
    if binding is not None and binding.kind is not BindingKind.IMPORT:
        return False
    if call.args or call.keywords:
        return False  # an imported factory with arguments returns a dependency on purpose
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return bool(last) and last[0].islower() and ctx.qualified_name(func) is not None


def _returns_callable(function: Optional[ast.AST]) -> bool:
    """A factory: its body defines a function or lambda that it returns."""
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return True
    inner = {n.name for n in ast.walk(function) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
             and n is not function}
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None:
            if isinstance(node.value, ast.Lambda):
                return True
            if isinstance(node.value, ast.Name) and node.value.id in inner:
                return True
    return False
