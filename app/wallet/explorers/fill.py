"""What a scan takes from an explorer: rows the node cannot give, never a signed send.

An explorer's row is checked against the node wherever the node can say (the transaction by
its hash): a row the node contradicts refuses the whole answer. A send the node confirms is
the node's fact, with the nonce the node read from the signed transaction. Everything else an
explorer lists is stored under log indexes of its own (``EXPLORER_TX``,
``EXPLORER_INTERNAL_BASE - k``) and without a nonce, so that ``app.wallet.stored_facts`` never
counts it as a transaction the user signed: an explorer cannot make an address look known.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from eth_utils import to_checksum_address

from app.errors import NetworkError
from app.wallet.chain import ChainClient
from app.wallet.explorers.answers import Row, refused
from app.wallet.explorers.api import Explorer
from app.wallet.history_found import TX_VALUE, Found, hex_of

log = logging.getLogger(__name__)

EXPLORER_TX = -1_000_000  # a native transaction only the explorer listed
EXPLORER_INTERNAL_BASE = -2_000_000  # minus k: the k-th internal transfer the explorer listed
VALUE_CALLS = ("call", "suicide", "selfdestruct")  # the traces that move value of their own


def asked(explorer: Explorer, what: str, lo: int, hi: int) -> str:
    """The scan report's line: who was asked what, and what it was sent."""
    span = f"block {lo:,}" if lo == hi else f"blocks {lo:,} to {hi:,}"
    return (
        f"Asked the explorer at {explorer.where} ({explorer.label}) for {what} in {span}; "
        f"it was sent {explorer.what_is_sent()}."
    )


def native(client: ChainClient, explorer: Explorer, account: str, lo: int, hi: int) -> list[Found]:
    """Native transactions of ``account`` in [lo, hi] (blocks the node keeps no state for)."""
    out: list[Found] = []
    for row in explorer.rows("txlist", account, lo, hi):
        if row.failed or row.value == 0:
            continue  # moved nothing
        tx = _node_copy(client, explorer, row)
        me = account.lower()
        nonce = int(tx["nonce"]) if tx is not None and row.sender == me else None
        out.append(
            Found(
                row.tx_hash,
                TX_VALUE if tx is not None else EXPLORER_TX,
                row.block_number,
                _time(row),
                to_checksum_address(row.sender),
                to_checksum_address(row.recipient) if row.recipient else None,
                None,
                row.value,
                nonce,
            )
        )
    return out


def internal(
    client: ChainClient, explorer: Explorer, account: str, lo: int, hi: int
) -> list[Found]:
    """Native coin contracts sent to ``account`` inside transactions in [lo, hi]."""
    me = account.lower()
    out: list[Found] = []
    places: dict[str, int] = {}
    for row in explorer.rows("txlistinternal", account, lo, hi):
        if row.failed or row.value == 0 or row.recipient != me or row.sender == me:
            continue
        if row.call_type not in VALUE_CALLS:
            continue  # delegatecall, staticcall move no value of their own
        _node_copy(client, explorer, row, internal=True)
        place = places.get(row.tx_hash, 0)
        places[row.tx_hash] = place + 1
        out.append(
            Found(
                row.tx_hash,
                EXPLORER_INTERNAL_BASE - place,
                row.block_number,
                _time(row),
                to_checksum_address(row.sender),
                to_checksum_address(row.recipient),
                None,
                row.value,
            )
        )
    return out


def _node_copy(
    client: ChainClient, explorer: Explorer, row: Row, *, internal: bool = False
) -> dict[str, Any] | None:
    """The node's copy of the row's transaction; None when the node cannot say. A copy that
    disagrees (another block; for a transaction's own value, another sender, recipient or
    amount) refuses the explorer's whole answer."""
    try:
        tx = client.transaction(row.tx_hash)
    except NetworkError:
        log.info("the node could not check an explorer's row")
        return None
    if tx is None:
        return None
    number = tx.get("blockNumber")
    same = number is not None and int(number) == row.block_number
    if not internal:
        same = (
            same
            and str(tx.get("from") or "").lower() == row.sender
            and str(tx.get("to") or "").lower() == row.recipient
            and int(tx.get("value") or 0) == row.value
            and hex_of(tx.get("hash")).lower() == row.tx_hash
        )
    if not same:
        raise refused(explorer.where, "listed a transaction the node knows otherwise")
    return tx


def _time(row: Row) -> datetime:
    return datetime.fromtimestamp(row.timestamp, UTC)
