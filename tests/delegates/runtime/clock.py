"""A controllable clock for APScheduler 3.x: its scheduler and executor read ``datetime.now``
from their module globals, so a test swaps that name for one that reads a manual clock. Jobs
then run in the calling thread (``DebugExecutor``) when the test calls ``tick()``: no sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.base import BaseScheduler


class ManualClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def clocked_datetime(clock: ManualClock) -> Any:
    class ClockedDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return clock.now.astimezone(tz) if tz else clock.now.replace(tzinfo=None)

        @classmethod
        def fromtimestamp(cls, t: float, tz: Any = None) -> datetime:  # type: ignore[override]
            return datetime.fromtimestamp(t, tz)  # a plain datetime: job state is pickled

    return ClockedDatetime


class ManualScheduler(BaseScheduler):
    """APScheduler's own job processing, driven by ``tick()`` instead of a timer thread."""

    def __init__(self) -> None:
        super().__init__(timezone="UTC", executors={"default": DebugExecutor()})

    def wakeup(self) -> None:  # no timer: the test decides when time has passed
        pass

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def tick(self) -> None:
        self._process_jobs()
