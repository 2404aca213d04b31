"""The language server on a large workspace: start to first diagnostics, background indexing, memory.

A generated project of N files (3,000 by default) is opened as the workspace folder of a raw JSON-RPC client
(see lsp_roundtrip.py). Measured: the time from starting the server process to the first diagnostics of one
open router module; the time until the index reports its `$/progress` end; the round trip of an edit of the open
file while indexing still runs (it must not wait for the index); and the server's resident memory once indexed.

    python bench/lsp_workspace.py [--files 3000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

from generate import generate_project


class WorkspaceClient:
    def __init__(self, root: Path) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-m", "fastapi_patterns"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.progress_end: Optional[float] = None
        capabilities = {"textDocument": {"diagnostic": {}}, "window": {"workDoneProgress": True}}
        self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities,
                                    "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
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
        message: dict[str, Any] = json.loads(self.process.stdout.read(length))
        if message.get("method") == "$/progress" and message["params"]["value"].get("kind") == "end":
            self.progress_end = time.perf_counter()
        if "method" in message and "id" in message:  # a request from the server: accept it
            self.send({"id": message["id"], "result": None})
        return message

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        wanted = self.next_id
        self.send({"id": wanted, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == wanted and "method" not in message:
                return message.get("result")

    def wait_indexed(self, limit: float = 300.0) -> float:
        deadline = time.perf_counter() + limit
        while self.progress_end is None and time.perf_counter() < deadline:
            self.request("fastapi-patterns/routes", None)  # answered once the first build is done
        assert self.progress_end is not None
        return self.progress_end - self.started

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=30)


def measure(files: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory) / "project"
        written = generate_project(root, files)
        router = next(path for path in written if "routers" in path.parts)
        text = router.read_text(encoding="utf-8")
        client = WorkspaceClient(root)
        uri = router.as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                                 "text": text}})
        client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        first = time.perf_counter() - client.started
        edit_start = time.perf_counter()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                  "contentChanges": [{"text": text + "\n# edit\n"}]})
        client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        edit_while_indexing = time.perf_counter() - edit_start
        indexed = client.wait_indexed()
        rss = client.rss_mb()
        client.close()
    figures = {"first_diagnostics_s": first, "edit_while_indexing_s": edit_while_indexing, "indexed_s": indexed,
               "rss_mb": rss}
    print(f"## language server on a {files}-file workspace")
    print(f"  start to first diagnostics     {first:7.2f} s")
    print(f"  edit round trip while indexing {edit_while_indexing * 1000:7.1f} ms")
    print(f"  start to index built           {indexed:7.2f} s")
    print(f"  resident memory once indexed   {rss:7.0f} MB")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    measure(parser.parse_args().files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
