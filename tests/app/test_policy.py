"""The spend policy, enforced in the core before any proposal is stored (real encrypted DB)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.errors import PolicyViolation
from app.policy import (
    AssetLimit,
    ProposedAction,
    SpendPolicy,
    check,
    load_policy,
    save_policy,
    submit_proposal,
)
from app.store import open_throwaway
from app.store.schema import Proposal

FRIEND = "0x" + "ab" * 20
TOKEN = "0x" + "cd" * 20
POLICY = SpendPolicy(
    {"native": AssetLimit(per_transaction=100, daily=150, confirm_above=10)},
    frozenset({FRIEND}),
)


def send(value: int, to: str = FRIEND, asset: str = "native") -> ProposedAction:
    return ProposedAction("transfer", {"to": to}, asset=asset, value=value, recipient=to)


def test_check_limits_recipients_and_threshold() -> None:
    assert check(POLICY, send(10), 0).needs_confirmation is False
    assert check(POLICY, send(11), 0).needs_confirmation is True
    with pytest.raises(PolicyViolation, match="per-transaction"):
        check(POLICY, send(101), 0)
    with pytest.raises(PolicyViolation, match="daily limit"):
        check(POLICY, send(60), 100)
    with pytest.raises(PolicyViolation, match="not an allowed recipient"):
        check(POLICY, send(5, to="0x" + "11" * 20), 0)
    with pytest.raises(PolicyViolation, match="No spend limit") as err:
        check(POLICY, send(5, asset=TOKEN), 0)
    assert "Set a per-transaction" in err.value.user_message()
    # A revoke moves nothing: allowed, and still confirmed by the user.
    revoke = ProposedAction("revoke", {"to": TOKEN})
    assert check(SpendPolicy(), revoke, 0).needs_confirmation is True


def test_policy_values_are_validated() -> None:
    with pytest.raises(ValueError, match="must not exceed daily"):
        AssetLimit(per_transaction=10, daily=5)
    with pytest.raises(ValueError, match="0 or more"):
        AssetLimit(per_transaction=-1, daily=5)


def test_submit_counts_today_and_refuses_before_storing(tmp_path) -> None:
    db = open_throwaway(tmp_path)
    save_policy(db, POLICY)
    assert load_policy(db) == POLICY
    day = datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert submit_proposal(db, "d", send(90), now=lambda: day)
    assert submit_proposal(db, "d", send(50), now=lambda: day + timedelta(hours=1))
    with pytest.raises(PolicyViolation, match="daily limit"):
        submit_proposal(db, "d", send(20), now=lambda: day + timedelta(hours=2))
    # The next day starts afresh.
    assert submit_proposal(db, "d", send(20), now=lambda: day + timedelta(days=1))
    with db.session() as s:
        rows = s.scalars(select(Proposal).order_by(Proposal.id)).all()
    assert [(r.status, r.payload["policy"]["value"]) for r in rows] == [
        ("pending", "90"),
        ("pending", "50"),
        ("pending", "20"),
    ]
    db.close()
