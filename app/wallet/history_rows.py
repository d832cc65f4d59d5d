"""Storing what a scan found: upserts that never lose or duplicate a row."""

from __future__ import annotations

from typing import Any

from eth_utils import to_checksum_address
from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.store.schema import ScanState, Transfer
from app.wallet.addresses import same_address
from app.wallet.history_found import Found, hex_of

_hex = hex_of


def advance(s: Session, chain_id: int, account: str, last: int) -> None:
    """Record how far the account was scanned: an upsert that never moves back, so scans
    running at once (four windows, the daemon and a command) never collide on the key."""
    stmt = insert(ScanState).values(chain_id=chain_id, address=account, last_block=last)
    s.execute(
        stmt.on_conflict_do_update(
            index_elements=[ScanState.chain_id, ScanState.address],
            set_={"last_block": func.max(ScanState.last_block, stmt.excluded.last_block)},
        )
    )


def merge(s: Session, chain_id: int, account: str, f: Found) -> str | None:
    """Store ``f`` unless it is already there; returns the new row's direction, or None for a
    duplicate. The insert is an upsert on the unique key: a row another scan stored in the
    meantime is a duplicate, never an IntegrityError."""
    same_tx = list(
        s.scalars(
            select(Transfer).where(
                Transfer.chain_id == chain_id,
                Transfer.account == account,
                Transfer.tx_hash == f.tx_hash,
            )
        )
    )
    for row in same_tx:
        if row.log_index == f.log_index:
            _settle(row, f)
            return None
        # The row ``sender`` wrote for a token transfer has no log index yet: this is it.
        if row.log_index == -1 and f.log_index >= 0 and same_address(row.token, f.token):
            row.log_index = f.log_index
            _settle(row, f)
            return None
    if same_address(f.sender, account):
        direction = "self" if same_address(f.recipient, account) else "out"
    else:
        direction = "in"
    stmt = (
        insert(Transfer)
        .values(
            chain_id=chain_id,
            account=account,
            tx_hash=f.tx_hash,
            log_index=f.log_index,
            block_number=f.block_number,
            timestamp=f.timestamp,
            direction=direction,
            sender=to_checksum_address(f.sender),
            recipient=to_checksum_address(f.recipient) if f.recipient else None,
            token=f.token,
            amount=str(f.amount),
            nonce=f.nonce,
            status="confirmed",
            hidden=False,
            note="",
        )
        .on_conflict_do_nothing(
            index_elements=[
                Transfer.chain_id,
                Transfer.tx_hash,
                Transfer.log_index,
                Transfer.account,
            ]
        )
    )
    inserted = s.execute(stmt).rowcount  # type: ignore[attr-defined]
    return direction if inserted else None


def signed_transfer_nonce(tx: Any, account: str, token: str, recipient: str) -> int | None:
    """The nonce of ``tx`` when ``account`` signed it as this very transfer: sent to the
    token contract, naming ``recipient`` in ``transfer``/``transferFrom``. A Transfer log alone
    proves nothing (any contract can emit one), so this is what marks a token send as the
    user's own (``app.wallet.stored_facts``)."""
    if tx is None or not same_address(str(tx.get("from")), account):
        return None
    if not same_address(str(tx.get("to") or ""), token):
        return None
    data = _hex(tx.get("input") or tx.get("data") or b"")[2:].lower()  # eth-tester: "data"
    if data[:8] == "a9059cbb":  # transfer(to, value)
        named, value = data[32:72], data[72:136]
    elif data[:8] == "23b872dd" and data[32:72] == account[2:].lower():  # transferFrom
        named, value = data[96:136], data[136:200]
    else:
        return None
    try:
        moved = int(value, 16) > 0
    except ValueError:  # calldata too short to say
        return None
    return int(tx["nonce"]) if moved and named == recipient[2:].lower() else None


def _settle(row: Transfer, f: Found) -> None:
    row.block_number = f.block_number
    row.timestamp = row.timestamp or f.timestamp
    if row.status in ("pending", "reorged"):  # found in a block (again, after a reorg)
        row.status = "confirmed"


_signed_transfer_nonce = signed_transfer_nonce  # the name tests and older code know
