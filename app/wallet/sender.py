"""A sent transaction's history row, and what became of it (confirmed, reverted, replaced,
dropped). Sending itself is ``app.wallet.requests``: the history row is written in the same
database transaction as the signature, before the broadcast, so a crash in between loses
nothing and the next ``refresh_pending`` finds out what became of it.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import TransactionFailed
from app.events import EventBus, transaction_did_confirm
from app.store.schema import Transfer
from app.wallet import nonces, signing
from app.wallet.addresses import same_address
from app.wallet.chain import ChainClient
from app.wallet.ports import SessionSource

log = logging.getLogger(__name__)

PENDING = "pending"
FINAL = ("confirmed", "reverted", "replaced", "dropped", "failed")


def record_in(s: Session, signed: signing.SignedTransaction) -> None:
    """The history row of a signed transaction, inside the caller's database transaction."""
    b = signed.built
    again = s.scalars(
        select(Transfer).where(
            Transfer.chain_id == b.chain_id,
            Transfer.account == b.sender,
            Transfer.tx_hash == signed.tx_hash,
            Transfer.log_index == -1,
        )
    ).first()
    if again is not None:  # the very same transaction signed again (after a drop)
        again.status = PENDING
        return
    s.add(
        Transfer(
            chain_id=b.chain_id,
            account=b.sender,
            tx_hash=signed.tx_hash,
            log_index=-1,
            direction="self" if same_address(b.sender, b.recipient) else "out",
            sender=b.sender,
            recipient=b.recipient,
            token=b.token.address if b.token else None,
            amount=str(b.amount),
            nonce=signed.nonce,
            status=PENDING,
        )
    )


def sent_rows(s: Session, chain_id: int, tx_hash: str) -> list[Transfer]:
    """The history rows of a transaction this wallet sent (not incoming ones)."""
    return list(
        s.scalars(
            select(Transfer).where(
                Transfer.chain_id == chain_id,
                Transfer.tx_hash == tx_hash,
                Transfer.direction != "in",
            )
        )
    )


def _set_status(
    store: SessionSource,
    chain_id: int,
    tx_hash: str,
    status: str,
    *,
    block: int | None = None,
    note: str | None = None,
) -> None:
    with store.session() as s:
        rows = s.scalars(
            select(Transfer).where(Transfer.chain_id == chain_id, Transfer.tx_hash == tx_hash)
        )
        for row in rows:
            if row.direction == "in":
                continue
            row.status = status
            if block is not None:
                row.block_number = block
            if note:
                row.note = note[:500]


def check_status(
    client: ChainClient, tx_hash: str, sender: str, nonce: int
) -> tuple[str, int | None]:
    """What became of a sent transaction, asked of the node."""
    receipt = client.receipt(tx_hash)
    if receipt is not None and receipt.get("blockNumber") is not None:
        ok = int(receipt.get("status", 1)) == 1
        return ("confirmed" if ok else "reverted"), int(receipt["blockNumber"])
    if client.transaction(tx_hash) is not None:
        return PENDING, None
    # Gone from the node: if the account's mined nonce moved past ours, another transaction
    # with the same nonce was mined instead (replaced); otherwise it was dropped.
    if client.nonce(sender, "latest") > nonce:
        return "replaced", None
    return "dropped", None


def track(
    store: SessionSource,
    client: ChainClient,
    tx_hash: str,
    *,
    wait_s: float = 60.0,
    poll_s: float = 1.0,
    bus: EventBus | None = None,
    stop: threading.Event | None = None,
) -> tuple[str, int | None]:
    """Poll until the transaction reaches a final status, ``wait_s`` passes or ``stop`` is
    set (the CLI's Ctrl-C: checked between polls, never inside a write); record it."""
    with store.session() as s:
        row = s.scalars(
            select(Transfer).where(
                Transfer.chain_id == client.chain_id,
                Transfer.tx_hash == tx_hash,
                Transfer.direction != "in",
            )
        ).first()
        if row is None or row.nonce is None:
            raise TransactionFailed(f"{tx_hash} is not a transaction sent from this wallet.")
        sender, nonce = row.sender, row.nonce
    deadline = time.monotonic() + wait_s
    while True:
        status, block = check_status(client, tx_hash, sender, nonce)
        if status != PENDING or time.monotonic() >= deadline:
            break
        if stop is None:
            time.sleep(poll_s)
        elif stop.wait(poll_s):
            break
    _set_status(store, client.chain_id, tx_hash, status, block=block)
    if status == "dropped":
        # The node forgot it and the nonce is still unused on chain: give the nonce back (if
        # nothing was reserved after it) so the account is not stuck behind a gap. Only one
        # transaction with that nonce can ever be mined.
        nonces.release(store, client.chain_id, sender, nonce)
    if status != PENDING and bus is not None:
        bus.publish(transaction_did_confirm(client.chain_id, tx_hash, status))
    return status, block


def refresh_pending(
    store: SessionSource, client: ChainClient, *, bus: EventBus | None = None
) -> dict[str, str]:
    """Look up every pending sent transaction on this chain once; returns hash -> status."""
    with store.session() as s:
        hashes = list(
            s.scalars(
                select(Transfer.tx_hash)
                .where(Transfer.chain_id == client.chain_id, Transfer.status == PENDING)
                .distinct()
            )
        )
    return {h: track(store, client, h, wait_s=0, bus=bus)[0] for h in hashes}
