"""FAP217 unbounded-page-size: a `limit`/`page_size` query parameter that accepts any number."""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from typing import Optional

from ..engine.fastapi_model import DEPENDS, PARAM_MARKERS, annotated_parts, iter_parameters, keyword_value
from ..engine.fixes import FixContext
from ..engine.names import BindingKind, SymbolTable
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Edit, FixSafety, Severity
from ._annotated_rewrite import typing_names
from ._call_arguments import append_keyword
from ._path_parameters import route_parameters

_PAGE_SIZE_NAMES = frozenset({"limit", "page_size", "per_page", "size", "take"})
_QUERY = frozenset(name for name in PARAM_MARKERS if name.endswith(".Query"))
_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_BOUND = 100
_I = "from fastapi import FastAPI, Query\napp = FastAPI()\n"
_T = "from typing import Annotated\n"


@dataclass(frozen=True)
class _PageSize:
    """One unbounded page-size parameter and what the fix needs to know about it."""

    arg: ast.arg
    query: Optional[ast.Call]  # the `Query(...)` that gets `le=`, when there is one
    default: Optional[ast.expr]
    annotation: ast.expr  # the whole annotation (an `Annotated[...]` or the plain type)
    annotated: bool


class UnboundedPageSize(Rule):
    """
    ## What it does
    Flags a query parameter of a path operation named `limit`, `page_size`, `per_page`, `size` or `take`,
    typed `int` (or `int | None`), that has no upper bound: no `le=` or `lt=` in its `Query(...)`, whether
    that stands as the default or inside `Annotated[...]`. The diagnostic sits on the parameter.

    Left alone: parameters that are not query parameters (path parameters, `Depends`, `Body`, `Header`...),
    types that carry their own bound (`conint(le=50)`, a custom type), parameters whose marker is a
    variable or forwards `**options`, and dependencies (only path operations are read).

    ## Why is this bad?
    A page size without a ceiling lets any client ask for every row at once: `?limit=10000000` turns one
    request into a full table scan, a huge response and a memory spike, whether by accident or on purpose.
    A bound makes FastAPI reject such requests with a 422 before the handler runs.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/items")
    def list_items(limit: int = 20) -> list[int]:
        return list(range(limit))
    ```

    Use instead:
    ```python
    from typing import Annotated

    from fastapi import FastAPI, Query

    app = FastAPI()


    @app.get("/items")
    def list_items(limit: Annotated[int, Query(le=100)] = 20) -> list[int]:
        return list(range(limit))
    ```

    ## Fix safety
    Unsafe: requests that asked for more than 100 rows now get a 422. The fix adds `le=100` to an existing
    `Query(...)`; a parameter with a bare default becomes `Annotated[int, Query(le=100)] = <default>`,
    importing `Annotated` and `Query` when needed. No fix is offered when the default itself is above 100,
    or when a local name `Query` hides FastAPI's.
    """

    code = "FAP217"
    name = "unbounded-page-size"
    message = "Page-size parameter `{parameter}` has no upper bound: any client can ask for every row at once"
    fix_title = "Bound the parameter with `le=100`"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.INFORMATION
    node_types = (ast.Module,)
    trigger_words = ("limit", "page_size", "per_page", "size", "take")

    VALID = (
        Valid(_I + _T + "@app.get('/')\ndef items(limit: Annotated[int, Query(ge=1, le=100)] = 20) -> None: ...\n"),
        Valid(_I + "@app.get('/')\ndef items(limit: int = Query(20, lt=101)) -> None: ...\n"),
        Valid(_I + "@app.get('/')\ndef items(offset: int = 0, page: int = 1) -> None: ...\n"),
        Valid(_I + "@app.get('/')\ndef items(limit: str = 'all') -> None: ...\n"),
        Valid(_I + "from pydantic import conint\n@app.get('/')\ndef items(limit: conint(le=50) = 10) -> None: ...\n"),
        Valid(_I + "@app.get('/sizes/{size}')\ndef by_size(size: int) -> None: ...\n"),
        Valid(_I + "from fastapi import Header\n@app.get('/')\ndef items(size: int = Header(10)) -> None: ...\n"),
        Valid(_I + "def helper(limit: int = 10) -> None: ...\n"),
        Valid(_I + "BOUND = Query(le=50)\n@app.get('/')\ndef items(limit: int = BOUND) -> None: ...\n"),
        Valid(_I + "KW = {'le': 50}\n@app.get('/')\ndef items(limit: int = Query(10, **KW)) -> None: ...\n"),
        Valid("class Bus:\n    def get(self, path): ...\nbus = Bus()\n@bus.get('/')\n"
              "def items(limit: int = 10): ...\n"),
        Valid(_I + "@app.get('/')\ndef items() -> None:\n    def inner(limit: int = 10): ...\n"),
    )
    INVALID = (
        Invalid(_I + "@app.get('/')\ndef items(limit: int = 20) -> None: ...\n",
                _T + "\n" + _I + "@app.get('/')\ndef items(limit: Annotated[int, Query(le=100)] = 20) -> None: ...\n",
                unsafe=True),
        Invalid(_I + "@app.get('/')\ndef items(limit: int = Query(20, ge=1)) -> None: ...\n",
                _I + "@app.get('/')\ndef items(limit: int = Query(20, ge=1, le=100)) -> None: ...\n", unsafe=True),
        Invalid(_I + _T + "@app.get('/')\n"
                "def items(page_size: Annotated[int | None, Query(ge=1)] = None) -> None: ...\n",
                _I + _T + "@app.get('/')\ndef items(page_size: Annotated[int | None, Query(ge=1, le=100)] = None)"
                " -> None: ...\n", unsafe=True),
        Invalid("from fastapi import FastAPI\nfrom typing import Optional\napp = FastAPI()\n@app.get('/')\n"
                "async def items(per_page: Optional[int] = None, take: int = 5) -> None: ...\n",
                "from fastapi import FastAPI, Query\nfrom typing import Optional, Annotated\napp = FastAPI()\n"
                "@app.get('/')\nasync def items(per_page: Annotated[Optional[int], Query(le=100)] = None, "
                "take: Annotated[int, Query(le=100)] = 5) -> None: ...\n", count=2, unsafe=True),
        Invalid(_I + "@app.get('/')\ndef items(limit: int = 1000) -> None: ...\n", unsafe=True),
        Invalid(_I + "@app.get('/')\ndef items(limit: int = Query(default=500)) -> None: ...\n", unsafe=True),
        Invalid("import fastapi as f\nimport typing as t\nrouter = f.APIRouter()\n@router.get('/')\n"
                "def items(size: t.Annotated[int, 'rows per page'] = 10) -> None: ...\n",
                "import fastapi as f\nimport typing as t\nfrom fastapi import Query\nrouter = f.APIRouter()\n"
                "@router.get('/')\n"
                "def items(size: t.Annotated[int, 'rows per page', Query(le=100)] = 10) -> None: ...\n",
                unsafe=True),
        Invalid(_I + "@app.get('/')\ndef items(*, limit: int) -> None: ...\n",
                _T + "\n" + _I + "@app.get('/')\ndef items(*, limit: Annotated[int, Query(le=100)]) -> None: ...\n",
                unsafe=True),
        Invalid("from fastapi import FastAPI\napp = FastAPI()\nQuery = 'shadowed'\n@app.get('/')\n"
                "def items(limit: int = 10) -> None: ...\n", unsafe=True),
        Invalid(_I + "@app.get('/')\ndef items(limit: int = Query(\n    10,\n    ge=1,\n)) -> None: ...\n",
                _I + "@app.get('/')\ndef items(limit: int = Query(\n    10,\n    ge=1,\n    le=100,\n)) -> None: ...\n",
                unsafe=True),
        Invalid(_I + "@app.get('/a')\n@app.get('/b')\ndef items(limit: int = 10) -> None: ...\n",
                _T + "\n" + _I + "@app.get('/a')\n@app.get('/b')\n"
                "def items(limit: Annotated[int, Query(le=100)] = 10) -> None: ...\n",
                unsafe=True),
    )

    def visit(self, node: ast.Module, ctx: RuleContext) -> None:
        seen: set[int] = set()
        for operation in ctx.model.path_operations:
            function = operation.function
            if operation.is_websocket or operation.is_documentation_only or id(function) in seen:
                continue
            seen.add(id(function))
            path_names = set(route_parameters(operation.path or ""))
            for arg, default in iter_parameters(function):
                if arg.arg not in _PAGE_SIZE_NAMES or arg.arg in path_names or arg.annotation is None:
                    continue
                found = _unbounded(arg, default, ctx.names)
                if found is not None:
                    fixable = not _above_bound(found) and (
                        found.query is not None
                        or _visible_as_query(ctx.fixer, arg, ctx.fixer.bound_name("fastapi.Query") or "Query")
                    )
                    ctx.report(arg, functools.partial(_fix, found=found) if fixable else None, parameter=arg.arg)


