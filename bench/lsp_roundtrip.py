"""Editor round trip through the real server over stdio: an edit (didChange) until its diagnostics arrive.

The client here is a minimal JSON-RPC peer that only frames and parses JSON (as editors do natively), so the
figures are the server's: analysis, conversion and serialisation, not a Python client's object decoding. Two
figures per file size: pull (didChange, then `textDocument/diagnostic`, timed to the answer) and push (didChange
timed to the `publishDiagnostics` of that version, the debounce set to zero, for a client without pull support).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from typing import Any, Optional

from generate import generate_module

URI = "file:///bench/module.py"


class RawClient:
    def __init__(self, pull: bool) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "fastapi_patterns"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0
        capabilities: dict[str, Any] = {"textDocument": {"diagnostic": {}}} if pull else {}
        self.request("initialize", {"processId": None, "rootUri": None, "capabilities": capabilities,
                                    "initializationOptions": {"debounce-ms": 0}})
        self.notify("initialized", {})

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = self.process.stdout.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")
            if "method" in message and "id" in message:  # a request from the server: answer it
                self.send({"id": message["id"], "result": None})

    def wait_for_publish(self, version: int) -> None:
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics" and \
                    message["params"].get("version") == version:
                return
            if "method" in message and "id" in message:
                self.send({"id": message["id"], "result": None})

    def change(self, version: int, text: str) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": version},
                                                "contentChanges": [{"text": text}]})

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=10)


def _measure(lines: int, repeat: int, pull: bool) -> float:
    client = RawClient(pull)
    text = generate_module(lines)
    client.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "python", "version": 1,
                                                             "text": text}})
    timings: list[float] = []
    for index in range(repeat):
        version = index + 2
        start = time.perf_counter()
        client.change(version, text + f"\n# edit {index}\n")
        if pull:
            client.request("textDocument/diagnostic", {"textDocument": {"uri": URI}})
        else:
            client.wait_for_publish(version)
        timings.append(time.perf_counter() - start)
        time.sleep(0.6)  # a pause in typing, as between real keystrokes' bursts
    client.close()
    return statistics.median(timings)


def bench_lsp(repeat: int = 20, sizes: Optional[tuple[int, ...]] = None) -> dict[int, tuple[float, float]]:
    """Print and return the medians in seconds: {file lines: (pull, push)}."""
    print(f"## language server round trip, didChange to diagnostics (median of {repeat})")
    figures: dict[int, tuple[float, float]] = {}
    for lines in sizes or (500, 5000):
        pull = _measure(lines, repeat, pull=True)
        push = _measure(lines, repeat, pull=False)
        print(f"  {lines:>5} lines: pull {pull * 1000:7.1f} ms   push {push * 1000:7.1f} ms")
        figures[lines] = (pull, push)
    return figures
