"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions shape.

It records every request body and answers with ``answer(payload)``; by default it echoes the
last user message, so an answer carries back whatever placeholders were sent. Streams (SSE) when
the request asks for it. Standard library only.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = Callable[[dict[str, Any]], str]


def echo_last_user(payload: dict[str, Any]) -> str:
    users = [m["content"] for m in payload["messages"] if m["role"] == "user"]
    return f"You said: {users[-1]}" if users else ""


class OpenAIStub:
    def __init__(self, answer: Answer = echo_last_user, *, status: int = 200) -> None:
        self.answer = answer
        self.status = status
        self.payloads: list[dict[str, Any]] = []
        self.raw_bodies: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stub.raw_bodies.append(body)
                stub.headers.append(dict(self.headers))
                payload = json.loads(body)
                stub.payloads.append(payload)
                if not self.path.endswith("/chat/completions") or stub.status != 200:
                    self.send_error(stub.status if stub.status != 200 else 404)
                    return
                text = stub.answer(payload)
                if payload.get("stream"):
                    self._stream(text)
                else:
                    self._whole(text)

            def _whole(self, text: str) -> None:
                out = {
                    "id": "stub",
                    "object": "chat.completion",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": len(text.split())},
                }
                blob = json.dumps(out).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(blob)))
                self.end_headers()
                self.wfile.write(blob)

            def _stream(self, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                # Small uneven pieces, so placeholders arrive split across events.
                pieces = [text[i : i + 3] for i in range(0, len(text), 3)]
                for i, piece in enumerate(pieces):
                    last = i == len(pieces) - 1
                    event = {
                        "object": "chat.completion.chunk",
                        "choices": [
                            {
                                "index": 0,
                                "delta": {"content": piece},
                                "finish_reason": "stop" if last else None,
                            }
                        ],
                    }
                    self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> OpenAIStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
