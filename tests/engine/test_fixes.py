"""Fix machinery: the add-import helper, applying edits, choosing compatible fixes, looping to a fixed point."""

from __future__ import annotations

import ast

import pytest

from fastapi_patterns.engine import Config, apply_fixes
from fastapi_patterns.engine.document import Document
from fastapi_patterns.engine.fixes import FixContext, apply_edits, select_compatible
from fastapi_patterns.engine.names import SymbolTable
from fastapi_patterns.engine.types import Edit, Fix, FixSafety, Span


def _add_import(source: str, module: str, name: str | None = None) -> tuple[str, str]:
    document = Document(source)
    assert document.tree is not None
    fixer = FixContext(document, SymbolTable(document.tree))
    local, edits = fixer.add_import(module, name)
    return local, apply_edits(document, edits)


def test_add_import_extends_existing_from_import() -> None:
    local, text = _add_import("from fastapi import Depends, FastAPI\n\napp = FastAPI()\n", "fastapi", "status")
    assert local == "status"
    assert text == "from fastapi import Depends, FastAPI, status\n\napp = FastAPI()\n"


def test_add_import_extends_parenthesized_multiline_import() -> None:
    source = "from fastapi import (\n    Depends,\n    FastAPI,\n)\n"
    _, text = _add_import(source, "fastapi", "status")
    assert text == "from fastapi import (\n    Depends,\n    FastAPI,\n    status,\n)\n"
    ast.parse(text)


def test_add_import_reuses_existing_binding_and_alias() -> None:
    local, text = _add_import("from fastapi import status as st\n", "fastapi", "status")
    assert (local, text) == ("st", "from fastapi import status as st\n")
    local, text = _add_import("import asyncio as aio\n", "asyncio")
    assert (local, text) == ("aio", "import asyncio as aio\n")


def test_add_import_places_stdlib_after_stdlib_block() -> None:
    source = '"""Doc."""\nimport os\nimport sys\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n'
    _, text = _add_import(source, "typing", "Annotated")
    assert text == '"""Doc."""\nimport os\nimport sys\nfrom typing import Annotated\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n'


def test_add_import_keeps_the_block_sorted() -> None:
    source = "import asyncio\nimport time\nfrom typing import Any\n\nimport fastapi\n"
    _, text = _add_import(source, "functools")
    assert text == "import asyncio\nimport functools\nimport time\nfrom typing import Any\n\nimport fastapi\n"
    _, text = _add_import(source, "contextlib", "asynccontextmanager")
    assert text == ("import asyncio\nimport time\nfrom contextlib import asynccontextmanager\n"
                    "from typing import Any\n\nimport fastapi\n")


def test_add_import_places_stdlib_before_third_party_when_no_stdlib() -> None:
    source = "from fastapi import FastAPI\n"
    _, text = _add_import(source, "asyncio")
    assert text == "import asyncio\n\nfrom fastapi import FastAPI\n"


def test_add_import_after_docstring_when_no_imports() -> None:
    _, text = _add_import('"""Module."""\nx = 1\n', "asyncio")
    assert text == '"""Module."""\nimport asyncio\nx = 1\n'


def test_add_import_keeps_crlf() -> None:
    _, text = _add_import("import os\r\nx = 1\r\n", "asyncio")
    assert text == "import asyncio\r\nimport os\r\nx = 1\r\n"


def test_apply_edits_collapses_identical_duplicates_and_rejects_overlaps() -> None:
    document = Document("abcdef")
    insert = Edit(Span.of(0, 0, 0, 0), "X")
    assert apply_edits(document, [insert, insert, Edit(Span.of(0, 2, 0, 4), "")]) == "Xabef"
    with pytest.raises(ValueError):
        apply_edits(document, [Edit(Span.of(0, 1, 0, 3), "1"), Edit(Span.of(0, 2, 0, 5), "2")])


def test_select_compatible_keeps_whole_fixes_and_shared_imports() -> None:
    shared = Edit(Span.of(0, 0, 0, 0), "import x\n")
    first = Fix("a", (shared, Edit(Span.of(1, 0, 1, 3), "aaa")), FixSafety.SAFE)
    second = Fix("b", (shared, Edit(Span.of(2, 0, 2, 3), "bbb")), FixSafety.SAFE)
    clashing = Fix("c", (Edit(Span.of(1, 1, 1, 2), "c"),), FixSafety.SAFE)
    assert select_compatible([first, clashing, second]) == [first, second]


def test_apply_fixes_converges_and_only_safe_by_default() -> None:
    source = (
        "import asyncio\nfrom fastapi import Depends\n"
        "def get_db(): ...\nasync def f(db=Depends(get_db())):\n"
        "    a = asyncio.get_event_loop()\n    b = asyncio.get_event_loop()\n"
    )
    outcome = apply_fixes(source, "m.py", Config())
    assert outcome.source.count("get_running_loop()") == 2
    assert "Depends(get_db)" in outcome.source
    assert outcome.applied == 3
    assert apply_fixes(outcome.source, "m.py", Config()).applied == 0


def test_apply_fixes_leaves_unparsable_file_alone() -> None:
    source = "import fastapi\ndef f(:\n"
    outcome = apply_fixes(source, "m.py", Config())
    assert outcome.source == source and outcome.applied == 0 and outcome.problems


def test_add_import_starts_a_new_block_with_blank_lines_around_it() -> None:
    _, text = _add_import("from __future__ import annotations\nimport fastapi\n", "asyncio")
    assert text == "from __future__ import annotations\n\nimport asyncio\n\nimport fastapi\n"
    _, text = _add_import("import os\n\nx = 1\n", "fastapi", "status")
    assert text == "import os\n\nfrom fastapi import status\n\nx = 1\n"


def test_add_import_into_an_unsorted_mixed_block_adds_no_blank_line() -> None:
    _, text = _add_import("import fastapi as f\nimport typing as t\nx = 1\n", "fastapi", "Query")
    assert text == "import fastapi as f\nimport typing as t\nfrom fastapi import Query\nx = 1\n"
