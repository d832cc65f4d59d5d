"""Nonces that heal. Before a request is signed, the store's idea of the next nonce is
reconciled with the node: a transaction of ours that the node no longer knows (dropped, or
never arrived) gives its nonce back, so one lost send never leaves the account stuck behind a
gap. Asking the node (``look``) runs on the network lane; applying what it said (``heal``)
runs inside the signing transaction on the store lane."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.schema import NonceState, SignRequest, Transfer
from app.wallet.chain import ChainClient
from app.wallet.ports import SessionSource


@dataclass(frozen=True)
class NonceView:
    """What the node said about an account: its pending and mined transaction counts, and
    which of our pending transactions it no longer knows."""

    pending: int
    latest: int
    gone: tuple[str, ...] = ()


def _our_pending(s: Session, chain_id: int, address: str, from_nonce: int) -> list[Transfer]:
    return list(
        s.scalars(
            select(Transfer).where(
                Transfer.chain_id == chain_id,
                Transfer.sender == address,
                Transfer.direction != "in",
                Transfer.log_index == -1,
                Transfer.status == "pending",
                Transfer.nonce >= from_nonce,
            )
        )
    )


def look(store: SessionSource, client: ChainClient, address: str) -> NonceView:
    """Ask the node (network lane)."""
    pending = client.nonce(address, "pending")
    latest = client.nonce(address, "latest")
    with store.session() as s:
        hashes = [t.tx_hash for t in _our_pending(s, client.chain_id, address, latest)]
    gone = tuple(h for h in hashes if client.transaction(h) is None and client.receipt(h) is None)
    return NonceView(pending, latest, gone)


def heal(s: Session, chain_id: int, address: str, view: NonceView) -> int:
    """Inside the signing transaction: mark what the node forgot as dropped, store the next
    free nonce (it may go down) and return it."""
    used: set[int] = set()
    for t in _our_pending(s, chain_id, address, view.latest):
        if t.tx_hash in view.gone:
            t.status = "dropped"
            t.note = "The node no longer has this transaction; its nonce is used again."
        elif t.nonce is not None:
            used.add(t.nonce)
    # A request signed but not yet known to be out (a crash before its broadcast) keeps its
    # nonce: it is sent, the same bytes, when it is resumed.
    for n in s.scalars(
        select(SignRequest.nonce).where(
            SignRequest.chain_id == chain_id,
            SignRequest.sender == address,
            SignRequest.status == "signing",
        )
    ):
        if n is not None and n >= view.latest:
            used.add(n)
    # The lowest free nonce: a gap below a transaction still waiting is filled first.
    nonce = max(view.pending, view.latest)
    while nonce in used:
        nonce += 1
    following = max([nonce, *used]) + 1
    row = s.get(NonceState, (chain_id, address))
    if row is None:
        s.add(NonceState(chain_id=chain_id, address=address, next_nonce=following))
    else:
        row.next_nonce = following
    return nonce
