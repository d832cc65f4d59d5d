"""Nonces that survive a restart: the store remembers the next one, and it is taken in the
same database transaction that records the signature (see ``app.wallet.nonce_health`` for how
it is reconciled with the node first)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.store.schema import NonceState
from app.wallet.ports import SessionSource


def stored_next(store: SessionSource, chain_id: int, address: str) -> int | None:
    with store.session() as s:
        row = s.get(NonceState, (chain_id, address))
        return row.next_nonce if row else None


def take(session: Session, chain_id: int, address: str, pending: int) -> int:
    """Inside the caller's transaction: the next nonce (the larger of the node's ``pending``
    and the stored one), with the one after it stored. The caller's commit makes it one
    step with whatever else that transaction records (the signed request, its history row)."""
    row = session.get(NonceState, (chain_id, address))
    nonce = max(pending, row.next_nonce if row else 0)
    if row is None:
        session.add(NonceState(chain_id=chain_id, address=address, next_nonce=nonce + 1))
    else:
        row.next_nonce = nonce + 1
    return nonce


def release(store: SessionSource, chain_id: int, address: str, nonce: int) -> None:
    """Give back a nonce the node never accepted, if nothing was reserved after it."""
    with store.session() as s:
        row = s.get(NonceState, (chain_id, address))
        if row is not None and row.next_nonce == nonce + 1:
            row.next_nonce = nonce
