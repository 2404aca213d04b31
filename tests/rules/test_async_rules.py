"""Behaviour of FAP101/FAP102 beyond the rule cases: messages, spans, alternative fixes, fix-all interplay."""

from __future__ import annotations

import ast

from fastapi_patterns.engine import analyze, apply_fixes
from fastapi_patterns.engine.config import Config
from fastapi_patterns.engine.fixes import apply_edits
from fastapi_patterns.engine.document import Document
from fastapi_patterns.engine.types import FixSafety

APP = "import time\nfrom fastapi import FastAPI\napp = FastAPI()\n"


def _findings(source: str, code: str):
    analysis = analyze(source, "app/main.py", Config())
    return analysis, [f for f in analysis.findings if f.code == code]


def test_message_names_call_and_function() -> None:
    _, (finding,) = _findings(APP + "@app.get('/')\nasync def handler():\n    time.sleep(1)\n", "FAP101")
    assert finding.message == "Blocking call `time.sleep()` in async function `handler`"
    assert (finding.span.start.line, finding.span.start.column, finding.span.end.column) == (5, 4, 17)


def test_method_label_names_receiver_type() -> None:
    source = ("from fastapi import FastAPI\nfrom sqlalchemy.orm import Session\napp = FastAPI()\n"
              "@app.get('/')\nasync def h(db: Session):\n    db.commit()\n")
    _, (finding,) = _findings(source, "FAP101")
    assert "`sqlalchemy.orm.Session.commit()`" in finding.message


def test_convert_to_def_offered_as_alternative_when_nothing_is_awaited() -> None:
    source = APP + "@app.get('/')\nasync def handler():\n    time.sleep(1)\n"
    analysis, (finding,) = _findings(source, "FAP101")
    fixes = analysis.fixes_for(finding)
    assert [f.safety for f in fixes] == [FixSafety.SAFE, FixSafety.SAFE]
    converted = apply_edits(Document(source), fixes[1].edits)
    assert "\ndef handler():\n    time.sleep(1)\n" in converted


def test_no_alternative_when_the_function_awaits_something_else() -> None:
    source = APP + "@app.get('/')\nasync def handler(q):\n    time.sleep(1)\n    await q.get()\n"
    analysis, (finding,) = _findings(source, "FAP101")
    assert len(analysis.fixes_for(finding)) == 1


def test_no_alternative_for_plain_coroutines_or_websockets() -> None:
    source = APP + "async def helper():\n    time.sleep(1)\n@app.websocket('/ws')\nasync def ws(s):\n    time.sleep(1)\n"
    analysis, findings = _findings(source, "FAP101")
    assert len(findings) == 2
    assert all(len(analysis.fixes_for(f)) == 1 for f in findings)


def test_fap102_span_covers_async_keyword_through_name() -> None:
    source = "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/')\nasync def café():\n    return 1\n"
    _, (finding,) = _findings(source, "FAP102")
    assert (finding.span.start.line, finding.span.start.column) == (3, 0)
    assert (finding.span.end.line, finding.span.end.column) == (3, len("async def café"))


def test_fap102_silent_when_body_needs_the_event_loop() -> None:
    source = ("import asyncio\nimport contextvars\nfrom fastapi import Depends, FastAPI\napp = FastAPI()\n"
              "request_id = contextvars.ContextVar('request_id')\n"
              "@app.get('/a')\nasync def a():\n    asyncio.create_task(work())\n"
              "async def tag():\n    request_id.set('x')\n@app.get('/b', dependencies=[Depends(tag)])\ndef b():\n    return 1\n"
              "@app.get('/c')\nasync def c():\n    return request_id.get()\n")
    _, findings = _findings(source, "FAP102")
    assert [f.message for f in findings] == ["`async def c` never awaits: declare it with `def`"]


def test_fix_all_never_puts_await_in_a_converted_function() -> None:
    source = APP + "import requests\n@app.get('/')\nasync def handler(u):\n    time.sleep(1)\n    return requests.get(u)\n"
    for unsafe in (False, True):
        outcome = apply_fixes(source, "app/main.py", Config(), unsafe=unsafe)
        compile(outcome.source, "app/main.py", "exec")
        tree = ast.parse(outcome.source)
        handler = next(n for n in ast.walk(tree) if getattr(n, "name", "") == "handler")
        awaits = [n for n in ast.walk(handler) if isinstance(n, ast.Await)]
        assert isinstance(handler, ast.FunctionDef) and not awaits


def test_fix_all_offloads_when_conversion_is_not_possible() -> None:
    source = APP + "@app.get('/')\nasync def handler():\n    time.sleep(1)\nasync def main():\n    await handler()\n"
    outcome = apply_fixes(source, "app/main.py", Config())
    assert "async def handler():\n    await asyncio.sleep(1)\n" in outcome.source
    assert "import asyncio\n" in outcome.source
