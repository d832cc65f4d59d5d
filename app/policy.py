"""The local spend policy for what delegates propose, enforced here in the core.

A delegate never signs; it only files a proposal. Every proposal passes ``submit_proposal``,
which refuses one that breaks the policy (``PolicyViolation``) before anything is stored, and
marks one above the confirmation threshold so the UI always asks the user about it.

Amounts are integers of base units (wei for the native coin, token units otherwise), per asset:
``"native"`` or a token's checksummed address. An asset without a configured limit cannot be
moved by a proposal at all: unknown is not safe.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import select

from app.errors import PolicyViolation
from app.store.schema import Preference, Proposal

PREFERENCE_KEY = "spend_policy"
NATIVE = "native"
# Statuses of proposals that count against the daily limit (refused ones never reach the store).
_COUNTED = ("pending", "preapproved", "confirmed", "sent")


@dataclass(frozen=True)
class AssetLimit:
    per_transaction: int
    daily: int
    confirm_above: int = 0  # proposals moving more than this always need confirmation

    def __post_init__(self) -> None:
        for name in ("per_transaction", "daily", "confirm_above"):
            if int(getattr(self, name)) < 0:
                raise ValueError(f"{name} must be 0 or more, got {getattr(self, name)}")
        if self.per_transaction > self.daily:
            raise ValueError("per_transaction must not exceed daily; raise daily or lower it")


@dataclass(frozen=True)
class SpendPolicy:
    limits: Mapping[str, AssetLimit] = field(default_factory=dict)
    # Empty means no recipient is allowed for value-moving proposals.
    allowed_recipients: frozenset[str] = frozenset()

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> SpendPolicy:
        data = data or {}
        limits = {
            str(asset): AssetLimit(**{k: int(v) for k, v in spec.items()})
            for asset, spec in dict(data.get("limits", {})).items()
        }
        recipients = frozenset(str(a).lower() for a in data.get("allowed_recipients", ()))
        return cls(limits=limits, allowed_recipients=recipients)

    def to_json(self) -> dict[str, Any]:
        return {
            "limits": {
                a: {
                    "per_transaction": x.per_transaction,
                    "daily": x.daily,
                    "confirm_above": x.confirm_above,
                }
                for a, x in self.limits.items()
            },
            "allowed_recipients": sorted(self.allowed_recipients),
        }


@dataclass(frozen=True)
class ProposedAction:
    """What a delegate wants done. ``value`` is what leaves the wallet (0 for a revoke)."""

    kind: str
    payload: Mapping[str, Any]
    asset: str = NATIVE
    value: int = 0
    recipient: str | None = None


@dataclass(frozen=True)
class Decision:
    needs_confirmation: bool
    reason: str


def check(policy: SpendPolicy, action: ProposedAction, spent_today: int) -> Decision:
    """Raise ``PolicyViolation`` if ``action`` breaks ``policy``; else say whether to confirm."""
    if action.value < 0:
        raise PolicyViolation("A proposal cannot move a negative amount.")
    if action.value == 0:
        # Moves nothing (a revoke): allowed, and still confirmed by the user before signing.
        return Decision(True, "moves no value")
    limit = policy.limits.get(action.asset)
    if limit is None:
        raise PolicyViolation(
            f"No spend limit is set for {action.asset}; delegates may not move it.",
            hint="Set a per-transaction and daily limit for this asset in the spend policy.",
        )
    recipient = (action.recipient or "").lower()
    if not recipient or recipient not in policy.allowed_recipients:
        raise PolicyViolation(
            f"{action.recipient or 'an unknown recipient'} is not an allowed recipient.",
            hint="Add the address to the spend policy's allowed recipients if you trust it.",
        )
    if action.value > limit.per_transaction:
        raise PolicyViolation(
            f"The proposal moves {action.value} of {action.asset}, above the per-transaction "
            f"limit of {limit.per_transaction}.",
            hint="Raise the per-transaction limit or make the transfer yourself.",
        )
    if spent_today + action.value > limit.daily:
        raise PolicyViolation(
            f"The proposal would bring today's total of {action.asset} to "
            f"{spent_today + action.value}, above the daily limit of {limit.daily}.",
            hint="Wait until tomorrow, raise the daily limit, or make the transfer yourself.",
        )
    if action.value > limit.confirm_above:
        return Decision(True, f"above the confirmation threshold of {limit.confirm_above}")
    return Decision(False, "within the policy")


class Sessions(Protocol):
    def session(self) -> Any: ...


def load_policy(db: Sessions) -> SpendPolicy:
    with db.session() as s:
        pref = s.get(Preference, PREFERENCE_KEY)
        return SpendPolicy.from_json(pref.value if pref else None)


def save_policy(db: Sessions, policy: SpendPolicy) -> None:
    with db.session() as s:
        s.merge(Preference(key=PREFERENCE_KEY, value=policy.to_json()))


def _spent_since(s: Any, asset: str, since: datetime) -> int:
    rows = s.scalars(
        select(Proposal).where(Proposal.created_at >= since, Proposal.status.in_(_COUNTED))
    )
    total = 0
    for p in rows:
        meta = (p.payload or {}).get("policy", {})
        if meta.get("asset") == asset:
            total += int(meta.get("value", 0))
    return total


def submit_proposal(
    db: Sessions,
    delegate: str,
    action: ProposedAction,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> int:
    """Check ``action`` against the stored policy and file it as a Proposal; return its id.

    Proposals are stored ``pending`` (the user must confirm) or ``preapproved`` (within the
    policy and below the threshold: the UI may offer a one-tap confirmation). Neither status
    signs anything: only the user's confirmation in the UI reaches the signing step.
    """
    policy = load_policy(db)
    moment = now()
    day_start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    with db.session() as s:
        spent = _spent_since(s, action.asset, day_start) if action.value else 0
        decision = check(policy, action, spent)
        payload = dict(action.payload)
        payload["policy"] = {
            "asset": action.asset,
            "value": str(action.value),
            "recipient": action.recipient,
            "reason": decision.reason,
        }
        row = Proposal(
            delegate=delegate,
            kind=action.kind,
            payload=payload,
            created_at=moment,
            status="pending" if decision.needs_confirmation else "preapproved",
        )
        s.add(row)
        s.flush()
        return int(row.id)
