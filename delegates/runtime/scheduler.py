"""Interval and cron triggers through APScheduler 3.x, with jobs kept in the encrypted store.

Jobs live in ``SQLAlchemyJobStore`` on the store's own engine, so they survive a restart and
their next fire time is kept. A laptop that slept through several fire times runs the job once
(``coalesce``) if it wakes within ``misfire_grace_time``; later than that the run is skipped
and the next one is scheduled.

A stored job names only the module-level ``fire`` and the delegate's name (APScheduler pickles
the job's callable by reference), and ``fire`` finds the runner of this process.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from delegates.runtime.base import Cron, Every
from delegates.runtime.runner import Runner

log = logging.getLogger(__name__)

JOB_TABLE = "delegate_jobs"
MISFIRE_GRACE_S = 6 * 3600  # a job missed during a night's sleep still runs once on wake-up

_active: Runner | None = None
_active_lock = threading.Lock()


def fire(name: str, label: str) -> None:
    """The job function stored in the job store (by reference): run ``name`` on this runner."""
    with _active_lock:
        runner = _active
    if runner is None:
        log.warning("schedule for %s fired with no runtime running; skipped", name)
        return
    runner.run(name, trigger=label)


def to_apscheduler(trigger: Every | Cron) -> Any:
    if isinstance(trigger, Every):
        return IntervalTrigger(
            weeks=trigger.weeks,
            days=trigger.days,
            hours=trigger.hours,
            minutes=trigger.minutes,
            seconds=trigger.seconds,
            timezone="UTC",
        )
    return CronTrigger.from_crontab(trigger.expression, timezone=trigger.timezone)


def job_id(name: str, index: int) -> str:
    return f"delegate:{name}:{index}"


class DelegateScheduler:
    """Keeps one APScheduler job per schedule of each enabled delegate."""

    def __init__(self, runner: Runner, engine: Any, scheduler: BaseScheduler | None = None) -> None:
        self.runner = runner
        self._engine = engine
        self._given = scheduler is not None
        self.scheduler = scheduler or self._new_scheduler()
        self.scheduler.add_jobstore(SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE), "store")
        self._was_shut_down = False

    @staticmethod
    def _new_scheduler() -> BaseScheduler:
        # One job thread: jobs only hand over to the runner, and few threads touch the store.
        return BackgroundScheduler(timezone="UTC", executors={"default": ThreadPoolExecutor(1)})

    def start(self) -> None:
        """Start (again, after a ``shutdown``: APScheduler's executors cannot restart, so a
        scheduler of our own is built anew; the jobs and their fire times are in the store)."""
        global _active
        if self._was_shut_down and not self._given:
            self.scheduler = self._new_scheduler()
            self.scheduler.add_jobstore(
                SQLAlchemyJobStore(engine=self._engine, tablename=JOB_TABLE), "store"
            )
        self._was_shut_down = False
        with _active_lock:
            _active = self.runner
        self.scheduler.start()
        self.sync()

    def shutdown(self) -> None:
        global _active
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            self._was_shut_down = True
        with _active_lock:
            if _active is self.runner:
                _active = None

    def sync(self) -> None:
        """Add missing jobs, keep unchanged ones (and their stored next fire time), drop stale."""
        wanted: dict[str, tuple[str, Every | Cron]] = {}
        for cls in self.runner.registry:
            enabled, _ = self.runner.setting_row(cls.name)
            if not enabled:
                continue
            timed = [t for t in cls.triggers if isinstance(t, Every | Cron)]
            for i, trig in enumerate(timed):
                wanted[job_id(cls.name, i)] = (cls.name, trig)
        for job in self.scheduler.get_jobs(jobstore="store"):
            if job.id not in wanted:
                self.scheduler.remove_job(job.id, jobstore="store")
        for jid, (name, trig) in wanted.items():
            ap_trigger = to_apscheduler(trig)
            existing = self.scheduler.get_job(jid, jobstore="store")
            if existing is not None and str(existing.trigger) == str(ap_trigger):
                continue
            if existing is not None:
                self.scheduler.remove_job(jid, jobstore="store")
            self.scheduler.add_job(
                fire,
                ap_trigger,
                args=(name, trig.label()),
                id=jid,
                name=f"{name} ({trig.label()})",
                jobstore="store",
                misfire_grace_time=MISFIRE_GRACE_S,
                coalesce=True,
                max_instances=1,
                replace_existing=True,
            )

    def next_runs(self) -> dict[str, Any]:
        return {j.id: j.next_run_time for j in self.scheduler.get_jobs(jobstore="store")}

    def remove_delegate(self, name: str) -> None:
        for job in self.scheduler.get_jobs(jobstore="store"):
            if job.id.startswith(f"delegate:{name}:"):
                try:
                    self.scheduler.remove_job(job.id, jobstore="store")
                except JobLookupError:
                    pass
