"""The chain client: web3 behind request timeouts, a chain-id check and clear NetworkErrors.

Every call to the node goes through ``ChainClient.guard`` so that a dead, slow or confused node
becomes a ``NetworkError`` with a message that names the node, never a raw traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from eth_utils import ValidationError as EvmValidationError
from web3 import HTTPProvider, Web3
from web3.exceptions import TransactionNotFound, Web3Exception

from app.errors import ChainMismatch, NetworkError, TransactionFailed

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_TIMEOUT_S = 10.0
# A URL that means "the EVM inside this process" (the demo); it cannot be dialled.
IN_PROCESS_URL = "inprocess://eth-tester"


@dataclass(frozen=True)
class Fees:
    max_fee_per_gas: int
    max_priority_fee_per_gas: int
    base_fee_per_gas: int


class ChainClient:
    """One connection to one chain. Build it with ``connect`` (HTTP) or ``from_web3`` (demo)."""

    def __init__(
        self,
        w3: Web3,
        chain_id: int,
        *,
        name: str = "",
        url: str = "",
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.w3 = w3
        self.timeout = timeout
        self.chain_id = chain_id
        self.name = name or f"chain {chain_id}"
        self.url = url

    @classmethod
    def connect(
        cls, url: str, chain_id: int, *, name: str = "", timeout: float = DEFAULT_TIMEOUT_S
    ) -> ChainClient:
        """Dial an HTTP(S) RPC node and check it serves ``chain_id``."""
        if url.startswith("inprocess:"):
            raise NetworkError(
                f"{name or url} is the in-process demo chain; it exists only inside 'warden demo'.",
                hint="Pick another network with --network.",
            )
        if not url.startswith(("http://", "https://")):
            raise NetworkError(
                f"The RPC URL {url!r} is not an http(s) URL.",
                hint="Use the node's JSON-RPC address, e.g. https://mainnet.base.org.",
            )
        # No automatic retries: a dead node should say so at once, and the user retries later.
        provider = HTTPProvider(
            url, request_kwargs={"timeout": timeout}, exception_retry_configuration=None
        )
        client = cls(Web3(provider), chain_id, name=name, url=url, timeout=timeout)
        client.check_chain_id()
        return client

    @classmethod
    def from_web3(cls, w3: Web3, chain_id: int | None = None, *, name: str = "") -> ChainClient:
        """Wrap an existing Web3 (the in-process demo EVM, tests); checks the chain id if given."""
        actual = int(w3.eth.chain_id)
        client = cls(w3, chain_id if chain_id is not None else actual, name=name)
        if chain_id is not None:
            client.check_chain_id()
        return client

    @contextmanager
    def guard(self, what: str) -> Iterator[None]:
        """Turn transport and node failures while doing ``what`` into a NetworkError."""
        where = self.url or self.name
        try:
            yield
        except requests.exceptions.Timeout:
            raise NetworkError(
                f"The node at {where} did not answer within {self.timeout:g} s while {what}.",
                hint="The node is slow or overloaded. Try again later, or use another RPC URL.",
            ) from None
        except requests.exceptions.ConnectionError:
            raise NetworkError(
                f"Could not reach the node at {where} while {what}.",
                hint="Check the RPC URL and your connection, then try again later.",
            ) from None
        except requests.exceptions.RequestException as exc:
            raise NetworkError(f"The node at {where} failed while {what}: {exc}") from None
        except TransactionNotFound:
            raise
        except (Web3Exception, ValueError, EvmValidationError) as exc:
            # web3 raises ValueError for JSON-RPC error objects; the in-process EVM raises
            # eth_utils' ValidationError for a transaction it refuses.
            raise NetworkError(f"The node at {where} refused {what}: {_rpc_message(exc)}") from None

    def run(self, what: str, fn: Callable[[], T]) -> T:
        with self.guard(what):
            return fn()

    def check_chain_id(self) -> None:
        actual = self.run("reading its chain id", lambda: int(self.w3.eth.chain_id))
        if actual != self.chain_id:
            raise ChainMismatch(
                f"The node at {self.url or self.name} serves chain {actual}, "
                f"but {self.name} is configured as chain {self.chain_id}."
            )

    # --- reads -------------------------------------------------------------------------------

    def block_number(self) -> int:
        return self.run("reading the latest block", lambda: int(self.w3.eth.block_number))

    def balance(self, address: str) -> int:
        return self.run("reading a balance", lambda: int(self.w3.eth.get_balance(address)))  # type: ignore[arg-type]

    def nonce(self, address: str, block: str = "pending") -> int:
        return self.run(
            "reading the account's nonce",
            lambda: int(self.w3.eth.get_transaction_count(address, block)),  # type: ignore[arg-type]
        )

    def fees(self) -> Fees:
        """EIP-1559 fees from the node: twice the base fee plus the suggested tip."""
        block = self.run("reading the latest block", lambda: self.w3.eth.get_block("latest"))
        base = int(block.get("baseFeePerGas") or 0)
        try:
            tip = self.run("reading the priority fee", lambda: int(self.w3.eth.max_priority_fee))
        except NetworkError:
            if not base:
                raise
            tip = 10**9  # nodes without eth_maxPriorityFeePerGas: 1 gwei is a common default
        return Fees(
            max_fee_per_gas=2 * base + tip, max_priority_fee_per_gas=tip, base_fee_per_gas=base
        )

    def estimate_gas(self, tx: dict[str, Any]) -> int:
        return self.run("estimating gas", lambda: int(self.w3.eth.estimate_gas(tx)))  # type: ignore[arg-type]

    def call(self, tx: dict[str, Any]) -> bytes:
        return self.run("calling a contract", lambda: bytes(self.w3.eth.call(tx)))  # type: ignore[arg-type]

    def send_raw(self, raw: bytes) -> str:
        """Broadcast. A node that refuses the transaction raises TransactionFailed; a node that
        cannot be reached raises NetworkError (the transaction may or may not have arrived)."""
        with self.guard("broadcasting the transaction"):
            try:
                return "0x" + bytes(self.w3.eth.send_raw_transaction(raw)).hex()
            except (Web3Exception, ValueError, EvmValidationError) as exc:
                raise TransactionFailed(
                    f"The node refused the transaction: {_rpc_message(exc)}",
                    hint="Nothing was sent. Check the amount and the fee, then try again.",
                ) from None

    def receipt(self, tx_hash: str) -> dict[str, Any] | None:
        try:
            with self.guard("reading a receipt"):
                return dict(self.w3.eth.get_transaction_receipt(tx_hash))  # type: ignore[arg-type]
        except TransactionNotFound:
            return None

    def transaction(self, tx_hash: str) -> dict[str, Any] | None:
        try:
            with self.guard("reading a transaction"):
                return dict(self.w3.eth.get_transaction(tx_hash))  # type: ignore[arg-type]
        except TransactionNotFound:
            return None

    def block(self, number: int, *, full: bool = False) -> dict[str, Any]:
        return self.run(
            f"reading block {number}", lambda: dict(self.w3.eth.get_block(number, full))
        )

    def logs(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.run(
            "reading logs",
            lambda: [dict(x) for x in self.w3.eth.get_logs(params)],  # type: ignore[arg-type]
        )


def _rpc_message(exc: BaseException) -> str:
    arg = exc.args[0] if exc.args else exc
    if isinstance(arg, dict) and "message" in arg:
        return str(arg["message"])
    return str(arg)
