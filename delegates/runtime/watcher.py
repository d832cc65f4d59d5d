"""Polls the RPC node for new blocks and logs and announces them as events.

Each poll covers the blocks since the last one with the history scan's method, not by
downloading every block: ``block_did_arrive`` for the newest block (its header, with the base
fee); native coin by each account's balance and nonce at the new head, and only when they
changed, bisection to the blocks that changed and those blocks read in full
(``app.wallet.history_bisect``), announcing ``transfer_did_arrive`` for value sent to the
account (directly, or by a contract where the node has traces); ERC-20/721 ``Transfer`` logs
to the accounts and ``Approval``/``ApprovalForAll`` logs from them by range. Every call goes
through the checked chain client. When the node fails the poll interval doubles up to
``max_backoff_s``; the first success resets it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from eth_utils import keccak, to_checksum_address

from app.errors import NetworkError
from app.events import EventBus, approval_did_change, block_did_arrive, transfer_did_arrive
from app.wallet.chain import ChainClient
from app.wallet.history_bisect import Bisection, StateProbe
from app.wallet.history_native import read_changed_block

log = logging.getLogger(__name__)

TRANSFER_TOPIC = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
APPROVAL_TOPIC = "0x" + keccak(text="Approval(address,address,uint256)").hex()
APPROVAL_FOR_ALL_TOPIC = "0x" + keccak(text="ApprovalForAll(address,address,bool)").hex()
MAX_BLOCKS_PER_POLL = 500


def topic_for(address: str) -> str:
    return "0x" + "0" * 24 + address.lower().removeprefix("0x")


def address_from_topic(topic: Any) -> str:
    raw = topic.hex() if isinstance(topic, bytes | bytearray) else str(topic)
    return to_checksum_address("0x" + raw.removeprefix("0x")[-40:])


def _hex(value: Any) -> str:
    h = value.hex() if isinstance(value, bytes | bytearray) else str(value)
    return h if h.startswith("0x") else "0x" + h


class ChainWatcher:
    def __init__(
        self,
        w3: Any,
        bus: EventBus,
        accounts: Iterable[str],
        *,
        start_block: int | None = None,
        poll_s: float = 4.0,
        max_backoff_s: float = 300.0,
    ) -> None:
        self.w3 = w3
        self.bus = bus
        self.accounts = {to_checksum_address(a) for a in accounts}
        self.last_block = start_block
        self.poll_s = poll_s
        self.max_backoff_s = max_backoff_s
        self.delay_s = poll_s
        self.failures = 0
        self._chain_id: int | None = None
        self._client: ChainClient | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll_once(self) -> int:
        """Announce everything since the last poll; return how many blocks were read."""
        try:
            count = self._poll()
        except Exception as exc:
            self.failures += 1
            self.delay_s = min(self.max_backoff_s, self.poll_s * 2**self.failures)
            log.warning("RPC poll failed (%s); next try in %.0f s", exc, self.delay_s)
            raise NetworkError(f"The RPC node did not answer: {exc}") from exc
        self.failures = 0
        self.delay_s = self.poll_s
        return count

    def client(self) -> ChainClient:
        """The checked chain client over ``w3`` (built again when ``w3`` is replaced)."""
        if self._client is None or self._client.w3 is not self.w3:
            self._client = ChainClient.from_web3(self.w3, name="the RPC node")
            self._chain_id = self._client.chain_id
        return self._client

    def _poll(self) -> int:
        client = self.client()
        latest = client.block_number()
        if self.last_block is None:
            self.last_block = latest  # start from now: history is the wallet scan's job
            return 0
        if latest <= self.last_block:
            return 0
        first = self.last_block + 1
        last = min(latest, self.last_block + MAX_BLOCKS_PER_POLL)
        head = client.block(last)
        self.bus.publish(block_did_arrive(client.chain_id, last, head.get("baseFeePerGas")))
        for account in sorted(self.accounts):
            self._native(client, account, first, last)
        if self.accounts:
            self._logs(first, last)
        self.last_block = last
        return last - first + 1

    def _native(self, client: ChainClient, account: str, first: int, last: int) -> None:
        probe = StateProbe(client, account)
        for number in Bisection(probe, first - 1, last):
            for f in read_changed_block(client, probe, number).found:
                if f.recipient and f.recipient.lower() == account.lower():
                    if f.sender.lower() == account.lower():
                        continue  # sent to itself: nothing arrived
                    self.bus.publish(
                        transfer_did_arrive(
                            client.chain_id,
                            account,
                            to_checksum_address(f.sender),
                            None,
                            f.amount,
                            f.tx_hash,
                            number,
                        )
                    )

    def _logs(self, first: int, last: int) -> None:
        mine = [topic_for(a) for a in sorted(self.accounts)]
        client = self.client()
        incoming = client.logs(
            {"fromBlock": first, "toBlock": last, "topics": [TRANSFER_TOPIC, None, mine]}
        )
        for entry in incoming:
            topics = entry["topics"]
            # ERC-20 carries the amount in data; ERC-721 carries the token id as a 4th topic.
            amount = int.from_bytes(bytes(entry["data"]) or b"\0", "big") if len(topics) == 3 else 1
            self.bus.publish(
                transfer_did_arrive(
                    self._chain_id or 0,
                    address_from_topic(topics[2]),
                    address_from_topic(topics[1]),
                    to_checksum_address(entry["address"]),
                    amount,
                    _hex(entry["transactionHash"]),
                    int(entry["blockNumber"]),
                )
            )
        approvals = client.logs(
            {
                "fromBlock": first,
                "toBlock": last,
                "topics": [[APPROVAL_TOPIC, APPROVAL_FOR_ALL_TOPIC], mine],
            }
        )
        for entry in approvals:
            topics = entry["topics"]
            data = bytes(entry["data"])
            amount = int.from_bytes(data[:32], "big") if data else 1
            self.bus.publish(
                approval_did_change(
                    self._chain_id or 0,
                    address_from_topic(topics[1]),
                    to_checksum_address(entry["address"]),
                    address_from_topic(topics[2]),
                    amount,
                    _hex(entry["transactionHash"]),
                )
            )

    def start(self) -> None:
        def loop() -> None:
            while not self._stop.is_set():
                try:
                    self.poll_once()
                except NetworkError:
                    pass
                except Exception:
                    log.exception("watcher poll failed")
                self._stop.wait(self.delay_s)

        self._thread = threading.Thread(target=loop, name="chain-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
