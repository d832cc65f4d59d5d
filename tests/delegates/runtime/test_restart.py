"""Lock pauses, unlock resumes: a runtime stopped and started again, any number of times, runs
its delegates by hand, on events and on schedules (APScheduler's own background scheduler)."""

from __future__ import annotations

from app.events import block_did_arrive
from delegates.runtime.runner import Runner
from delegates.runtime.runtime import DelegateRuntime
from tests.delegates.runtime.helpers import make_registry


def test_a_runtime_survives_stop_and_start_cycles(db, bus, notifier) -> None:
    reg, state = make_registry()
    runner = Runner(reg, db, bus, notifier)
    runtime = DelegateRuntime(runner)  # the real BackgroundScheduler, as the app builds it
    runtime.start()
    try:
        for _ in range(3):
            runtime.stop()
            assert not runtime.running
            # Locked: a run asked for now is refused in words, not with a pool error.
            assert runner.run("ticker", force=True).outcome == "cancelled"
            runtime.start()
            assert runtime.running and runtime.schedules.scheduler.running
        assert runner.run("ticker", force=True).outcome == "ok"
        bus.publish(block_did_arrive(chain_id=1, number=77, base_fee_wei=10**9))
        assert [r.outcome for r in runtime.wait_idle()] == ["ok"]
        assert 77 in state["blocks"]
        assert any(j.startswith("delegate:ticker:") for j in runtime.schedules.next_runs())
    finally:
        runtime.stop()


def test_starting_twice_subscribes_once(db, bus, notifier) -> None:
    reg, state = make_registry()
    runtime = DelegateRuntime(Runner(reg, db, bus, notifier))
    runtime.start()
    runtime.start()
    try:
        bus.publish(block_did_arrive(chain_id=1, number=5, base_fee_wei=1))
        runtime.wait_idle()
        assert state["blocks"].count(5) == 1
    finally:
        runtime.stop()