def _unbounded(arg: ast.arg, default: Optional[ast.expr], names: SymbolTable) -> Optional[_PageSize]:
    assert arg.annotation is not None
    base, metadata = annotated_parts(arg.annotation, names)
    if not _is_int(base, names):
        return None
    query: Optional[ast.Call] = None
    for marker in [*metadata, *([default] if default is not None else [])]:
        if not isinstance(marker, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
            continue  # a literal default or a documentation string
        if not isinstance(marker, ast.Call):
            return None  # a variable may hold a bounded marker
        kind = names.qualified_name(marker.func)
        if kind in DEPENDS or (kind in PARAM_MARKERS and kind not in _QUERY):
            return None
        if any(k.arg is None or k.arg in ("le", "lt") for k in marker.keywords):
            return None
        if kind not in _QUERY:
            return None
        query = marker
    plain_default = default if query is None or query is not default else _query_default(query)
    return _PageSize(arg, query, plain_default, arg.annotation, bool(metadata))


def _is_int(annotation: Optional[ast.expr], names: SymbolTable) -> bool:
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        parts = [annotation.left, annotation.right]
        kept = [p for p in parts if not (isinstance(p, ast.Constant) and p.value is None)]
        return len(kept) == 1 and _is_int(kept[0], names)
    if isinstance(annotation, ast.Subscript) and names.qualified_name(annotation.value) in _OPTIONAL:
        return _is_int(annotation.slice, names)
    return annotation is not None and names.qualified_name(annotation) == "builtins.int"


def _query_default(query: ast.Call) -> Optional[ast.expr]:
    return query.args[0] if query.args else keyword_value(query, "default")


def _above_bound(found: _PageSize) -> bool:
    default = found.default
    return isinstance(default, ast.Constant) and type(default.value) is int and default.value > _BOUND


def _fix(fixer: FixContext, found: _PageSize) -> Optional[list[Edit]]:
    if found.query is not None:
        return append_keyword(fixer, found.query, f"le={_BOUND}")
    query, query_edits = fixer.add_import("fastapi", "Query")
    if not _visible_as_query(fixer, found.arg, query):
        return None
    marker = f"{query}(le={_BOUND})"
    if found.annotated:
        assert isinstance(found.annotation, ast.Subscript) and isinstance(found.annotation.slice, ast.Tuple)
        last = found.annotation.slice.elts[-1]
        return [*query_edits, fixer.insert_after(last, f", {marker}")]
    names = typing_names(fixer, need_any=False)
    rewritten = f"{names.annotated}[{fixer.text(found.annotation)}, {marker}]"
    return [*names.edits, *query_edits, fixer.replace(found.annotation, rewritten)]


def _visible_as_query(fixer: FixContext, arg: ast.arg, local: str) -> bool:
    """Whether `local` means `fastapi.Query` where the annotation is evaluated (not shadowed there)."""
    names = fixer.names
    if names is None:
        return False
    anchor = next((n for n in ast.walk(arg.annotation) if isinstance(n, ast.Name)), None) if arg.annotation else None
    scope = names.scope_of(anchor) if anchor is not None else names.module_scope
    binding = names.lookup(local, scope, (arg.lineno, arg.col_offset))
    return binding is None or (binding.kind is BindingKind.IMPORT and binding.qualified_name in _QUERY)
