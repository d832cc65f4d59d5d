"""History: sent transactions (written by ``sender``) and transfers found on the chain.

A scan (``history_scan``) finds what changed for each account since its last scan
(``ScanState``): native coin by bisection over past balances and nonces, tokens by
``eth_getLogs`` over large ranges. It stores what concerns the account, deduplicates against
what is already there, and announces each new incoming transfer as ``transfer_did_arrive``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.store.schema import Transfer
from app.wallet.history_blocks import MAX_BLOCKS_PER_SCAN
from app.wallet.history_found import Found
from app.wallet.history_rows import _signed_transfer_nonce
from app.wallet.history_scan import AccountReport, ScanReport, scan, scan_history
from app.wallet.ports import SessionSource

__all__ = [
    "MAX_BLOCKS_PER_SCAN",
    "AccountReport",
    "Found",
    "HistoryItem",
    "ScanReport",
    "_signed_transfer_nonce",
    "list_history",
    "scan",
    "scan_history",
]


@dataclass(frozen=True)
class HistoryItem:
    chain_id: int
    account: str
    tx_hash: str
    direction: str
    sender: str
    recipient: str | None
    token: str | None
    amount: int
    status: str
    block_number: int | None
    timestamp: datetime | None
    nonce: int | None
    hidden: bool = False  # e.g. address poisoning
    note: str = ""


def list_history(
    store: SessionSource,
    *,
    chain_id: int | None = None,
    account: str | None = None,
    limit: int = 100,
    include_hidden: bool = False,
) -> list[HistoryItem]:
    """Newest first; pending (no block yet) on top."""
    q = select(Transfer)
    if chain_id is not None:
        q = q.where(Transfer.chain_id == chain_id)
    if account is not None:
        q = q.where(Transfer.account == account)
    if not include_hidden:
        q = q.where(Transfer.hidden.is_(False))
    q = q.order_by(Transfer.block_number.desc().nulls_first(), Transfer.id.desc()).limit(limit)
    with store.session() as s:
        return [
            HistoryItem(
                r.chain_id,
                r.account,
                r.tx_hash,
                r.direction,
                r.sender,
                r.recipient,
                r.token,
                int(r.amount),
                r.status,
                r.block_number,
                r.timestamp,
                r.nonce,
                bool(r.hidden),
                r.note or "",
            )
            for r in s.scalars(q)
        ]
