"""The interface every model offers, local or remote: submit a chat, get a ``Reply`` back.

A ``Reply`` is a request in flight. The GUI thread never waits on it: it passes ``on_token``
(called on the model's worker thread, so a Qt caller re-emits it as a signal) and adds a
done-callback to ``reply.future``. A worker thread or the CLI may iterate over the tokens or
call ``result()``.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

from app.errors import ModelError
from models.settings import GenerationOptions

log = logging.getLogger(__name__)

Message = dict[str, Any]  # {"role": "system" | "user" | "assistant", "content": str}
TokenCallback = Callable[[str], None]


@dataclass(frozen=True)
class ChatResult:
    text: str
    data: Any = None  # the validated object when the request carried a JSON schema
    finish_reason: str = "stop"  # "stop" | "length"
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model: str = ""

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


class Cancelled(ModelError):
    hint = "Nothing was changed."


_END = object()


class Reply:
    """One request: a stream of text pieces, a final ``ChatResult``, and ``cancel()``."""

    def __init__(self, on_token: TokenCallback | None = None) -> None:
        self.future: Future[ChatResult] = Future()
        self._pieces: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._cancel = threading.Event()
        self._on_token = on_token
        self.first_token_at: float | None = None
        self.last_token_at: float | None = None
        self.token_count = 0

    # -- the caller's side -------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop as soon as the worker sees it (between two tokens); the result is ``Cancelled``."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def result(self, timeout: float | None = None) -> ChatResult:
        return self.future.result(timeout)

    def __iter__(self) -> Iterator[str]:
        """Text pieces as they come; raises the request's error, if any, at the end."""
        while True:
            piece = self._pieces.get()
            if piece is _END:
                break
            yield piece
        self.future.result()

    # -- the worker's side -------------------------------------------------------------------
    def emit(self, piece: str) -> None:
        now = time.perf_counter()
        if self.first_token_at is None:
            self.first_token_at = now
        self.last_token_at = now
        self.token_count += 1
        self._pieces.put(piece)
        if self._on_token is not None:
            try:
                self._on_token(piece)
            except Exception:  # a caller's bug must not kill the model's thread
                log.exception("on_token callback failed")

    def finish(self, result: ChatResult) -> None:
        if not self.future.done():
            self.future.set_result(result)
        self._pieces.put(_END)

    def fail(self, exc: BaseException) -> None:
        if not self.future.done():
            self.future.set_exception(exc)
        self._pieces.put(_END)


class ChatModel(Protocol):
    """What delegates, the CLI and the app use; ``LocalModel`` and ``RemoteModel`` both fit."""

    name: str

    def submit(
        self,
        messages: Sequence[Message],
        options: GenerationOptions | None = None,
        *,
        on_token: TokenCallback | None = None,
    ) -> Reply: ...


def complete(
    model: ChatModel, messages: Sequence[Message], options: GenerationOptions | None = None
) -> ChatResult:
    """Blocking convenience for worker threads and the CLI (never the GUI thread)."""
    opts = options or GenerationOptions()
    reply = model.submit(messages, opts)
    return reply.result()  # the worker enforces the request's time limit
