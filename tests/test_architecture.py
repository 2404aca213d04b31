"""Architecture: the layering the design promises, checked on the source and on what really gets imported.

The engine, the rules, the snippets and the docs renderer never import the editor protocol libraries (pygls,
lsprotocol), so `--check` and other tools can use them without a language server; the engine imports the rules
only lazily (the runner's default rule set); jedi never loads with the engine; modules stay small and each
opens with a docstring.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "server" / "fastapi_patterns"
PROTOCOL_LIBRARIES = ("pygls", "lsprotocol")
MAX_LINES = 400
# Modules allowed past MAX_LINES, each with its reason. Keep this empty: split by concern instead.
LINE_LIMIT_EXCEPTIONS: dict[str, str] = {}


def _modules(*parts: str) -> list[Path]:
    found: list[Path] = []
    for part in parts:
        target = PACKAGE / part
        found.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target])
    return found


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(path: Path, module_level_only: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in the file; relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    statements: list[ast.Import | ast.ImportFrom] = []
    if module_level_only:
        pending: list[ast.stmt] = list(tree.body)
        while pending:  # module level includes `if`/`try` blocks, not function or class bodies
            statement = pending.pop()
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                statements.append(statement)
            elif isinstance(statement, (ast.If, ast.Try, ast.With)):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(statement, field, []):
                        pending.extend(child.body if isinstance(child, ast.ExceptHandler) else [child])
    else:
        statements = [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]
    found: list[tuple[int, str]] = []
    for statement in statements:
        if isinstance(statement, ast.Import):
            found.extend((statement.lineno, alias.name) for alias in statement.names)
            continue
        base = statement.module or ""
        if statement.level:
            anchor = package[: len(package) - statement.level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        found.append((statement.lineno, base))
        found.extend((statement.lineno, f"{base}.{alias.name}") for alias in statement.names)
    return found


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _is_within(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


PURE_MODULES = _modules("engine", "rules", "snippets", "docs.py")


@pytest.mark.parametrize("path", PURE_MODULES, ids=_relative)
def test_pure_modules_never_import_protocol_libraries(path: Path) -> None:
    offending = [
        f"line {line}: {module}"
        for line, module in _imported_modules(path, module_level_only=False)
        if _is_within(module, PROTOCOL_LIBRARIES) or _is_within(module, ("fastapi_patterns.lsp",))
    ]
    assert offending == []


@pytest.mark.parametrize("path", _modules("engine"), ids=_relative)
def test_engine_imports_rules_and_jedi_only_lazily(path: Path) -> None:
    offending = [
        f"line {line}: {module}"
        for line, module in _imported_modules(path, module_level_only=True)
        if _is_within(module, ("fastapi_patterns.rules", "jedi"))
    ]
    assert offending == [], "import these inside the function that needs them"


def _loaded_after(code: str) -> set[str]:
    """The top-level packages in sys.modules after running `code` in a fresh interpreter."""
    script = textwrap.dedent(code) + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "server")}, check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_importing_the_pure_packages_loads_no_protocol_library() -> None:
    loaded = _loaded_after(
        """
        import fastapi_patterns.engine, fastapi_patterns.rules, fastapi_patterns.snippets, fastapi_patterns.docs
        from fastapi_patterns.engine import analyze
        analyze("from fastapi import FastAPI\\napp = FastAPI()\\n@app.get('/')\\nasync def root(): ...\\n", "a.py")
        """
    )
    assert "fastapi_patterns" in loaded
    assert loaded.isdisjoint({*PROTOCOL_LIBRARIES, "jedi"})


def test_check_command_loads_no_protocol_library(tmp_path: Path) -> None:
    if not (PACKAGE / "cli.py").is_file():
        pytest.skip("the command line is not written yet")
    target = tmp_path / "main.py"
    target.write_text("from fastapi import FastAPI\napp = FastAPI()\n", encoding="utf-8")
    loaded = _loaded_after(
        f"""
        import runpy, sys
        sys.argv = ["fastapi-patterns", "--check", {str(target)!r}, "--no-cache", "--exit-zero"]
        try:
            runpy.run_module("fastapi_patterns", run_name="__main__", alter_sys=True)
        except SystemExit as stop:
            assert stop.code in (0, None), stop.code
        """
    )
    assert loaded.isdisjoint(PROTOCOL_LIBRARIES)


@pytest.mark.parametrize("path", _modules("."), ids=_relative)
def test_module_size_and_docstring(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    lines = source.count("\n") + (0 if source.endswith("\n") else 1)
    limit = MAX_LINES if _relative(path) not in LINE_LIMIT_EXCEPTIONS else 10 * MAX_LINES
    assert lines <= limit, f"{lines} lines: split the module by concern"
    docstring = ast.get_docstring(ast.parse(source))
    assert docstring and docstring.strip(), "every module opens with a docstring saying what it owns"


def test_line_limit_exceptions_are_real() -> None:
    for relative, reason in LINE_LIMIT_EXCEPTIONS.items():
        path = ROOT / relative
        assert path.is_file() and reason
        assert path.read_text(encoding="utf-8").count("\n") > MAX_LINES, f"{relative} no longer needs its exception"
