from __future__ import annotations

import ast
from dataclasses import fields
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import DelegateError
from app.events import delegate_did_run
from app.policy import AssetLimit, SpendPolicy, save_policy
from app.store.schema import DelegateRun, Proposal
from delegates.runtime.base import Delegate, DelegateContext
from delegates.runtime.registry import Registry
from delegates.runtime.runner import Runner
from tests.delegates.runtime.helpers import make_registry

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def setup(db, bus, notifier):
    reg, state = make_registry()
    runner = Runner(reg, db, bus, notifier)
    yield runner, state
    state["release"].set()
    runner.shutdown()


def test_duplicate_name_is_refused_with_what_to_fix() -> None:
    reg, _ = make_registry()

    class Again(Delegate):
        name = "ticker"
        description = "a second ticker"

        def run(self, ctx, settings, event):
            return {}

    with pytest.raises(ValueError, match="already registered.*another name"):
        reg.register(Again)
    with pytest.raises(ValueError, match="lowercase"):
        Registry().register(type("Bad", (Again,), {"name": "Bad Name"}))


def test_run_is_recorded_and_announced(setup, bus, db) -> None:
    runner, _ = setup
    seen: list[delegate_did_run] = []
    bus.subscribe(delegate_did_run, seen.append)
    result = runner.run("ticker")
    assert result.outcome == "ok" and result.output == {"summary": "tick 1", "ticks": 1}
    with db.session() as s:
        row = s.get(DelegateRun, result.run_id)
        assert row.outcome == "ok" and row.ended_at is not None and row.output["ticks"] == 1
    assert seen == [delegate_did_run("ticker", result.run_id, "ok", "tick 1")]


def test_settings_are_typed_with_defaults(setup) -> None:
    runner, state = setup
    runner.update_settings("ticker", {"step": "5"})
    assert runner.run("ticker").output["ticks"] == 5
    with pytest.raises(DelegateError, match="step must be a int"):
        runner.update_settings("ticker", {"step": "many"})
    with pytest.raises(DelegateError, match="Unknown setting"):
        runner.update_settings("ticker", {"colour": "red"})


def test_a_failing_delegate_is_isolated(setup, db) -> None:
    runner, _ = setup
    bad = runner.run("broken")
    assert bad.outcome == "error" and "boom" in bad.error
    assert runner.run("ticker").outcome == "ok"
    with db.session() as s:
        outcomes = [r.outcome for r in s.scalars(select(DelegateRun).order_by(DelegateRun.id))]
    assert outcomes == ["error", "ok"]


def test_timeout_and_runs_never_overlap(setup) -> None:
    runner, state = setup
    first = runner.run("slow", timeout_s=0.05)
    assert first.outcome == "timeout"
    # The first run's thread is still going: a second trigger must not start another.
    assert runner.run("slow").outcome == "skipped"
    state["release"].set()
    lock = runner._busy["slow"]
    assert lock.acquire(timeout=10)
    lock.release()
    assert runner.run("slow").outcome == "ok"


def test_a_run_can_be_cancelled(setup) -> None:
    runner, state = setup
    future = runner.submit("patient", trigger="test")
    assert state["started"].wait(10)
    assert runner.cancel("patient")
    assert future.result(10).outcome == "cancelled"


def test_disabled_delegate_does_not_run(setup) -> None:
    runner, state = setup
    runner.set_enabled("ticker", False)
    assert runner.run("ticker").outcome == "disabled" and state["ticks"] == 0
    assert runner.run("ticker", force=True).outcome == "ok"


def test_read_only_delegate_cannot_propose(setup, db) -> None:
    runner, _ = setup
    result = runner.run("reader")
    assert result.outcome == "error" and "read-only" in result.error
    with db.session() as s:
        assert s.scalars(select(Proposal)).all() == []


def test_proposals_over_the_policy_are_refused(setup, db) -> None:
    runner, _ = setup
    friend = "0x" + "ab" * 20
    save_policy(
        db, SpendPolicy({"native": AssetLimit(100, 150, confirm_above=10)}, frozenset({friend}))
    )
    assert runner.run("payer", event=(500, friend)).outcome == "error"  # over per-tx
    assert runner.run("payer", event=(50, "0x" + "cd" * 20)).outcome == "error"  # recipient
    ok = runner.run("payer", event=(90, friend))
    small = runner.run("payer", event=(5, friend))
    over_day = runner.run("payer", event=(60, friend))  # 90 + 5 + 60 > 150
    assert (ok.outcome, small.outcome, over_day.outcome) == ("ok", "ok", "error")
    assert "daily limit" in over_day.error
    with db.session() as s:
        statuses = [p.status for p in s.scalars(select(Proposal).order_by(Proposal.id))]
    assert statuses == ["pending", "preapproved"]


def test_no_delegate_can_reach_signing() -> None:
    """The context carries no key or signer, and delegate code never imports a signing path."""
    names = {f.name for f in fields(DelegateContext)}
    assert not {n for n in names if any(w in n for w in ("sign", "key", "secret", "wallet"))}
    forbidden = ("eth_account", "app.secrets", "app.wallet.signer", "app.wallet.signing")
    offenders = []
    for package in ("runtime", "market", "routine"):
        for path in (ROOT / "delegates" / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                mods = []
                if isinstance(node, ast.Import):
                    mods = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    mods = [node.module]
                offenders += [f"{path.name}: {m}" for m in mods if m.startswith(forbidden)]
    assert offenders == []
