"""A hostile JSON-RPC node on 127.0.0.1 (port 0): a proxy in front of a real node (anvil) that
answers chosen methods the way a faulty or malicious node would.

``HostileNode.answer(method, reply)`` makes every later call of ``method`` get ``reply``; a
reply is a function of the call's params and a ``forward()`` that asks the real node. The
ready-made replies: ``result`` (any JSON value), ``patch`` (the real answer with fields
replaced), ``error`` (a JSON-RPC error with the given text), ``raw`` (bytes as the whole body),
``drip`` (a valid answer one byte at a time, headers first or also the status line) and
``huge`` (a body of many megabytes, with or without a Content-Length). Methods not named are
forwarded to the real node unchanged.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

Forward = Callable[[], dict[str, Any]]


@dataclass
class Reply:
    """How to answer one call: a JSON body, raw bytes, a drip or a flood."""

    body: bytes = b""
    drip_s: float = 0.0  # > 0: send one byte every drip_s seconds
    drip_status_line: bool = False  # drip the status line and headers too
    huge_bytes: int = 0  # > 0: a body of this many bytes
    declare_length: bool = True
    status: int = 200


Answer = Callable[[list[Any], Forward, Any], Reply]


def _json(obj: Any) -> bytes:
    return json.dumps(obj).encode()


def result(value: Any) -> Answer:
    return lambda params, forward, rid: Reply(_json({"jsonrpc": "2.0", "id": rid, "result": value}))


def patch(change: Callable[[Any], Any]) -> Answer:
    """The real node's result, passed through ``change``."""

    def answer(params: list[Any], forward: Forward, rid: Any) -> Reply:
        real = forward()
        return Reply(_json({"jsonrpc": "2.0", "id": rid, "result": change(real["result"])}))

    return answer


def error(message: str, code: int = -32000) -> Answer:
    return lambda params, forward, rid: Reply(
        _json({"jsonrpc": "2.0", "id": rid, "error": {"code": code, "message": message}})
    )


def raw(body: bytes) -> Answer:
    return lambda params, forward, rid: Reply(body)


def drip(value: Any, *, every_s: float, status_line: bool = False, padding: int = 400) -> Answer:
    """A valid answer, padded with spaces so that it lasts ``padding * every_s`` seconds."""

    def answer(params: list[Any], forward: Forward, rid: Any) -> Reply:
        body = _json({"jsonrpc": "2.0", "id": rid, "result": value}) + b" " * padding
        return Reply(body, drip_s=every_s, drip_status_line=status_line)

    return answer


def huge(size: int, *, declare_length: bool) -> Answer:
    return lambda params, forward, rid: Reply(huge_bytes=size, declare_length=declare_length)


@dataclass
class HostileNode:
    url: str = ""
    upstream: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    sent_bytes: int = 0  # bytes of the last huge body that left the server
    stopping: threading.Event = field(default_factory=threading.Event)

    def answer(self, method: str, reply: Answer) -> None:
        self.answers[method] = reply

    def forward(self, body: bytes) -> dict[str, Any]:
        if not self.upstream:
            raise RuntimeError("no real node behind this one")
        req = urllib.request.Request(self.upstream, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return dict(json.loads(resp.read()))


def _handler(node: HostileNode) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            request = json.loads(body)
            if isinstance(request, list):  # batches go to the real node
                self._send(Reply(_json([node.forward(_json(r)) for r in request])))
                return
            method, params, rid = request.get("method"), request.get("params"), request.get("id")
            node.calls.append(str(method))
            answer = node.answers.get(str(method))
            if answer is None:
                self._send(Reply(_json(node.forward(body))))
                return
            self._send(answer(params or [], lambda: node.forward(body), rid))

        def _send(self, reply: Reply) -> None:
            try:
                if reply.huge_bytes:
                    self._flood(reply)
                elif reply.drip_s:
                    self._drip(reply)
                else:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
            except OSError:
                self.close_connection = True  # the client gave up, as it should

        def _drip(self, reply: Reply) -> None:
            head = (
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(reply.body)}\r\nConnection: close\r\n\r\n"
            ).encode()
            if not reply.drip_status_line:
                self.wfile.write(head)
                self.wfile.flush()
                head = b""
            for i in range(len(head) + len(reply.body)):
                if node.stopping.wait(reply.drip_s):
                    break
                byte = (head + reply.body)[i : i + 1]
                self.wfile.write(byte)
                self.wfile.flush()
            self.close_connection = True

        def _flood(self, reply: Reply) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if reply.declare_length:
                self.send_header("Content-Length", str(reply.huge_bytes))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            chunk = b'{"jsonrpc":"2.0","id":1,"result":"' + b"f" * (64 * 1024)
            node.sent_bytes = 0
            while node.sent_bytes < reply.huge_bytes and not node.stopping.is_set():
                self.wfile.write(chunk)
                node.sent_bytes += len(chunk)
            self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def hostile_node(upstream: str = "") -> Iterator[HostileNode]:
    node = HostileNode(upstream=upstream)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(node))
    server.daemon_threads = True
    node.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield node
    finally:
        node.stopping.set()
        server.shutdown()
        server.server_close()
