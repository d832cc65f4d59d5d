"""Delegates' proposals waiting for the user, as rows a person can read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.rows import ProposalRow
from app.store import schema as s
from app.wallet.ports import SessionSource


def proposal_title(
    kind: str, payload: dict[str, Any], symbols: dict[str, str], names: dict[str, str]
) -> str:
    """One line a person can read: what the proposal would do and why."""
    if payload.get("title"):
        return str(payload["title"])
    if kind == "revoke":
        token = str(payload.get("token") or "")
        spender = str(payload.get("spender") or "")
        what = symbols.get(token.lower(), token[:6] + "…" + token[-4:] if token else "a token")
        who = names.get(spender.lower()) or (f"{spender[:6]}…{spender[-4:]}" if spender else "")
        amount = "unlimited " if payload.get("unlimited") else ""
        reasons = payload.get("reasons") or []
        why = (
            f" ({payload.get('level', '')} risk: {', '.join(map(str, reasons))})" if reasons else ""
        )
        return f"Revoke the {amount}{what} allowance of {who}{why}"
    return str(payload.get("summary") or kind)


def pending_proposals(store: SessionSource) -> list[ProposalRow]:
    """The proposals still waiting for the user's yes or no, oldest first."""
    with store.session() as ses:
        symbols = {t.address.lower(): t.symbol for t in ses.scalars(select(s.Token))}
        names = {c.address.lower(): c.name for c in ses.scalars(select(s.Contact))}
        q = select(s.Proposal).where(s.Proposal.status == "pending").order_by(s.Proposal.id)
        return [
            ProposalRow(
                p.id,
                p.delegate,
                p.kind,
                proposal_title(p.kind, dict(p.payload), symbols, names),
                dict(p.payload),
                p.created_at,
            )
            for p in ses.scalars(q)
        ]
