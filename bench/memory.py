"""Memory of the language server over a long editing session: 10,000 edits on a 2,000-line file.

    python bench/memory.py                      # 10,000 edits, diagnostics pulled after every 10
    python bench/memory.py --edits 2000 --lines 500 --every 5

The server runs as editors start it (`python -m fastapi_patterns`, over stdio); this script speaks raw JSON-RPC
to it. Edits are incremental and of the kinds typing makes (a character typed into a comment, a route path
changed and changed back, a line added, a line removed), always in one open document; the client pulls
diagnostics after every `--every` edits, so the server analyses about a tenth of the versions, as it would
with a debounce. The server's resident set size (VmRSS) is printed after the first 100 edits, every 1,000
edits, and at the end, with the growth since the first figure. Not part of the tests: it takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from generate import generate_module

ROOT = Path(__file__).resolve().parent.parent
URI = "file:///bench/session/module.py"


class Server:
    def __init__(self) -> None:
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
            part for part in [str(ROOT / "server"), os.environ.get("PYTHONPATH", "")] if part)}
        self.process = subprocess.Popen([sys.executable, "-m", "fastapi_patterns"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment)
        self.next_id = 0

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
            if not line:
                raise SystemExit("the server stopped")
            if line == b"\r\n":
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if "method" in message and "id" in message:  # the server asks something: answer null
                self.send({"id": message["id"], "result": None})
            elif message.get("id") == self.next_id:
                return message.get("result")

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise SystemExit("no /proc/PID/status here (Linux only)")

    def close(self) -> None:
        self.request("shutdown", None)
        self.send({"method": "exit", "params": None})
        self.process.wait(timeout=30)


def edit(number: int, lines: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The `number`-th edit of the session as a content change, and the lines after it."""
    kind = (number - 1) % 4
    row = (number * 7919) % (len(lines) - 2) + 1
    if kind == 0:  # type a character at the end of a comment line, adding one if needed
        lines = [*lines[:row], f"# note {number}", *lines[row:]]
        change = {"range": {"start": {"line": row, "character": 0}, "end": {"line": row, "character": 0}},
                  "text": f"# note {number}\n"}
    elif kind == 1:  # type into the comment just added
        row = next(i for i in range(len(lines) - 1, -1, -1) if lines[i].startswith("# note"))
        end = len(lines[row])
        lines[row] += "x"
        change = {"range": {"start": {"line": row, "character": end}, "end": {"line": row, "character": end}},
                  "text": "x"}
    elif kind == 2:  # flip the leading slash of a route path
        routes = [i for i, line in enumerate(lines) if '.get("' in line or '.post("' in line]
        row = routes[number % len(routes)]
        at = lines[row].index('("') + 2
        slash = lines[row][at] == "/"
        lines[row] = lines[row][:at] + lines[row][at + 1:] if slash else lines[row][:at] + "/" + lines[row][at:]
        change = {"range": {"start": {"line": row, "character": at},
                            "end": {"line": row, "character": at + (1 if slash else 0)}}, "text": "" if slash else "/"}
    else:  # delete a comment line added earlier
        row = next(i for i in range(len(lines)) if lines[i].startswith("# note"))
        del lines[row]
        change = {"range": {"start": {"line": row, "character": 0}, "end": {"line": row + 1, "character": 0}},
                  "text": ""}
    return change, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=2_000)
    parser.add_argument("--every", type=int, default=10, help="pull diagnostics after this many edits")
    args = parser.parse_args()
    if min(args.edits, args.lines, args.every) < 1:
        parser.error("--edits, --lines and --every must be positive")
    text = generate_module(args.lines)
    lines = text.split("\n")
    server = Server()
    server.request("initialize", {"processId": None, "rootUri": None,
                                  "capabilities": {"textDocument": {"diagnostic": {}}},
                                  "initializationOptions": {"debounce-ms": 0}})
    server.send({"method": "initialized", "params": {}})
    server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": URI, "languageId": "python", "version": 1, "text": text}}})
    started, first, diagnostics = time.perf_counter(), 0, 0
    print(f"{len(lines)}-line module, {args.edits} edits, a pull every {args.every}")
    for number in range(1, args.edits + 1):
        change, lines = edit(number, lines)
        server.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": number + 1}, "contentChanges": [change]}})
        if number % args.every == 0:
            result = server.request("textDocument/diagnostic", {"textDocument": {"uri": URI}})
            diagnostics = len(result["items"]) if result else -1
        if number == 100 or number % 1000 == 0 or number == args.edits:
            rss = server.rss_kib()
            first = first or rss
            print(f"  after {number:6d} edits: RSS {rss / 1024:7.1f} MiB  ({(rss - first) / 1024:+6.1f} MiB since "
                  f"edit 100)  {diagnostics} diagnostics  {time.perf_counter() - started:6.0f} s", flush=True)
    final = server.request("textDocument/diagnostic", {"textDocument": {"uri": URI}})
    expected = "\n".join(lines)
    server.close()
    print(f"final text: {len(expected.splitlines())} lines, {len(final['items'])} diagnostics")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
