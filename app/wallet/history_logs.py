"""ERC-20 Transfer logs to and from the accounts, read by large ranges.

One ``eth_getLogs`` asks for a whole range; a node that refuses it (too many blocks, too many
results, a timeout) gets the range halved, down to one block. The span that worked is kept for
the next range and doubled again after each success, so a node with a 10,000-block cap costs a
few refusals once, not per range. Ranges are read oldest first: ``resolved`` is how far every
log is known when a read fails for good.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from app.errors import NetworkError
from app.wallet.chain import ChainClient
from app.wallet.erc20 import TRANSFER_TOPIC

log = logging.getLogger(__name__)

# Most nodes answer a range this large when it holds few logs; a refusal halves it.
FIRST_SPAN = 1_000_000


def topic_of(address: str) -> str:
    return "0x" + "0" * 24 + address[2:].lower()


class TransferLogs:
    """Transfer logs from (``direction="from"``) or to (``"to"``) any of ``accounts`` in
    [lo, hi], oldest range first."""

    def __init__(
        self,
        client: ChainClient,
        accounts: list[str],
        lo: int,
        hi: int,
        *,
        span: int = FIRST_SPAN,
    ) -> None:
        self.client = client
        self.topics = [topic_of(a) for a in sorted(accounts)]
        self.lo = lo
        self.hi = hi
        self.span = max(1, span)
        self.resolved = lo - 1
        self.refusals = 0

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(topic position, log): position 1 means sent by an account, 2 received by one."""
        start = self.lo
        while start <= self.hi:
            end = min(self.hi, start + self.span - 1)
            try:
                entries = self._read(start, end)
            except NetworkError:
                self.refusals += 1
                if end == start:
                    raise  # one block refused: the caller reports how far it got
                self.span = max(1, (end - start + 1) // 2)
                log.info("the node refused a log range; trying %d blocks", self.span)
                continue
            yield from entries
            self.resolved = end
            start = end + 1
            self.span = min(FIRST_SPAN, self.span * 2)

    def _read(self, start: int, end: int) -> list[tuple[int, dict[str, Any]]]:
        out: list[tuple[int, dict[str, Any]]] = []
        for position in (1, 2):
            topics: list[Any] = [TRANSFER_TOPIC, None, None]
            topics[position] = self.topics
            params = {"fromBlock": start, "toBlock": end, "topics": topics}
            out.extend((position, e) for e in self.client.logs(params))
        out.sort(key=lambda pe: (int(pe[1]["blockNumber"]), int(pe[1]["logIndex"])))
        return out
