"""The symbol table: qualified names through imports and aliases, with Python's scoping rules."""

from __future__ import annotations

import ast

from fastapi_patterns.engine.names import BindingKind, SymbolTable


def _qualified_calls(source: str) -> list[str | None]:
    tree = ast.parse(source)
    table = SymbolTable(tree)
    calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
    return [table.qualified_name(call.func) for call in calls]


def test_import_alias() -> None:
    assert _qualified_calls("import time as t\nt.sleep(1)\n") == ["time.sleep"]


def test_from_import_alias() -> None:
    assert _qualified_calls("from time import sleep as nap\nnap(1)\n") == ["time.sleep"]


def test_dotted_import_binds_root() -> None:
    assert _qualified_calls("import os.path\nos.path.join('a')\n") == ["os.path.join"]


def test_assignment_alias_is_followed() -> None:
    assert _qualified_calls("import time\npause = time.sleep\npause(1)\n") == ["time.sleep"]


def test_parameter_shadows_import() -> None:
    assert _qualified_calls("import time\ndef f(time):\n    time.sleep(1)\n") == [None]


def test_local_assignment_shadows_import() -> None:
    source = "from time import sleep\ndef f():\n    sleep = make()\n    sleep(1)\n"
    assert _qualified_calls(source) == [None, None]


def test_class_scope_does_not_leak_into_methods() -> None:
    source = "import time\nclass C:\n    time = None\n    def m(self):\n        time.sleep(1)\n"
    assert _qualified_calls(source) == ["time.sleep"]


def test_global_declaration_refers_to_module_binding() -> None:
    source = "import time\ndef f():\n    global time\n    time.sleep(1)\n"
    assert _qualified_calls(source) == ["time.sleep"]


def test_import_inside_function() -> None:
    assert _qualified_calls("def f():\n    import requests as r\n    r.get('x')\n") == ["requests.get"]


def test_relative_import_keeps_dots() -> None:
    assert _qualified_calls("from .deps import get_db\nget_db()\n") == [".deps.get_db"]


def test_builtins_and_unknown_names() -> None:
    assert _qualified_calls("open('x')\nmystery()\n") == ["builtins.open", None]


def test_comprehension_target_shadows() -> None:
    source = "import time\n[time.sleep(1) for time in items]\n"
    assert _qualified_calls(source) == [None]


def test_rebinding_later_in_module_uses_binding_before_use() -> None:
    source = "import time\ntime.sleep(1)\ntime = object()\ntime.sleep(2)\n"
    assert _qualified_calls(source) == ["time.sleep", "builtins.object", None]


def test_alias_cycle_terminates() -> None:
    assert _qualified_calls("a = b\nb = a\na()\n") == [None]


def test_binding_kinds() -> None:
    tree = ast.parse("import os\nx = 1\ndef f(p): ...\nclass C: ...\nfor i in []: ...\n")
    table = SymbolTable(tree)
    kinds = {name: bindings[-1].kind for name, bindings in table.module_scope.bindings.items()}
    assert kinds == {
        "os": BindingKind.IMPORT, "x": BindingKind.ASSIGNMENT, "f": BindingKind.FUNCTION,
        "C": BindingKind.CLASS, "i": BindingKind.OTHER,
    }
    assert table.imported_modules() == {"os"}
