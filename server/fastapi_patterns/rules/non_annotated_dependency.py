"""FAP205 non-annotated-dependency: `db: Session = Depends(get_db)` where `Annotated[...]` is meant."""

from __future__ import annotations

import ast
from typing import Optional, Union

from ..engine.fastapi_model import iter_parameters
from ..engine.fixes import FixContext
from ..engine.names import FunctionNode
from ..engine.rule import FixFactory, Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, Fix, FixSafety, Severity
from ._annotated_rewrite import (
    MarkerParameter, marker_parameter, parameter_span, rewritten_text, typing_names,
)
from ._signature_order import fits_in_place, order_is_feasible, planned_moves, signature_edits

_H = "from fastapi import Depends, FastAPI, Query\nfrom app.db import Session, get_db\napp = FastAPI()\n"
_T = "from typing import Annotated\n"
_TA = "from typing import Annotated, Any\n"
_WS = "from fastapi import FastAPI, Path, Header, Cookie\napp = FastAPI()\n@app.websocket('/ws/{room}')\n"
_SEC = ("from typing import Optional\nfrom fastapi import APIRouter as R, Depends, Security\n"
        "from fastapi.security import OAuth2PasswordBearer as Bearer, OAuth2PasswordRequestForm as PasswordForm\n"
        "router = R()\noauth2 = Bearer(tokenUrl='token')\n")
_REORDER_TITLE = "Rewrite with `Annotated` and move parameters without a default first"


