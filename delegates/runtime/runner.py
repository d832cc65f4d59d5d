"""One run of one delegate: timeout, cancellation, a record in the store, an event.

Each run happens on a worker thread so that a hung delegate cannot hold the caller. A delegate
that raises is logged and recorded as ``error``; nothing propagates. Runs of one delegate never
overlap: a trigger that arrives while a run is still going (even one past its timeout, which
Python cannot kill) is recorded as ``skipped``.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app.errors import WardenError
from app.events import EventBus, delegate_did_run
from app.notify import Notifier
from app.store.schema import DelegateRun, DelegateSetting
from delegates.runtime.base import Delegate, DelegateContext, RunCancelled, parse_settings
from delegates.runtime.registry import Registry

log = logging.getLogger(__name__)

OUTCOMES = ("ok", "error", "timeout", "cancelled", "skipped", "disabled")


@dataclass(frozen=True)
class RunResult:
    run_id: int
    delegate: str
    outcome: str
    output: dict[str, Any] | None
    error: str | None


class Runner:
    def __init__(
        self,
        registry: Registry,
        db: Any,
        bus: EventBus,
        notifier: Notifier,
        *,
        chain: Any = None,
        services: Mapping[str, Any] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_workers: int = 2,
    ) -> None:
        self.registry = registry
        self.db = db
        self.bus = bus
        self.notifier = notifier
        self.chain = chain
        self.services = dict(services or {})
        self.clock = clock
        self._max_workers = max_workers
        self._busy: dict[str, threading.Lock] = {}
        self._busy_guard = threading.Lock()
        self._cancels: dict[str, threading.Event] = {}
        self._instances: dict[str, Delegate] = {}
        self._pools_guard = threading.Lock()
        self._open_pools()

    def _open_pools(self) -> None:
        self._pool = ThreadPoolExecutor(self._max_workers, thread_name_prefix="delegate")
        # One lane for event-triggered runs, handled in order. Few threads touch the store on
        # purpose: the SQLCipher engine's SingletonThreadPool keeps at most 5 per-thread
        # connections and closes others' connections beyond that.
        self._events = ThreadPoolExecutor(1, "delegate-events")
        self._shut = False

    def reopen(self) -> None:
        """After ``shutdown`` (the app locked), take runs again: new worker pools, no
        cancellations left over. Does nothing while open."""
        with self._pools_guard:
            if self._shut:
                self._cancels.clear()
                self._open_pools()

    @property
    def closed(self) -> bool:
        return self._shut

    # settings ------------------------------------------------------------------------------
    def setting_row(self, name: str) -> tuple[bool, dict[str, Any]]:
        cls = self.registry.get(name)
        with self.db.session() as s:
            row = s.get(DelegateSetting, name)
            if row is None:
                return cls.enabled_by_default, {}
            return bool(row.enabled), dict(row.settings or {})

    def set_enabled(self, name: str, enabled: bool) -> None:
        self.registry.get(name)
        with self.db.session() as s:
            row = s.get(DelegateSetting, name)
            if row is None:
                s.add(DelegateSetting(name=name, enabled=enabled, settings={}))
            else:
                row.enabled = enabled

    def update_settings(self, name: str, values: Mapping[str, Any]) -> None:
        cls = self.registry.get(name)
        enabled, current = self.setting_row(name)
        merged = {**current, **values}
        parse_settings(cls.settings_type, merged)  # refuse a bad value before storing it
        with self.db.session() as s:
            s.merge(DelegateSetting(name=name, enabled=enabled, settings=merged))

    # runs ----------------------------------------------------------------------------------
    def cancel(self, name: str) -> bool:
        event = self._cancels.get(name)
        if event is None:
            return False
        event.set()
        return True

    def run(
        self,
        name: str,
        *,
        trigger: str = "manual",
        event: object | None = None,
        force: bool = False,
        timeout_s: float | None = None,
        queue: bool = False,
    ) -> RunResult:
        """Run ``name`` now and wait for it (at most its timeout). Never raises for its failures."""
        cls = self.registry.get(name)
        enabled, stored = self.setting_row(name)
        if not enabled and not force:
            return self._record_only(name, trigger, "disabled", "the delegate is disabled")
        with self._busy_guard:
            lock = self._busy.setdefault(name, threading.Lock())
        limit = cls.timeout_s if timeout_s is None else timeout_s
        # Events queue behind a running run (each transfer matters); schedules skip.
        acquired = lock.acquire(timeout=limit) if queue else lock.acquire(blocking=False)
        if not acquired:
            return self._record_only(name, trigger, "skipped", "the previous run is still going")
        run_id = self._start_record(name, trigger)
        cancelled = threading.Event()
        self._cancels[name] = cancelled
        try:
            settings = parse_settings(cls.settings_type, stored)
        except WardenError as exc:
            lock.release()
            return self._finish(run_id, name, "error", None, exc.user_message())
        ctx = DelegateContext(
            name=name,
            db=self.db,
            bus=self.bus,
            notifier=self.notifier,
            capability=cls.capability,
            chain=self.chain,
            services=self.services,
            cancelled=cancelled,
            clock=self.clock,
            log=logging.getLogger(f"delegates.{name}"),
        )
        instance = self._instances.get(name) or self._instances.setdefault(name, cls())
        try:
            future: Future[dict[str, Any]] = self._pool.submit(instance.run, ctx, settings, event)
        except RuntimeError:  # shut down (locked) between the trigger and here
            lock.release()
            return self._finish(run_id, name, "cancelled", None, "Warden was locked")
        # The lock is released only when the thread really ends, even after a timeout.
        future.add_done_callback(lambda _f: lock.release())
        try:
            output = future.result(timeout=limit)
        except FutureTimeout:
            cancelled.set()
            return self._finish(run_id, name, "timeout", None, f"no answer within {limit:g} s")
        except RunCancelled:
            return self._finish(run_id, name, "cancelled", None, "cancelled")
        except WardenError as exc:
            log.warning("delegate %s failed: %s", name, exc)
            return self._finish(run_id, name, "error", None, exc.user_message())
        except Exception as exc:
            log.exception("delegate %s raised", name)
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            return self._finish(run_id, name, "error", None, detail)
        if cancelled.is_set():
            return self._finish(run_id, name, "cancelled", output, "cancelled")
        return self._finish(run_id, name, "ok", _jsonable(output), None)

    def submit(
        self, name: str, *, trigger: str, event: object | None = None
    ) -> Future[RunResult | None]:
        """Run in the background (event triggers): the publisher is never held up, and
        events are handled one after another, in the order they came."""
        return self._events.submit(self._safe_run, name, trigger, event)

    def _safe_run(self, name: str, trigger: str, event: object | None) -> RunResult | None:
        try:
            return self.run(name, trigger=trigger, event=event, queue=True)
        except Exception:  # e.g. the store is gone during shutdown
            log.exception("could not run delegate %s", name)
            return None

    def shutdown(self, wait: bool = True) -> None:
        """Cancel what runs and close the pools; ``reopen`` makes the runner usable again."""
        with self._pools_guard:
            self._shut = True
            for event in self._cancels.values():
                event.set()
            events, pool = self._events, self._pool
        events.shutdown(wait=False, cancel_futures=True)
        pool.shutdown(wait=wait, cancel_futures=True)

    # records -------------------------------------------------------------------------------
    def _start_record(self, name: str, trigger: str) -> int:
        with self.db.session() as s:
            row = DelegateRun(delegate=name, trigger=trigger[:64], started_at=self.clock())
            s.add(row)
            s.flush()
            return int(row.id)

    def _record_only(self, name: str, trigger: str, outcome: str, message: str) -> RunResult:
        run_id = self._start_record(name, trigger)
        return self._finish(run_id, name, outcome, None, message)

    def _finish(
        self,
        run_id: int,
        name: str,
        outcome: str,
        output: dict[str, Any] | None,
        error: str | None,
    ) -> RunResult:
        with self.db.session() as s:
            row = s.get(DelegateRun, run_id)
            if row is not None:
                row.ended_at = self.clock()
                row.outcome = outcome
                row.output = output
                row.error = error
        message = error or str((output or {}).get("summary", ""))
        self.bus.publish(delegate_did_run(name, run_id, outcome, message))
        return RunResult(run_id, name, outcome, output, error)

    def recent_runs(self, limit: int = 20, name: str | None = None) -> list[DelegateRun]:
        with self.db.session() as s:
            q = select(DelegateRun).order_by(DelegateRun.id.desc()).limit(limit)
            if name:
                q = q.where(DelegateRun.delegate == name)
            return list(s.scalars(q))


def _jsonable(value: Any) -> dict[str, Any]:
    import json

    if not isinstance(value, dict):
        value = {"result": value}
    return dict(json.loads(json.dumps(value, default=str)))
