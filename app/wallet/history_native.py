"""Native coin in the blocks where an account's state changed: what explains the change.

A changed block is read whole once. Transactions the account signed, and value sent straight
to it, are rows as before. When the balance moved by more than those explain (after the fees
the account paid, from its receipts), a contract sent it value inside a transaction (a DEX or
bridge withdrawal): the block's traces name it, where the node serves ``trace_block``. A node
without traces leaves the change unexplained, and the scan reports it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from eth_utils import to_checksum_address

from app.errors import NetworkError
from app.wallet import rpc_checks as checks
from app.wallet.chain import ChainClient
from app.wallet.history_bisect import StateProbe
from app.wallet.history_found import INTERNAL_BASE, TX_VALUE, Found, hex_of

log = logging.getLogger(__name__)

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_HASH = re.compile(r"0x[0-9a-fA-F]{64}")
_HEX_QUANTITY = re.compile(r"0x[0-9a-fA-F]{1,64}")


@dataclass
class BlockFindings:
    found: list[Found] = field(default_factory=list)
    signed: dict[str, dict[str, Any]] = field(default_factory=dict)  # by hash
    timestamp: datetime | None = None
    unexplained: bool = False  # value arrived that neither the block nor its traces explain


def read_changed_block(
    client: ChainClient, probe: StateProbe, number: int, *, traces: bool = True
) -> BlockFindings:
    """What moved the account's native coin in block ``number`` (its state changed there)."""
    account = probe.account
    me = account.lower()
    block = client.block(number, full=True)
    out = BlockFindings(timestamp=datetime.fromtimestamp(int(block["timestamp"]), UTC))
    explained = 0
    for tx in block.get("transactions", []):
        if not isinstance(tx, dict):
            continue
        frm, to = str(tx.get("from") or ""), str(tx.get("to") or "")
        value = int(tx.get("value") or 0)
        tx_hash = hex_of(tx["hash"])
        if frm.lower() == me:
            out.signed[tx_hash] = tx
            explained -= value + _fee(client, tx_hash)
        if to.lower() == me:
            explained += value
        if value and me in (frm.lower(), to.lower()):
            nonce = int(tx["nonce"]) if frm.lower() == me else None
            out.found.append(
                Found(tx_hash, TX_VALUE, number, out.timestamp, frm, to or None, None, value, nonce)
            )
    for w in block.get("withdrawals") or []:  # the consensus layer paying a validator
        if isinstance(w, dict) and str(w.get("address", "")).lower() == me:
            explained += int(w.get("amount") or 0) * 10**9
    delta = probe.balance(number) - probe.balance(number - 1)
    if delta > explained:
        internal = _internal(client, account, number, out.timestamp) if traces else None
        if internal is None:
            out.unexplained = True
        else:
            out.found.extend(internal)
            if delta > explained + sum(f.amount for f in internal):
                out.unexplained = True
    return out


def _fee(client: ChainClient, tx_hash: str) -> int:
    """What the account paid for gas in ``tx_hash`` (0 when the receipt does not say)."""
    receipt = client.receipt(tx_hash)
    if receipt is None:
        return 0
    used = receipt.get("gasUsed")
    price = receipt.get("effectiveGasPrice")
    if used is None or price is None:
        return 0
    gas = checks.quantity(
        used, where=client.where, what="a receipt (gas used)", high=checks.GAS_MAX
    )
    per = checks.quantity(
        price, where=client.where, what="a receipt (gas price)", high=checks.FEE_PER_GAS_MAX
    )
    return gas * per


def _internal(
    client: ChainClient, account: str, number: int, ts: datetime | None
) -> list[Found] | None:
    """Value sent to ``account`` by contracts inside block ``number``'s transactions, from
    the node's traces; None when the node has none."""
    try:
        raw = client.request("trace_block", [hex(number)], f"reading block {number}'s traces")
    except NetworkError:
        log.info("the node has no traces; an internal transfer stays unexplained")
        return None
    traces = checks.records(raw, where=client.where, what="the block's traces")
    me = account.lower()
    seen: dict[str, int] = {}
    found: list[Found] = []
    for t in traces:
        tx_hash = _hash(client, t.get("transactionHash"))
        if tx_hash is None:
            continue  # a block reward has no transaction
        place = seen.get(tx_hash, 0)
        seen[tx_hash] = place + 1
        action = t.get("action")
        if t.get("type") != "call" or not isinstance(action, Mapping) or t.get("error"):
            continue
        if not t.get("traceAddress"):
            continue  # the transaction's own value: read from the block already
        to, frm = str(action.get("to") or ""), str(action.get("from") or "")
        if to.lower() != me or not _ADDRESS.fullmatch(frm):
            continue
        if action.get("callType") in ("delegatecall", "staticcall"):
            continue  # moves no value of its own
        value = _hex_quantity(client, action.get("value"))
        if value:
            found.append(
                Found(
                    tx_hash,
                    INTERNAL_BASE - place,
                    number,
                    ts,
                    to_checksum_address(frm),
                    to_checksum_address(to),
                    None,
                    value,
                )
            )
    return found


def _hash(client: ChainClient, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _HASH.fullmatch(value):
        raise checks.bad_answer(client.where, "a trace (hash)", value, "a transaction hash")
    return value.lower()


def _hex_quantity(client: ChainClient, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _HEX_QUANTITY.fullmatch(value):
        number = int(value, 16)
    else:
        raise checks.bad_answer(client.where, "a trace (value)", value, "a hex quantity")
    return checks.quantity(number, where=client.where, what="a trace (value)")
