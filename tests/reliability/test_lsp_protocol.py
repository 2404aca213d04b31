"""The language server at the JSON-RPC level, spoken to by a bare peer (`raw_client.py`): bodies that are not
JSON or not message objects, unknown methods, unreadable parameters, `$/cancelRequest`, and shutdown or a lost
client while an analysis is still running. The server answers what JSON-RPC says to answer, ignores what it
says to ignore, and stays up; asked to exit, it exits at once whatever it is doing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from raw_client import WAIT_LIMIT, Message, RawServer

from process_environment import FAULT_SERVER, server_environment

SOURCE = ('from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("items")\n'
          'def items() -> list[str]:\n    return []\n')
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, REQUEST_CANCELLED = (
    -32700, -32600, -32601, -32602, -32800)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RawServer]:
    started = RawServer([sys.executable, str(FAULT_SERVER)], server_environment(), cwd=tmp_path)
    started.initialize(tmp_path, capabilities={"textDocument": {"diagnostic": {}}})
    yield started
    started.close()


def open_document(server: RawServer, path: Path, text: str) -> str:
    server.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "python",
                                                            "version": 1, "text": text}})
    return path.as_uri()


def pull(server: RawServer, uri: str) -> int:
    return server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})


def still_serving(server: RawServer, tmp_path: Path) -> None:
    """The server still analyses and answers after whatever came before."""
    uri = open_document(server, tmp_path / "alive.py", SOURCE)
    answer = server.response(pull(server, uri))
    assert [item["code"] for item in answer["result"]["items"]] == ["FAP214"]


def is_error(code: int, request_id: Any = None) -> Callable[[Message], bool]:
    return lambda m: "method" not in m and m.get("id") == request_id and m.get("error", {}).get("code") == code


def wait_for_file(path: Path) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.01)


@pytest.mark.parametrize(("body", "code"), [
    (b"{not json", PARSE_ERROR), (b"\xff\xfe\x00", PARSE_ERROR), (b"{}", INVALID_REQUEST),
    (b"[1, 2]", INVALID_REQUEST), (b'"a string"', INVALID_REQUEST), (b"42", INVALID_REQUEST),
])
def test_a_body_that_is_not_a_message_is_answered_with_a_null_id(server: RawServer, tmp_path: Path, body: bytes,
                                                                 code: int) -> None:
    server.send_body(body)
    answer = server.wait_for(is_error(code))
    assert answer["id"] is None and answer["jsonrpc"] == "2.0"
    still_serving(server, tmp_path)
    assert not [log for log in server.logs() if "internal error" in log]


def test_unknown_methods_are_refused_or_ignored(server: RawServer, tmp_path: Path) -> None:
    server.send_body(b"")  # an empty body (Content-Length: 0) is skipped by the reader
    request = server.request("fastapi-patterns/no-such-request", {})
    assert server.wait_for(is_error(METHOD_NOT_FOUND, request))["id"] == request
    server.notify("no-such/notification", {"x": 1})
    server.notify("$/no-such-notification", None)
    still_serving(server, tmp_path)
    assert not [m for m in server.received if m.get("id") is None and "error" in m]  # notifications: no answer
    assert not [log for log in server.logs() if "internal error" in log]


def test_a_request_with_unreadable_parameters_is_answered(server: RawServer, tmp_path: Path) -> None:
    hover = server.request("textDocument/hover", {"textDocument": 7, "position": "here"})
    assert server.wait_for(is_error(INVALID_PARAMS, hover))["id"] == hover
    server.notify("textDocument/didOpen", {"textDocument": {"uri": 3}})  # a notification: nothing to answer
    server.notify("textDocument/didChange", None)
    still_serving(server, tmp_path)


def test_cancel_request_ends_a_waiting_request_at_once(server: RawServer, tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    uri = open_document(server, tmp_path / "slow.py", f"# gate: {gate}\n" + SOURCE)
    waiting = pull(server, uri)
    wait_for_file(Path(f"{gate}.started"))
    server.notify("$/cancelRequest", {"id": waiting})
    cancelled = server.wait_for(lambda m: m.get("id") == waiting and "method" not in m)
    assert cancelled.get("error", {}).get("code") == REQUEST_CANCELLED, cancelled
    assert not Path(f"{gate}.finished").exists()  # answered while the analysis was still held
    server.notify("$/cancelRequest", {"id": waiting})  # again, and for a request that never was
    server.notify("$/cancelRequest", {"id": 987654})
    gate.touch()
    assert "items" in server.response(pull(server, uri))["result"]
    still_serving(server, tmp_path)


@pytest.mark.parametrize("ending", ["shutdown and exit", "exit without shutdown", "client gone"])
def test_the_server_ends_at_once_while_an_analysis_is_held(tmp_path: Path, ending: str,
                                                            record_property: Callable[[str, Any], None]) -> None:
    server = RawServer([sys.executable, str(FAULT_SERVER)], server_environment(), cwd=tmp_path)
    try:
        server.initialize(tmp_path)
        gate = tmp_path / "gate"  # never opened: the analysis would wait for minutes
        open_document(server, tmp_path / "slow.py", f"# gate: {gate}\n" + SOURCE)
        wait_for_file(Path(f"{gate}.started"))
        started = time.monotonic()
        if ending == "shutdown and exit":
            assert server.call("shutdown")["result"] is None
            server.notify("exit")
        elif ending == "exit without shutdown":
            server.notify("exit")
        else:
            assert server.process.stdin is not None
            server.process.stdin.close()
        code = server.exit_code()
        record_property("seconds_to_exit", round(time.monotonic() - started, 3))
    finally:
        server.close()
    assert code == (0 if ending == "shutdown and exit" else 1)
    assert not Path(f"{gate}.finished").exists()
    assert b"Traceback" not in server.stderr
