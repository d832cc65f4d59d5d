"""Approval hygiene: every live allowance of the user's addresses, scored, each with a proposed
revoke. Monthly, and whenever one of the user's addresses grants a new approval."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.events import approval_did_change
from app.policy import ProposedAction
from app.store.schema import Account, BlocklistEntry, ContractFacts, Proposal
from delegates.routine import allowances
from delegates.runtime.base import Capability, Cron, Delegate, DelegateContext, On
from delegates.runtime.registry import delegate


@dataclass(frozen=True)
class ApprovalSettings:
    from_block: int = 0
    propose_at_risk: int = 40  # propose a revoke for allowances scoring this or more


@delegate
class ApprovalHygiene(Delegate):
    name = "approval_hygiene"
    description = "Lists live token approvals, scores their risk and proposes revokes."
    triggers = (Cron("0 9 1 * *"), On(approval_did_change))
    settings_type = ApprovalSettings
    capability = Capability.PROPOSE
    timeout_s = 300.0

    def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
        s: ApprovalSettings = settings
        w3 = ctx.chain
        if w3 is None:
            return {"summary": "no chain connection; nothing checked", "allowances": []}
        with ctx.db.session() as sess:
            owned = {a.address: a.kind for a in sess.scalars(select(Account))}
            blocked = {b.address.lower() for b in sess.scalars(select(BlocklistEntry))}
            facts = {f.address.lower(): f for f in sess.scalars(select(ContractFacts))}
            pending = {
                (
                    p.payload.get("owner"),
                    p.payload.get("tx", {}).get("to"),
                    p.payload.get("spender"),
                )
                for p in sess.scalars(
                    select(Proposal).where(
                        Proposal.kind == "revoke", Proposal.status.in_(("pending", "preapproved"))
                    )
                )
            }
        found = allowances.find(w3, owned, s.from_block)
        head = int(w3.eth.block_number)
        proposed = 0
        for a in found:
            ctx.check_cancelled()
            fact = facts.get(a.spender.lower())
            is_contract = (
                fact.is_contract if fact is not None else len(w3.eth.get_code(a.spender)) > 0
            )
            age = head - fact.creation_block if fact and fact.creation_block is not None else None
            allowances.score(
                a,
                is_contract=is_contract,
                verified=fact.verified_source if fact else None,
                age_blocks=age,
                blocklisted=a.spender.lower() in blocked,
            )
            tx = a.revoke_tx()
            can_sign = owned.get(a.owner) != "watch"
            if (
                a.risk >= s.propose_at_risk
                and can_sign
                and (a.owner, tx["to"], a.spender) not in pending
            ):
                ctx.propose(ProposedAction("revoke", {**a.to_json(), "tx": tx}))
                proposed += 1
        found.sort(key=lambda a: -a.risk)
        high = sum(1 for a in found if allowances.level(a.risk) == "high")
        if high:
            ctx.notify(
                "Risky token approvals",
                f"{high} approval(s) look risky; revokes are proposed for review.",
                kind="alert",
            )
        return {
            "summary": (
                f"{len(found)} live approval(s), {high} high risk, {proposed} revoke(s) proposed"
            ),
            "allowances": [{**a.to_json(), "revoke": a.revoke_tx()} for a in found],
        }
