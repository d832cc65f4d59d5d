"""Schedules fire on a controllable clock (see clock.py): APScheduler's own job processing and
its misfire check read the manual clock; jobs run in the test's thread. No sleeps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.events import EventBus
from app.notify import Notifier, RecordingBackend
from app.store.db import Database
from app.store.schema import Base
from delegates.runtime.runner import Runner
from delegates.runtime.runtime import DelegateRuntime
from delegates.runtime.scheduler import MISFIRE_GRACE_S, job_id
from tests.delegates.runtime.clock import ManualClock, ManualScheduler, clocked_datetime
from tests.delegates.runtime.helpers import make_registry

JOB = job_id("ticker", 0)


@pytest.fixture
def clock(monkeypatch) -> ManualClock:
    c = ManualClock()
    fake = clocked_datetime(c)
    monkeypatch.setattr("apscheduler.schedulers.base.datetime", fake)
    monkeypatch.setattr("apscheduler.executors.base.datetime", fake)
    monkeypatch.setattr("apscheduler.triggers.interval.datetime", fake)
    return c


def open_db(path: Path, key: bytes) -> Database:
    db = Database(path / "warden.db", key)
    Base.metadata.create_all(db.engine)
    return db


def start_runtime(db: Database):
    reg, state = make_registry()
    runner = Runner(reg, db, EventBus(), Notifier(RecordingBackend(), batch_window=0))
    scheduler = ManualScheduler()
    runtime = DelegateRuntime(runner, scheduler=scheduler)
    runtime.start()
    return runtime, scheduler, state


def test_interval_fires_when_due_and_coalesces_after_sleep(tmp_path, clock) -> None:
    db = open_db(tmp_path, os.urandom(32))
    runtime, scheduler, state = start_runtime(db)
    try:
        clock.advance(hours=5, minutes=59)
        scheduler.tick()
        assert state["ticks"] == 0
        clock.advance(minutes=1)
        scheduler.tick()
        assert state["ticks"] == 1
        # The machine slept through four fire times: on wake-up the job runs once.
        clock.advance(hours=24)
        scheduler.tick()
        assert state["ticks"] == 2
        # Asleep longer than the grace time: still one run (the latest missed fire time is
        # less than one interval old, within the grace), then the next one is scheduled.
        clock.advance(seconds=MISFIRE_GRACE_S * 3)
        scheduler.tick()
        assert state["ticks"] == 3
        assert clock.now < runtime.schedules.next_runs()[JOB]
    finally:
        runtime.stop()
        db.close()


def test_job_store_survives_a_restart(tmp_path, clock) -> None:
    key = os.urandom(32)
    db = open_db(tmp_path, key)
    runtime, scheduler, state = start_runtime(db)
    clock.advance(hours=2)
    scheduler.tick()
    planned = runtime.schedules.next_runs()[JOB]
    runtime.stop()
    db.close()

    clock.advance(hours=1)  # restarted an hour later: the stored fire time is kept, not reset
    db2 = open_db(tmp_path, key)
    runtime2, scheduler2, state2 = start_runtime(db2)
    try:
        assert runtime2.schedules.next_runs()[JOB] == planned
        clock.advance(hours=3)
        scheduler2.tick()
        assert state2["ticks"] == 1
    finally:
        runtime2.stop()
        db2.close()


def test_disabling_removes_the_schedule(tmp_path, clock) -> None:
    db = open_db(tmp_path, os.urandom(32))
    runtime, scheduler, state = start_runtime(db)
    try:
        runtime.set_enabled("ticker", False)
        assert JOB not in runtime.schedules.next_runs()
        clock.advance(days=2)
        scheduler.tick()
        assert state["ticks"] == 0
        runtime.set_enabled("ticker", True)
        assert JOB in runtime.schedules.next_runs()
    finally:
        runtime.stop()
        db.close()