class NonAnnotatedDependency(Rule):
    """
    ## What it does
    Flags a parameter of a path operation or a dependency whose default value is a FastAPI marker:
    `Depends`, `Security`, `Query`, `Path`, `Body`, `Header`, `Cookie`, `Form` or `File`. The
    diagnostic sits on the marker call.

    ## Why is this bad?
    With the marker as the default, the function's signature lies: `db: Session = Depends(get_db)` says
    `db` is optional and defaults to a `Depends` object, so calling the function yourself (in a test, from
    another function) hands it that object instead of a session, and type checkers accept the mistake.
    `Annotated[Session, Depends(get_db)]` keeps the metadata in the type, leaves the default free for a
    real default value, and lets the same annotation be shared as a type alias. FastAPI recommends it.

    ## Example
    ```python
    from fastapi import Depends, FastAPI, Query

    app = FastAPI()


    def get_settings() -> dict[str, str]:
        return {"name": "demo"}


    @app.get("/items")
    def list_items(
        settings: dict[str, str] = Depends(get_settings),
        q: str = Query("all", max_length=20),
    ) -> dict[str, str]:
        return {"query": q, **settings}
    ```

    Use instead:
    ```python
    from typing import Annotated

    from fastapi import Depends, FastAPI, Query

    app = FastAPI()


    def get_settings() -> dict[str, str]:
        return {"name": "demo"}


    @app.get("/items")
    def list_items(
        settings: Annotated[dict[str, str], Depends(get_settings)],
        q: Annotated[str, Query(max_length=20)] = "all",
    ) -> dict[str, str]:
        return {"query": q, **settings}
    ```

    ## Fix safety
    The fix moves the marker into `Annotated[...]` and imports `Annotated` (reusing `typing_extensions`
    when the file takes it from there); an untyped parameter becomes `Annotated[Any, ...]`. A default given
    to `Query`, `Path`, `Body`, `Header`, `Cookie`, `Form` or `File` stays the parameter's default
    (`Query("x")` gives `= "x"`, `Query(None)` gives `= None`); `...`, `Depends(f)` and `Security(f)` leave
    the parameter required.

    Safe when the parameter can be rewritten where it stands. When it would lose its default while an
    earlier positional parameter keeps one, the parameters without a default move before those with one
    (keeping their relative order, never across `/`): that is unsafe, because positional callers of the
    function now pass arguments in another order. No fix is offered when no valid order exists, for
    `Depends()` on an untyped parameter, or when the annotation is already `Annotated`.
    """

    code = "FAP205"
    name = "non-annotated-dependency"
    message = ("`{marker}(...)` used as the default of `{parameter}`: "
               "declare it as `{parameter}: Annotated[..., {marker}(...)]`")
    fix_title = "Move the marker into `Annotated[...]`"
    fix_safety = FixSafety.SAFE
    mixed_fix_safety = True
    severity = Severity.WARNING
    node_types = (ast.FunctionDef, ast.AsyncFunctionDef)
    trigger_words = ("fastapi",)

    VALID = (
        Valid(_H + _T + "@app.get('/')\ndef r(db: Annotated[Session, Depends(get_db)]): ...\n"),
        Valid(_H + "def helper(db: Session = Depends(get_db)): ...\n"),
        Valid(_H + "@app.get('/')\ndef r(q: str = 'x', limit: int = 10): ...\n"),
        Valid("from fastapi import FastAPI\nfrom app.deps import Depends\napp = FastAPI()\n"
              "@app.get('/')\ndef r(db=Depends(get_db)): ...\n"),
        Valid(_H + "def Query(value): ...\n@app.get('/')\ndef r(q: str = Query('x')): ...\n"),
        Valid("from flask import Flask\nfrom app.deps import Depends\napp = Flask(__name__)\n"
              "@app.post('/')\ndef r(db=Depends(get_db)): ...\n"),
        Valid(_H + "@app.get('/', dependencies=[Depends(get_db)])\ndef r():\n"
              "    def inner(db=Depends(get_db)): ...\n    return inner\n"),
        Valid(_H + "class Items:\n    db: Session = Depends(get_db)\n"
              "    @app.get('/items')\n    def list_items(self) -> list[int]: ...\n"),
        Valid(_H + "class Bus:\n    def get(self, path): ...\nbus = Bus()\n"
              "@bus.get('/')\ndef r(db=Depends(get_db)): ...\n"),
        Valid("import fastapi as f\nfrom typing_extensions import Annotated\napp = f.FastAPI()\n"
              "@app.websocket('/ws')\nasync def ws(db: Annotated[object, f.Depends(get_db)], q: str = 'x'): ...\n"),
        Valid("from fastapi import FastAPI\napp = FastAPI()\nclass Depends:\n    def __init__(self, f): ...\n"
              "@app.get('/')\ndef r(db=Depends(get_db)): ...\n"),
        Valid(_H + "@app.get('/')\ndef r(q: str = Query):\n    return q\n"),
    )
    INVALID = (
        Invalid(_H + "@app.get('/')\ndef r(db: Session = Depends(get_db)): ...\n",
                _T + "\n" + _H + "@app.get('/')\ndef r(db: Annotated[Session, Depends(get_db)]): ...\n"),
        Invalid(_H + "@app.get('/')\nasync def r(db=Depends(get_db)): ...\n",
                _TA + "\n" + _H + "@app.get('/')\nasync def r(db: Annotated[Any, Depends(get_db)]): ...\n"),
        Invalid(_H + "@app.get('/')\ndef r(*, a: str = Query('x', max_length=5), b: int = Query(default=3),\n"
                "      c: int = Query(...), d: str | None = Query(None), e: int = Query(default=..., gt=0)): ...\n",
                _T + "\n" + _H + "@app.get('/')\ndef r(*, a: Annotated[str, Query(max_length=5)] = 'x', "
                "b: Annotated[int, Query()] = 3,\n      c: Annotated[int, Query()], "
                "d: Annotated[str | None, Query()] = None, e: Annotated[int, Query(gt=0)]): ...\n", count=5),
        Invalid("from typing_extensions import Annotated\nimport fastapi as f\napp = f.FastAPI()\n"
                "@app.get('/')\ndef r(db: object = f.Depends(get_db)): ...\n",
                "from typing_extensions import Annotated\nimport fastapi as f\napp = f.FastAPI()\n"
                "@app.get('/')\ndef r(db: Annotated[object, f.Depends(get_db)]): ...\n"),
        Invalid("import typing\nfrom fastapi import Body, FastAPI, File, Form, UploadFile\napp = FastAPI()\n"
                "@app.post('/upload')\ndef r(file: UploadFile = File(...), note: str = Form(None), meta: dict = Body(\n"
                "    default={},  # empty by default\n    embed=True,\n)): ...\n",
                "import typing\nfrom fastapi import Body, FastAPI, File, Form, UploadFile\napp = FastAPI()\n"
                "@app.post('/upload')\ndef r(file: typing.Annotated[UploadFile, File()], "
                "note: typing.Annotated[str, Form()] = None, meta: typing.Annotated[dict, Body(\n"
                "    embed=True,\n)] = {}): ...\n", count=3),
        Invalid(_SEC + "def get_user(token: str = Security(oauth2, scopes=['me'])) -> str: ...\n"
                "class Items:\n    @router.api_route('/items', methods=['PUT'])\n"
                "    @router.api_route('/all', methods=['PATCH'])\n    def put(self, form: PasswordForm = Depends(), "
                "user: Optional[str] = Depends(get_user)): ...\n",
                _SEC.replace("Optional\n", "Optional, Annotated\n")
                + "def get_user(token: Annotated[str, Security(oauth2, scopes=['me'])]) -> str: ...\n"
                "class Items:\n    @router.api_route('/items', methods=['PUT'])\n"
                "    @router.api_route('/all', methods=['PATCH'])\n    def put(self, form: Annotated[PasswordForm, "
                "Depends()], user: Annotated[Optional[str], Depends(get_user)]): ...\n", count=3),
        Invalid(_H + "@app.get('/items')\ndef list_items(\n    skip: int = 0,\n    limit: int = 100,\n"
                "    db: Session = Depends(get_db),  # the session\n    user=Depends(get_db)\n):\n    ...\n",
                _TA + "\n" + _H + "@app.get('/items')\ndef list_items(\n"
                "    db: Annotated[Session, Depends(get_db)],  # the session\n"
                "    user: Annotated[Any, Depends(get_db)],\n    skip: int = 0,\n    limit: int = 100,\n):\n    ...\n",
                count=2, unsafe=True),
        Invalid("from fastapi import Depends, FastAPI, Query as Q\napp = FastAPI()\n@app.get('/')\n"
                "def r(q: str = Q(None), db=Depends(get_db), user=Depends(get_db), /, *args, limit: int = 1): ...\n",
                _TA + "\nfrom fastapi import Depends, FastAPI, Query as Q\napp = FastAPI()\n@app.get('/')\n"
                "def r(db: Annotated[Any, Depends(get_db)], user: Annotated[Any, Depends(get_db)], "
                "q: Annotated[str, Q()] = None, /, *args, limit: int = 1): ...\n", count=3, unsafe=True),
        Invalid(_WS + "async def ws(room: str = Path(..., min_length=1), agent: str = Header(None, alias='ua'),\n"
                "             session: str = Cookie(default_factory=str)): ...\n",
                _T + "\n" + _WS + "async def ws(room: Annotated[str, Path(min_length=1)], session: Annotated[str, "
                "Cookie(default_factory=str)], agent: Annotated[str, Header(alias='ua')] = None): ...\n",
                count=3, unsafe=True),
        Invalid(_H + "@app.get('/')\ndef r(a: int = 1, /, db: Session = Depends(get_db)): ...\n", unsafe=True),
        Invalid(_H + "@app.get('/')\ndef r(form=Depends()): ...\n", unsafe=True),
        Invalid(_H + _T + "@app.get('/')\ndef r(q: Annotated[str, 'doc'] = Query(None)): ...\n", unsafe=True),
    )

    def visit(self, node: Union[ast.FunctionDef, ast.AsyncFunctionDef], ctx: RuleContext) -> None:
        if not ctx.model.is_endpoint_or_dependency(node):
            return
        plans: dict[int, MarkerParameter] = {}
        for arg, default in iter_parameters(node):
            plan = marker_parameter(arg, default, ctx.names)
            if plan is not None:
                plans[id(arg)] = plan
        if not plans:
            return
        feasible = order_is_feasible(node, plans)
        reorders = bool(planned_moves(node, plans))
        for plan in plans.values():
            marker = plan.marker.func
            marker_name = marker.attr if isinstance(marker, ast.Attribute) else ctx.document.node_text(marker)
            in_place = fits_in_place(node, plan)
            fix: Optional[FixFactory] = None
            if plan.rewritable and in_place:
                fix = _in_place_fix(plan)
            elif plan.rewritable and feasible:
                fix = _signature_fix(node, plans, reorders)
            safety = FixSafety.UNSAFE if fix is not None and not in_place and reorders else FixSafety.SAFE
            ctx.report(plan.marker, fix, fix_safety=safety, marker=marker_name, parameter=plan.arg.arg)


def _in_place_fix(plan: MarkerParameter) -> FixFactory:
    def build(fixer: FixContext) -> Optional[list[Edit]]:
        names = typing_names(fixer, need_any=plan.arg.annotation is None)
        text = rewritten_text(fixer, plan, names)
        if text is None:
            return None
        return [*names.edits, Edit(parameter_span(fixer, plan), text)]

    return build


def _signature_fix(function: FunctionNode, plans: dict[int, MarkerParameter],
                   reorders: bool) -> FixFactory:
    """Rewrite every marker parameter of the function at once (moving parameters when `reorders`)."""

    def build(fixer: FixContext) -> Optional[Fix]:
        need_any = any(p.rewritable and p.arg.annotation is None for p in plans.values())
        names = typing_names(fixer, need_any=need_any)
        edits = signature_edits(fixer, function, plans, names)
        if edits is None:
            return None
        if reorders:
            return Fix(_REORDER_TITLE, (*names.edits, *edits), FixSafety.UNSAFE)
        return Fix(NonAnnotatedDependency.fix_title or "", (*names.edits, *edits), FixSafety.SAFE)

    return build
