"""A bare JSON-RPC peer for the language server, for what a protocol library client cannot send or see.

It frames bytes itself (so it can send a body that is not JSON, or a request for a method nobody knows), reads
every message the server writes on a background thread, answers the server's own requests with null, and
never blocks forever: every wait has a limit. The server's stderr is drained so it can never fill a pipe.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

WAIT_LIMIT = 30.0  # guards against a hang only; no assertion depends on time
Message = dict[str, Any]


class RawServer:
    def __init__(self, command: Sequence[str], env: dict[str, str], cwd: Optional[Path] = None) -> None:
        self.process = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env, cwd=cwd)
        self.received: list[Message] = []
        self.stderr = bytearray()
        self._incoming: "queue.Queue[Optional[Message]]" = queue.Queue()
        self._next_id = 0
        self._writing = threading.Lock()  # the reader thread answers the server's requests too
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    # -- sending ---------------------------------------------------------------------------------------

    def send_body(self, body: bytes) -> None:
        assert self.process.stdin is not None
        with self._writing:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def send(self, message: Message) -> None:
        self.send_body(json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8"))

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any = None) -> int:
        """Send a request and return its id (the answer is awaited separately)."""
        self._next_id += 1
        self.send({"id": self._next_id, "method": method, "params": params})
        return self._next_id

    def call(self, method: str, params: Any = None) -> Message:
        """Send a request and wait for its response (the whole response message)."""
        return self.response(self.request(method, params))

    # -- receiving ------------------------------------------------------------------------------------

    def response(self, request_id: Optional[int], limit: float = WAIT_LIMIT) -> Message:
        return self.wait_for(lambda m: "method" not in m and m.get("id") == request_id, limit)

    def wait_for(self, wanted: Callable[[Message], bool], limit: float = WAIT_LIMIT) -> Message:
        """The first message (already received or still to come) that `wanted` accepts."""
        for message in self.received:
            if wanted(message):
                return message
        deadline = time.monotonic() + limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("the server did not send the expected message in time")
            try:
                arrived = self._incoming.get(timeout=remaining)
            except queue.Empty:
                continue
            if arrived is None:
                raise AssertionError("the server closed its output")
            if wanted(arrived):
                return arrived

    def logs(self) -> list[str]:
        return [str(m["params"]["message"]) for m in self.received if m.get("method") == "window/logMessage"]

    def initialize(self, root: Path, capabilities: Optional[Message] = None, options: Any = None) -> Message:
        answer = self.call("initialize", {
            "processId": None, "rootUri": root.as_uri(), "capabilities": capabilities or {},
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "initializationOptions": {"debounce-ms": 0} if options is None else options,
        })
        self.notify("initialized", {})
        return answer

    def exit_code(self, limit: float = WAIT_LIMIT) -> Optional[int]:
        """The process's exit code once it has ended, or None when it is still running after `limit`."""
        try:
            return self.process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT_LIMIT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass

    # -- background threads ----------------------------------------------------------------------------

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    self._incoming.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            message = json.loads(stream.read(length))
            self.received.append(message)
            if "method" in message and "id" in message:  # the server asks something: answer null
                self.send({"id": message["id"], "result": None})
            self._incoming.put(message)

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        descriptor = self.process.stderr.fileno()
        for chunk in iter(lambda: os.read(descriptor, 65536), b""):
            self.stderr.extend(chunk)
