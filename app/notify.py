"""The notifications port, with rate limiting and batching in front of any backend.

Backends (Qt's tray in ``ui/``, ``desktop-notifier`` over D-Bus in ``delegates/``) implement
``NotificationBackend``. ``Notifier`` holds notifications of a batchable kind for a short window
so that several incoming transfers become one notification, and never shows more than
``max_per_minute``: the rest wait and are merged into the next one shown.

Time comes from an injected clock; ``pump()`` shows what is due. ``start()`` runs a small thread
that pumps every ``tick`` seconds (the daemon); tests call ``pump()`` with a manual clock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notification:
    title: str
    body: str
    kind: str = "info"  # e.g. "transfer", "alert", "gas", "delegate"
    urgent: bool = False


class NotificationBackend(Protocol):
    def show(self, notification: Notification) -> None: ...


class RecordingBackend:
    """Keeps what would have been shown (tests, and the headless log of the daemon)."""

    def __init__(self) -> None:
        self.shown: list[Notification] = []

    def show(self, notification: Notification) -> None:
        self.shown.append(notification)


class LogBackend:
    """Writes notifications to the log: the daemon's fallback when no D-Bus service answers."""

    def show(self, notification: Notification) -> None:
        log.info("notification: %s: %s", notification.title, notification.body)


@dataclass
class _Batch:
    opened_at: float
    items: list[Notification] = field(default_factory=list)


class Notifier:
    """Batches and rate-limits notifications before they reach ``backend``."""

    def __init__(
        self,
        backend: NotificationBackend,
        *,
        clock: Callable[[], float] = time.monotonic,
        batch_window: float = 10.0,
        batch_kinds: frozenset[str] = frozenset({"transfer"}),
        max_per_minute: int = 6,
    ) -> None:
        if batch_window < 0 or max_per_minute < 1:
            raise ValueError("batch_window must be >= 0 and max_per_minute >= 1")
        self._backend = backend
        self._clock = clock
        self._window = batch_window
        self._batch_kinds = batch_kinds
        self._max = max_per_minute
        self._batches: dict[str, _Batch] = {}
        self._waiting: deque[Notification] = deque()
        self._shown_at: deque[float] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def notify(self, notification: Notification) -> None:
        with self._lock:
            if notification.kind in self._batch_kinds and not notification.urgent:
                batch = self._batches.get(notification.kind)
                if batch is None:
                    batch = self._batches[notification.kind] = _Batch(self._clock())
                batch.items.append(notification)
            else:
                self._waiting.append(notification)
        self.pump()

    def pump(self) -> int:
        """Show what is due now; return how many notifications reached the backend."""
        with self._lock:
            now = self._clock()
            for kind, batch in list(self._batches.items()):
                if now - batch.opened_at >= self._window:
                    del self._batches[kind]
                    self._waiting.append(_merge(batch.items))
            while self._shown_at and now - self._shown_at[0] >= 60.0:
                self._shown_at.popleft()
            due: list[Notification] = []
            while self._waiting and len(self._shown_at) + len(due) < self._max:
                due.append(self._waiting.popleft())
            if self._waiting and due:
                # Over the rate: the last one shown carries the rest, so nothing is lost.
                due[-1] = _merge([due[-1], *self._waiting])
                self._waiting.clear()
            self._shown_at.extend(now for _ in due)
        for n in due:
            try:
                self._backend.show(n)
            except Exception:
                log.exception("notification backend failed; the notification is logged instead")
                LogBackend().show(n)
        return len(due)

    def flush(self) -> int:
        """Close every open batch now (shutdown) and show what the rate allows."""
        with self._lock:
            for batch in self._batches.values():
                self._waiting.append(_merge(batch.items))
            self._batches.clear()
        return self.pump()

    def start(self, tick: float = 1.0) -> None:
        def loop() -> None:
            while not self._stop.wait(tick):
                self.pump()

        self._thread = threading.Thread(target=loop, name="notifier", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.flush()


def _merge(items: list[Notification]) -> Notification:
    if len(items) == 1:
        return items[0]
    kinds = {n.kind for n in items}
    kind = kinds.pop() if len(kinds) == 1 else "summary"
    title = f"{len(items)} incoming transfers" if kind == "transfer" else f"{len(items)} updates"
    lines = [f"{n.title}: {n.body}" if n.body else n.title for n in items]
    shown = lines[:5] + ([f"and {len(lines) - 5} more"] if len(lines) > 5 else [])
    return Notification(title, "\n".join(shown), kind, any(n.urgent for n in items))
