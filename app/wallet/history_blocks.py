"""The fallback for native coin: read every block of a short range in full.

For a node that keeps no past state (bisection cannot ask it), and the measure the benchmark
compares against: one request and a whole block with its transactions per block, so it is
kept to short ranges (``MAX_BLOCKS_PER_SCAN``) and a later scan goes on where it stopped.
Only a transaction's own value is seen here, never value a contract sends inside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.wallet.chain import ChainClient
from app.wallet.history_found import TX_VALUE, Found, hex_of

MAX_BLOCKS_PER_SCAN = 2000


@dataclass
class BlockScan:
    found: dict[str, list[Found]]
    signed: dict[str, dict[str, Any]] = field(default_factory=dict)
    times: dict[int, datetime | None] = field(default_factory=dict)
    resolved: int = -1


def scan_blocks(
    client: ChainClient, accounts: list[str], lo: int, hi: int, out: BlockScan | None = None
) -> BlockScan:
    """Native transfers of ``accounts`` in blocks [lo, hi]; on a failure ``out.resolved``
    says how far it got (pass ``out`` in to keep what was found before the failure)."""
    out = out or BlockScan({a: [] for a in accounts}, resolved=lo - 1)
    lowered = {a.lower(): a for a in accounts}
    for number in range(lo, hi + 1):
        block = client.block(number, full=True)
        ts = datetime.fromtimestamp(int(block["timestamp"]), UTC)
        out.times[number] = ts
        for tx in block.get("transactions", []):
            if not isinstance(tx, dict):
                continue
            frm, to = str(tx.get("from") or ""), str(tx.get("to") or "")
            if frm.lower() in lowered:
                out.signed[hex_of(tx["hash"])] = tx
            value = int(tx.get("value") or 0)
            if not value:
                continue
            for who in {frm.lower(), to.lower()} & lowered.keys():
                nonce = int(tx["nonce"]) if who == frm.lower() else None
                out.found[lowered[who]].append(
                    Found(
                        hex_of(tx["hash"]),
                        TX_VALUE,
                        number,
                        ts,
                        frm,
                        to or None,
                        None,
                        value,
                        nonce,
                    )
                )
        out.resolved = number
    return out
