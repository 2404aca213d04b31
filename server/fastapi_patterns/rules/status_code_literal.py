"""FAP213 status-code-literal: `status_code=404` written as a bare number instead of `status.HTTP_404_NOT_FOUND`."""

from __future__ import annotations

import ast
import functools
from typing import Optional, Union

from ..engine.fixes import FixContext
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Severity
from ._status_codes import (
    HTTP_EXCEPTIONS,
    constant_name,
    http_exception_code,
    renamed_constants,
    status_reference,
)

_H = "from fastapi import FastAPI, HTTPException, status\napp = FastAPI()\n"
_I = "from fastapi import FastAPI, HTTPException\napp = FastAPI()\n"
_RESPONSE_MODULES = ("fastapi.responses.", "starlette.responses.")


class StatusCodeLiteral(Rule):
    """
    ## What it does
    Flags a status code written as a bare integer where FastAPI takes one: `status_code=` of a route
    decorator, of an `HTTPException(...)` or of a response class (`Response`, `JSONResponse`,
    `RedirectResponse`...), and the first positional argument of `HTTPException`. The diagnostic sits on
    the number.

    Not flagged: keys of `responses=`, comparisons such as `response.status_code == 200`, and codes that
    have no named constant at all (`299`).

    ## Why is this bad?
    `status.HTTP_404_NOT_FOUND` says what the code means where `404` asks the reader to remember it, and
    a typo in a name (`HTTP_40_NOT_FOUND`) fails at import where a typo in a number (`440`) ships. Editors
    also complete the constants, so the intent is one keystroke away.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.post("/jobs", status_code=202)
    def start_job() -> dict[str, str]:
        return {"state": "queued"}
    ```

    Use instead:
    ```python
    from fastapi import FastAPI, status

    app = FastAPI()


    @app.post("/jobs", status_code=status.HTTP_202_ACCEPTED)
    def start_job() -> dict[str, str]:
        return {"state": "queued"}
    ```

    ## Fix safety
    Safe: the constant has the same value. The fix imports `status` from fastapi when the file does not
    have it (from starlette in a file that uses Starlette without FastAPI), reuses a `status` the file
    already imports, and is not offered when a local name `status` hides the module. Four constants were renamed
    in Starlette 0.48 (413, 414, 416 and 422, e.g. `HTTP_422_UNPROCESSABLE_ENTITY` became
    `HTTP_422_UNPROCESSABLE_CONTENT`): older releases lack the new names and newer ones deprecate the old,
    so for those codes the fix is offered only when the file already uses one of the two spellings, and
    follows it.
    """

    code = "FAP213"
    name = "status-code-literal"
    message = "Status code `{value}` written as a bare number: use `{constant}`"
    fix_title = "Replace the number with the `status` constant"
    fix_safety = FixSafety.SAFE
    severity = Severity.HINT
    node_types = (ast.Module, ast.Call)
    trigger_words = ("status_code", "HTTPException")

    VALID = (
        Valid(_H + "@app.get('/', status_code=status.HTTP_200_OK)\ndef one() -> None:\n"
              "    raise HTTPException(status.HTTP_404_NOT_FOUND)\n"),
        Valid(_H + "@app.get('/', responses={404: {'description': 'Missing'}})\ndef one() -> None: ...\n"),
        Valid("def test(client):\n    response = client.get('/')\n    assert response.status_code == 200\n"),
        Valid(_I + "code = 404\n@app.get('/')\ndef one() -> None:\n    raise HTTPException(code)\n"),
        Valid("class HTTPException(Exception):\n    def __init__(self, status_code): ...\n"
              "raise HTTPException(status_code=404)\n"),
        Valid("from flask import Flask\napp = Flask(__name__)\n@app.get('/', status_code=201)\ndef one(): ...\n"),
        Valid(_I + "@app.get('/', status_code=299)\ndef one() -> None: ...\n"),
        Valid("from fastapi.responses import JSONResponse\nresult = JSONResponse({}, headers={'status_code': '1'})\n"),
        Valid("import httpx\nhttpx.Response(status_code=200)\n"),
        Valid(_I + "@app.get('/', status_code=True)\ndef one() -> None: ...\n"),
    )
    INVALID = (
        Invalid(_H + "@app.get('/')\ndef one() -> None:\n    raise HTTPException(status_code=404, detail='x')\n",
                _H + "@app.get('/')\ndef one() -> None:\n"
                "    raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail='x')\n"),
        Invalid(_I + "@app.post('/', status_code=201)\ndef add() -> None:\n    raise HTTPException(409)\n",
                "from fastapi import FastAPI, HTTPException, status\napp = FastAPI()\n"
                "@app.post('/', status_code=status.HTTP_201_CREATED)\ndef add() -> None:\n"
                "    raise HTTPException(status.HTTP_409_CONFLICT)\n", count=2),
        Invalid("import fastapi as f\nfrom fastapi.responses import JSONResponse as J\nrouter = f.APIRouter()\n"
                "@router.get('/')\ndef one() -> J:\n    return J({}, status_code=202)\n",
                "import fastapi as f\nfrom fastapi import status\nfrom fastapi.responses import JSONResponse as J\n"
                "router = f.APIRouter()\n@router.get('/')\ndef one() -> J:\n"
                "    return J({}, status_code=status.HTTP_202_ACCEPTED)\n"),
        Invalid("from starlette import status\nfrom starlette.exceptions import HTTPException\n"
                "def check() -> None:\n    raise HTTPException(status_code=401)\n",
                "from starlette import status\nfrom starlette.exceptions import HTTPException\n"
                "def check() -> None:\n    raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)\n"),
        Invalid("from starlette.exceptions import HTTPException\ndef check() -> None:\n"
                "    raise HTTPException(status_code=401)\n",
                "from starlette import status\nfrom starlette.exceptions import HTTPException\ndef check() -> None:\n"
                "    raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)\n"),
        Invalid(_I + "@app.get('/status')\ndef status() -> None:\n    raise HTTPException(404)\n"),
        Invalid("import fastapi\n" + _H + "def check(status: str) -> None:\n    raise HTTPException(403)\n",
                "import fastapi\n" + _H + "def check(status: str) -> None:\n"
                "    raise HTTPException(fastapi.status.HTTP_403_FORBIDDEN)\n"),
        Invalid(_H + "def check() -> None:\n    raise HTTPException(422)\n"),
        Invalid(_H + "def check() -> None:\n    raise HTTPException(413)\n"
                "def other() -> None:\n    raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT)\n",
                _H + "def check() -> None:\n    raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE)\n"
                "def other() -> None:\n    raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT)\n"),
        Invalid(_H + "def check() -> None:\n    raise HTTPException(422)\n"
                "def other() -> None:\n    raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)\n",
                _H + "def check() -> None:\n    raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY)\n"
                "def other() -> None:\n    raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)\n"),
        Invalid("import fastapi\nfrom app.routes import router\nfrom fastapi import status\n"
                "@router.delete('/{i}', status_code=(204))\ndef drop(i: int) -> None: ...\n",
                "import fastapi\nfrom app.routes import router\nfrom fastapi import status\n"
                "@router.delete('/{i}', status_code=(status.HTTP_204_NO_CONTENT))\ndef drop(i: int) -> None: ...\n"),
        Invalid("from fastapi import Response\ndef empty() -> Response:\n    return Response(status_code=304)\n",
                "from fastapi import Response, status\ndef empty() -> Response:\n"
                "    return Response(status_code=status.HTTP_304_NOT_MODIFIED)\n"),
    )

    def visit(self, node: Union[ast.Module, ast.Call], ctx: RuleContext) -> None:
        if isinstance(node, ast.Module):
            for operation in ctx.model.path_operations:
                self._check(operation.decorator, _keyword(operation.decorator), ctx)
            return
        callee = ctx.qualified_name(node.func) or ""
        if callee in HTTP_EXCEPTIONS:
            self._check(node, http_exception_code(node), ctx)
        elif _is_response_class(callee):
            self._check(node, _keyword(node), ctx)

    def _check(self, call: ast.Call, value: Optional[ast.expr], ctx: RuleContext) -> None:
        if not (isinstance(value, ast.Constant) and type(value.value) is int):
            return
        code = value.value
        constant = constant_name(code, ctx.document.source)
        if constant is not None:
            module = "fastapi" if ctx.model.imports_fastapi else "starlette"
            fixable = status_reference(ctx.fixer, call, module) is not None
            fix = functools.partial(_fix, call=call, value=value, constant=constant, module=module)
            ctx.report(value, fix if fixable else None, value=code, constant=f"status.{constant}")
            return
        spellings = renamed_constants(code)
        if spellings is not None:
            older, newer = spellings
            ctx.report(value, value=code, constant=f"status.{newer}` (Starlette 0.48+) or `status.{older}")


def _keyword(call: ast.Call) -> Optional[ast.expr]:
    return next((k.value for k in call.keywords if k.arg == "status_code"), None)


def _is_response_class(qualified: str) -> bool:
    if qualified == "fastapi.Response":
        return True
    return qualified.startswith(_RESPONSE_MODULES) and qualified.endswith("Response")


def _fix(fixer: FixContext, call: ast.Call, value: ast.Constant, constant: str, module: str) -> Optional[list[Edit]]:
    reference = status_reference(fixer, call, module)
    if reference is None:
        return None
    prefix, import_edits = reference
    return [*import_edits, fixer.replace(value, f"{prefix}.{constant}")]
