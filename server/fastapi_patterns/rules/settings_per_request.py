"""FAP408 settings-per-request: a `BaseSettings` subclass instantiated in a path operation or uncached dependency."""

from __future__ import annotations

import ast
from typing import Optional

from ..engine.fastapi_model import DEPENDS, keyword_value
from ..engine.names import BindingKind, FunctionNode
from ..engine.rule import Invalid, Rule, RuleContext, Valid
from ..engine.types import Severity

CACHING_DECORATORS = frozenset(
    {"functools.lru_cache", "functools.cache", "async_lru.alru_cache", "cachetools.cached", "cachetools.func.lru_cache"}
)

_S = "from fastapi import Depends, FastAPI\nfrom pydantic_settings import BaseSettings\napp = FastAPI()\n" \
     "class Settings(BaseSettings):\n    name: str = 'demo'\n"


class SettingsPerRequest(Rule):
    """
    ## What it does
    Flags a `BaseSettings` subclass (pydantic-settings, or pydantic v1's `BaseSettings`) instantiated in the
    body of a path operation or of a dependency that is not cached with `@lru_cache`/`@cache`, and a settings
    class passed to `Depends(...)` itself, which FastAPI instantiates on every request.

    Only settings classes defined in the same file are recognised: a class imported from another module is
    not known to be a settings class, and is left alone.

    ## Why is this bad?
    Instantiating settings reads the environment and any `.env` file and validates every field, on every
    request. Besides the wasted work, a change to the environment mid-flight gives requests different
    configurations. Build the settings once in an `@lru_cache`d `get_settings()` and depend on it; tests
    replace it with `app.dependency_overrides[get_settings]`.

    ## Example
    ```python
    from fastapi import FastAPI
    from pydantic_settings import BaseSettings

    app = FastAPI()


    class Settings(BaseSettings):
        app_name: str = "shop"


    @app.get("/info")
    def info() -> dict[str, str]:
        settings = Settings()
        return {"name": settings.app_name}
    ```

    Use instead:
    ```python
    from functools import lru_cache
    from typing import Annotated

    from fastapi import Depends, FastAPI
    from pydantic_settings import BaseSettings

    app = FastAPI()


    class Settings(BaseSettings):
        app_name: str = "shop"


    @lru_cache
    def get_settings() -> Settings:
        return Settings()


    @app.get("/info")
    def info(settings: Annotated[Settings, Depends(get_settings)]) -> dict[str, str]:
        return {"name": settings.app_name}
    ```
    """

    code = "FAP408"
    name = "settings-per-request"
    message = "`{settings}` is built on every request{context}: cache it in an `@lru_cache` `get_settings()` dependency"
    severity = Severity.WARNING
    node_types = (ast.Call,)

    VALID = (
        Valid(_S + "from functools import lru_cache\n@lru_cache\ndef get_settings():\n    return Settings()\n"
              "@app.get('/')\ndef r(s=Depends(get_settings)): ...\n"),
        Valid(_S + "import functools\n@functools.lru_cache(maxsize=1)\ndef get_settings():\n    return Settings()\n"
              "@app.get('/')\ndef r(s=Depends(get_settings)): ...\n"),
        Valid(_S + "from functools import cache\n@cache\ndef get_settings():\n    return Settings()\n"
              "@app.get('/')\ndef r(s=Depends(get_settings)): ...\n"),
        Valid(_S + "settings = Settings()\n@app.get('/')\ndef r():\n    return settings.name\n"),
        Valid(_S + "def make():\n    return Settings()\n"),
        Valid(_S + "from pydantic import BaseModel\nclass Item(BaseModel):\n    name: str\n"
              "@app.get('/')\ndef r():\n    return Item(name='x')\n"),
        Valid(_S + "@app.get('/')\ndef r():\n    def later():\n        return Settings()\n    return later\n"),
        Valid(_S + "@app.get('/')\ndef r(Settings):\n    return Settings()\n"),
        Valid("from fastapi import FastAPI\nfrom app.config import Settings\napp = FastAPI()\n"
              "@app.get('/')\ndef r():\n    return Settings().name\n"),
        Valid(_S + "@app.get('/')\ndef r(s: Settings = Depends(lambda: cached)): ...\ncached = Settings()\n"),
    )
    INVALID = (
        Invalid(_S + "@app.get('/')\ndef r():\n    return Settings().name\n"),
        Invalid(_S + "def get_settings():\n    return Settings()\n@app.get('/')\ndef r(s=Depends(get_settings)): ...\n"),
        Invalid(_S + "@app.get('/')\ndef r(s: Settings = Depends(Settings)): ...\n"),
        Invalid(_S + "from typing import Annotated\n@app.get('/')\ndef r(s: Annotated[Settings, Depends(Settings)]): ...\n"),
        Invalid(_S + "class Prod(Settings):\n    pass\n@app.get('/')\nasync def r():\n    return Prod(_env_file='.env')\n"),
        Invalid("import fastapi\nimport pydantic_settings as ps\nrouter = fastapi.APIRouter()\n"
                "class Config(ps.BaseSettings):\n    debug: bool = False\n@router.get('/')\ndef r():\n"
                "    return {'debug': Config().debug}\n"),
        Invalid("from fastapi import Depends, FastAPI\nfrom pydantic import BaseSettings\napp = FastAPI()\n"
                "class Settings(BaseSettings):\n    name: str = 'x'\nasync def settings_dep():\n    return Settings()\n"
                "@app.get('/')\nasync def r(s=Depends(settings_dep)): ...\n"),
        Invalid(_S + "import functools\n@functools.wraps(print)\ndef get_settings():\n    return Settings()\n"
                "@app.get('/')\ndef r(s=Depends(get_settings)): ...\n"),
    )

    def visit(self, node: ast.Call, ctx: RuleContext) -> None:
        if ctx.qualified_name(node.func) in DEPENDS:
            target = node.args[0] if node.args else keyword_value(node, "dependency")
            settings = _settings_class(target, ctx)
            if settings is not None and target is not None:
                ctx.report(target, settings=settings, context=" (FastAPI instantiates a class dependency per request)")
            return
        settings = _settings_class(node.func, ctx)
        if settings is None:
            return
        function = ctx.enclosing_function()
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        if ctx.model.is_path_operation(function):
            ctx.report(node, settings=settings, context=f" in path operation `{function.name}`")
        elif ctx.model.is_dependency(function) and not _is_cached(function, ctx):
            ctx.report(node, settings=settings, context=f" in uncached dependency `{function.name}`")


def _settings_class(node: Optional[ast.expr], ctx: RuleContext) -> Optional[str]:
    """The name of the in-file settings class `node` refers to, or None."""
    if not isinstance(node, ast.Name):
        return None
    binding = ctx.names.binding_of(node)
    if binding is None or binding.kind is not BindingKind.CLASS:
        return None
    found = ctx.model.settings.get(node.id)
    return node.id if found is not None and found is binding.node else None


def _is_cached(function: FunctionNode, ctx: RuleContext) -> bool:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ctx.qualified_name(target) in CACHING_DECORATORS:
            return True
    return False
