"""What a class of an installed package is (an app, a router, a Pydantic model...), found without importing it.

The workspace index knows the user's modules; a name that leads out of them (`fastapi_utils.InferringRouter`,
`fastapi_users.schemas.BaseUser`) is external. When such a name is not one the engine knows by heart, this
module asks jedi where the class is defined (following re-exports, statically: jedi reads source, it never
imports the package), parses that file with `ast`, and follows the class's bases the same way until it reaches
a known framework class or gives up. jedi is imported on first use only, answers are cached per qualified name,
and every failure (jedi missing, a compiled module, a cycle) means "nothing known".
"""

from __future__ import annotations

import ast
import importlib.machinery
import os
import sys
import threading
from typing import Any, Callable, Mapping, Optional, Sequence

from ..names import SymbolTable

MAX_DEPTH = 8
# Packages whose classes the engine knows by heart, or that define no app, router or model worth a lookup.
SKIPPED_ROOTS = frozenset({*sys.stdlib_module_names, "fastapi", "starlette", "pydantic", "pydantic_core",
                           "pydantic_settings", "sqlalchemy", "sqlmodel", "httpx", "requests", "typing_extensions"})


class LibraryClasses:
    """Kinds of classes defined in installed packages, cached; safe to share between threads."""

    def __init__(self, known: Mapping[str, str], sys_path: Optional[Sequence[str]] = None,
                 locate: Optional[Callable[[str], Optional[tuple[str, int]]]] = None) -> None:
        self.known = known  # qualified name -> kind, for the framework's own classes
        self.sys_path = list(sys_path) if sys_path is not None else None
        self._locate_override = locate
        self._kinds: dict[str, frozenset[str]] = {}
        self._packages: dict[str, bool] = {}
        self._trees: dict[str, Optional[tuple[ast.Module, SymbolTable]]] = {}
        self._lock = threading.Lock()
        self._jedi: Any = None
        self.lookups = 0  # how many names were located (for tests and logs)

    def __getstate__(self) -> dict[str, Any]:  # sent to worker processes without jedi, locks or caches
        return {**self.__dict__, "_lock": None, "_jedi": None, "_trees": {}, "_kinds": {}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _lock=threading.Lock())

    def kinds(self, qualified: str, depth: int = 0) -> frozenset[str]:
        if qualified in self.known:
            return frozenset({self.known[qualified]})
        if depth > MAX_DEPTH or "." not in qualified or qualified.split(".", 1)[0] in SKIPPED_ROOTS:
            return frozenset()
        if not qualified.rpartition(".")[2][:1].isupper() or not self._installed(qualified.split(".", 1)[0]):
            return frozenset()  # a function or a module, not a class; or a package that is not there
        with self._lock:
            cached = self._kinds.get(qualified)
            if cached is not None:
                return cached
            self._kinds[qualified] = frozenset()  # a cycle ends here
        found: frozenset[str] = frozenset()
        try:
            found = self._kinds_of_definition(qualified, depth)
        except Exception:  # jedi and third-party source are outside our control: unknown, never a crash
            found = frozenset()
        with self._lock:
            self._kinds[qualified] = found
        return found

    def _installed(self, package: str) -> bool:
        """Whether a top-level package is an installed one: found on the import path (located, not imported)
        and not inside the working directory, where the project's own code lives (the index reads that; jedi
        following it could meet modules it would import to inspect)."""
        with self._lock:
            known = self._packages.get(package)
        if known is None:
            spec = importlib.machinery.PathFinder.find_spec(package, self.sys_path)
            places = [spec.origin or "", *(spec.submodule_search_locations or ())] if spec is not None else []
            project = os.path.join(os.path.realpath(os.getcwd()), "")
            known = spec is not None and not any(
                place and os.path.realpath(place).startswith(project) for place in places)
            with self._lock:
                self._packages[package] = known
        return known

    def _kinds_of_definition(self, qualified: str, depth: int) -> frozenset[str]:
        location = self._locate(qualified)
        if location is None:
            return frozenset()
        path, line = location
        parsed = self._parse(path)
        if parsed is None:
            return frozenset()
        tree, names = parsed
        package = names.module_name if path.endswith("__init__.py") else names.module_name.rpartition(".")[0]
        cls = next((node for node in ast.walk(tree) if isinstance(node, ast.ClassDef) and node.lineno == line), None)
        if cls is None:
            return frozenset()
        kinds: set[str] = set()
        for base in cls.bases:
            base_name = names.qualified_name(base)
            if base_name is None:
                continue
            if base_name.startswith("."):
                base_name = _absolute(base_name, package)
                if base_name is None:
                    continue
            kinds |= self.kinds(base_name, depth + 1)
        return frozenset(kinds)

    def _parse(self, path: str) -> Optional[tuple[ast.Module, SymbolTable]]:
        with self._lock:
            if path in self._trees:
                return self._trees[path]
        result: Optional[tuple[ast.Module, SymbolTable]] = None
        if path.endswith((".py", ".pyi")) and os.path.getsize(path) < 2_000_000:
            with open(path, encoding="utf-8", errors="replace") as handle:
                tree = ast.parse(handle.read(), path)
            result = (tree, SymbolTable(tree, _module_of(path, self.sys_path)))
        with self._lock:
            self._trees[path] = result
        return result

    def _locate(self, qualified: str) -> Optional[tuple[str, int]]:
        """The file and line where jedi says the class a qualified name denotes is defined."""
        self.lookups += 1
        if self._locate_override is not None:
            return self._locate_override(qualified)
        module, _, name = qualified.rpartition(".")
        if not module or not name.isidentifier() or not _from_source(module, self.sys_path):
            return None
        if self._jedi is None:
            import jedi

            self._jedi = jedi
        jedi = self._jedi
        code = f"from {module} import {name}\n"
        project = jedi.Project(os.getcwd(), sys_path=self.sys_path, smart_sys_path=False) \
            if self.sys_path is not None else None
        script = jedi.Script(code, environment=jedi.InterpreterEnvironment(), project=project)
        for definition in script.goto(1, len(code) - 2, follow_imports=True):
            if definition.type == "class" and definition.module_path is not None and definition.line:
                return str(definition.module_path), int(definition.line)
        return None


def _from_source(module: str, sys_path: Optional[Sequence[str]]) -> bool:
    """Whether each step of a dotted module path is Python source or a plain folder: jedi imports a compiled or
    bytecode-only module to inspect it, which would run its code (a `.pyc` left in a project, say)."""
    search = list(sys_path) if sys_path is not None else None
    for part in module.split("."):
        spec = importlib.machinery.PathFinder.find_spec(part, search)
        if spec is None or (spec.origin is not None and not spec.origin.endswith((".py", ".pyi"))):
            return False
        search = list(spec.submodule_search_locations or [])
    return True


def _absolute(relative: str, package: str) -> Optional[str]:
    """`..base.Model` read in package `lib.sub` is `lib.base.Model`."""
    level = len(relative) - len(relative.lstrip("."))
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    kept = parts[: len(parts) - (level - 1)]
    rest = relative[level:]
    return ".".join([*kept, rest]) if kept else (rest or None)


def _module_of(path: str, sys_path: Optional[Sequence[str]]) -> str:
    """The dotted module name of a library file, from the import path it lies under (for relative imports)."""
    for root in sorted(sys_path if sys_path is not None else sys.path, key=len, reverse=True):
        if root and path.startswith(os.path.join(root, "")):
            relative = os.path.relpath(path, root)[: -len(".py")]
            parts = relative.split(os.sep)
            if parts[-1] == "__init__":
                parts.pop()
            return ".".join(parts)
    return ""
