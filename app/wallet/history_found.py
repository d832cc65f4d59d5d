"""What a history scan found: one transfer that concerns one account, before it is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

# ``log_index`` of a transaction's own native value; internal transfers (value a contract
# sends inside a transaction) use INTERNAL_BASE - k, k their place among the transaction's
# traces, so that none of them is taken for a transaction the user signed.
TX_VALUE = -1
INTERNAL_BASE = -2


@dataclass(frozen=True)
class Found:
    tx_hash: str
    log_index: int
    block_number: int
    timestamp: datetime | None
    sender: str
    recipient: str | None
    token: str | None
    amount: int
    nonce: int | None = None  # set only when the account's own key signed the transaction


def hex_of(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    text = value.hex() if hasattr(value, "hex") and not isinstance(value, str) else str(value)
    return text if text.startswith("0x") else "0x" + text
