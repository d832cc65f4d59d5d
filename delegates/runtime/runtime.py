"""The delegate runtime: a runner, the schedules and the event subscriptions, started together.

``warden daemon`` and the desktop app build one of these over the same store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from apscheduler.schedulers.base import BaseScheduler

from delegates.runtime.base import On
from delegates.runtime.runner import Runner, RunResult
from delegates.runtime.scheduler import DelegateScheduler

log = logging.getLogger(__name__)


class DelegateRuntime:
    def __init__(self, runner: Runner, *, scheduler: BaseScheduler | None = None) -> None:
        self.runner = runner
        self.schedules = DelegateScheduler(runner, runner.db.engine, scheduler)
        self._unsubscribe: list[Callable[[], None]] = []
        self.pending: list[Future[RunResult | None]] = []

    def start(self) -> None:
        """Start the schedules and subscriptions; after ``stop`` this starts them again (the
        app locked and unlocked), any number of times."""
        if self.running:
            return
        self.runner.reopen()
        self.schedules.start()
        for cls in self.runner.registry:
            for trig in cls.triggers:
                if isinstance(trig, On):
                    self._unsubscribe.append(
                        self.runner.bus.subscribe(trig.event, self._handler(cls.name, trig))
                    )

    def _handler(self, name: str, trig: On) -> Callable[[Any], None]:
        def handle(event: Any) -> None:
            if trig.when is not None and not trig.when(event):
                return
            enabled, _ = self.runner.setting_row(name)
            if not enabled:
                return
            future = self.runner.submit(name, trigger=trig.label(), event=event)
            self.pending = [f for f in self.pending if not f.done()] + [future]

        return handle

    def wait_idle(self, timeout: float = 30.0) -> list[RunResult]:
        """Wait for the event-triggered runs started so far (tests, an orderly shutdown)."""
        results = [f.result(timeout=timeout) for f in list(self.pending)]
        self.pending = []
        return [r for r in results if r is not None]

    def set_enabled(self, name: str, enabled: bool) -> None:
        self.runner.set_enabled(name, enabled)
        if self.schedules.scheduler.running:
            self.schedules.sync()

    @property
    def running(self) -> bool:
        return bool(self._unsubscribe) or bool(self.schedules.scheduler.running)

    def stop(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self.schedules.shutdown()
        self.runner.shutdown(wait=False)
