"""Background work as small operations, after Anki's ``aqt.operations``.

``Op(fn).success(cb).failure(cb).run()`` runs ``fn`` on a worker and calls ``cb`` back on the
GUI thread. Store and wallet work goes to one serial executor (SQLite and nonces want one writer
at a time); network work goes to a small pool. The GUI thread never waits on either.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, Literal, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
Lane = Literal["store", "network"]


class _Dispatcher(QObject):
    """Lives on the GUI thread; a signal emitted from a worker is queued onto it."""

    deliver = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:
            # A callback that fails is a bug: hand it to the crash handler via excepthook.
            import sys

            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]


class TaskManager:
    """The two executors and the bridge back to the GUI thread. One per application."""

    def __init__(self, pool_size: int = 4) -> None:
        self._store = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warden-store")
        self._network = ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="warden-net")
        self._dispatcher = _Dispatcher()
        app = QCoreApplication.instance()
        if app is not None:
            self._dispatcher.moveToThread(app.thread())
        self._pending = 0
        self._lock = threading.Lock()
        self.busy_changed: list[Callable[[bool], None]] = []

    def on_main(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the GUI thread soon (safe to call from any thread)."""
        if shiboken6.isValid(self._dispatcher):
            self._dispatcher.deliver.emit(fn)

    def submit(self, lane: Lane, fn: Callable[[], T]) -> Future[T]:
        ex = self._store if lane == "store" else self._network
        self._track(+1)
        fut = ex.submit(fn)
        fut.add_done_callback(lambda _f: self.on_main(lambda: self._track(-1)))
        return fut

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def _track(self, delta: int) -> None:
        with self._lock:
            was = self._pending > 0
            self._pending += delta
            now = self._pending > 0
        if was != now:
            for cb in list(self.busy_changed):
                if _alive(cb):
                    cb(now)

    def shutdown(self) -> None:
        self._store.shutdown(wait=False, cancel_futures=True)
        self._network.shutdown(wait=False, cancel_futures=True)


_manager: TaskManager | None = None


def tasks() -> TaskManager:
    """The application's task manager (created on first use, on the GUI thread)."""
    global _manager
    if _manager is None:
        _manager = TaskManager()
    return _manager


_retired: list[TaskManager] = []


def reset_tasks() -> None:
    """A fresh manager (tests). The old one is kept alive: its workers may still finish and
    post results, which must find a live dispatcher rather than freed memory."""
    global _manager
    if _manager is not None:
        _manager.shutdown()
        _retired.append(_manager)
    _manager = None


def _alive(callback: Callable[..., Any]) -> bool:
    """False when the callback belongs to a widget that is gone (a screen destroyed by the
    lock while its work was running): the result is dropped, not drawn into a dead widget."""
    owners = [getattr(callback, "__self__", None)]
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            owners.append(cell.cell_contents)
        except ValueError:  # an empty cell
            continue
    return all(shiboken6.isValid(o) for o in owners if isinstance(o, QObject))


class Op(Generic[T]):
    """One piece of background work with callbacks on the GUI thread."""

    def __init__(self, fn: Callable[[], T], *, lane: Lane = "store") -> None:
        self._fn = fn
        self._lane: Lane = lane
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[BaseException], Any] | None = None
        self._finally: Callable[[], Any] | None = None

    def success(self, cb: Callable[[T], Any]) -> Op[T]:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], Any]) -> Op[T]:
        self._failure = cb
        return self

    def finally_(self, cb: Callable[[], Any]) -> Op[T]:
        self._finally = cb
        return self

    def run(self) -> Future[T]:
        manager = tasks()

        def work() -> T:
            try:
                result = self._fn()
            except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
                error: BaseException = exc
                manager.on_main(lambda: self._deliver_error(error))
                raise
            manager.on_main(lambda: self._deliver(result))
            return result

        return manager.submit(self._lane, work)

    def _deliver(self, result: T) -> None:
        try:
            if self._success is not None and _alive(self._success):
                self._success(result)
        finally:
            if self._finally is not None and _alive(self._finally):
                self._finally()

    def _deliver_error(self, exc: BaseException) -> None:
        try:
            if self._failure is not None:
                if _alive(self._failure):
                    self._failure(exc)
            else:
                from ui.dialogs import show_error

                show_error(None, exc)
        finally:
            if self._finally is not None and _alive(self._finally):
                self._finally()


def run_steps(
    steps: list[tuple[Lane, Callable[[Any], Any]]],
    *,
    success: Callable[[Any], Any],
    failure: Callable[[BaseException], Any],
) -> None:
    """Run ``steps`` one after another, each on its own lane, each given the previous one's
    result; ``success`` gets the last result, ``failure`` the first error (later steps are
    skipped). Callbacks run on the GUI thread, like ``Op``'s."""

    def run_from(i: int, value: Any) -> None:
        if i == len(steps):
            success(value)
            return
        lane, fn = steps[i]
        Op(lambda: fn(value), lane=lane).success(lambda r: run_from(i + 1, r)).failure(
            failure
        ).run()

    run_from(0, None)
