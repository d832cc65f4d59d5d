"""The chain client: web3 behind one deadline per call, a size cap, checked results and clear
NetworkErrors.

The node is untrusted input. Every call goes through ``ChainClient.guard`` so that a dead,
slow, confused or hostile node becomes a ``NetworkError`` with a message that names the node,
never a raw traceback: over HTTP each call has one overall deadline and a cap on the answer's
size (``rpc_transport``), each result is checked for type and range before it is used
(``rpc_checks``), and the node's own error text is shown only as quoted, inert data.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from eth_utils import ValidationError as EvmValidationError
from web3 import Web3
from web3.exceptions import (
    BadResponseFormat,
    ContractLogicError,
    TransactionNotFound,
    Web3Exception,
    Web3RPCError,
)

from app.errors import ChainMismatch, NetworkError, TransactionFailed
from app.wallet import rpc_checks as checks
from app.wallet.rpc_transport import (
    DEFAULT_MAX_RESPONSE_BYTES,
    BoundedHTTPProvider,
    ResponseTooLarge,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_TIMEOUT_S = 10.0
# A URL that means "the EVM inside this process" (the demo); it cannot be dialled.
IN_PROCESS_URL = "inprocess://eth-tester"
DEFAULT_TIP_WEI = 10**9  # nodes without eth_maxPriorityFeePerGas: 1 gwei is a common default
# An answer Warden cannot parse or that web3's formatters choke on: wrong JSON, wrong shapes.
_UNREADABLE = (
    BadResponseFormat,
    json.JSONDecodeError,
    UnicodeDecodeError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
    RecursionError,
)


@dataclass
class RequestCounter:
    """How much one client asked its node: requests made and answer bytes received (bytes only
    over HTTP; the in-process demo EVM has none). A benchmark or a scan reads the difference
    between two ``snapshot``s."""

    requests: int = 0
    bytes_received: int = 0

    def snapshot(self) -> tuple[int, int]:
        return self.requests, self.bytes_received


class _CountingProvider(BoundedHTTPProvider):
    """The bounded provider, adding each raw answer's size to a counter."""

    def __init__(self, url: str, *, counter: RequestCounter, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.counter = counter

    def decode_rpc_response(self, raw_response: bytes) -> Any:  # type: ignore[override]
        self.counter.bytes_received += len(raw_response)
        return super().decode_rpc_response(raw_response)


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
        counter: RequestCounter | None = None,
    ) -> None:
        self.w3 = w3
        self.counter = counter or RequestCounter()
        self.timeout = timeout
        self.chain_id = chain_id
        self.name = name or f"chain {chain_id}"
        self.url = url

    @classmethod
    def connect(
        cls,
        url: str,
        chain_id: int,
        *,
        name: str = "",
        timeout: float = DEFAULT_TIMEOUT_S,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> ChainClient:
        """Dial an HTTP(S) RPC node and check it serves ``chain_id``. ``timeout`` is the
        deadline of each call as a whole; an answer over ``max_response_bytes`` is refused."""
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
        counter = RequestCounter()
        provider = _CountingProvider(
            url, counter=counter, deadline_s=timeout, max_bytes=max_response_bytes
        )
        client = cls(Web3(provider), chain_id, name=name, url=url, timeout=timeout, counter=counter)
        client.check_chain_id()
        return client

    @classmethod
    def from_web3(cls, w3: Web3, chain_id: int | None = None, *, name: str = "") -> ChainClient:
        """Wrap an existing Web3 (the in-process demo EVM, tests); checks the chain id if given."""
        client = cls(w3, chain_id if chain_id is not None else 0, name=name)
        actual = client.read_chain_id()
        if chain_id is None:
            client.chain_id = actual
            client.name = name or f"chain {actual}"
        elif actual != chain_id:
            client.mismatch(actual)
        return client

    @property
    def where(self) -> str:
        return self.url or self.name

    @contextmanager
    def guard(self, what: str) -> Iterator[None]:
        """Turn transport and node failures while doing ``what`` into a NetworkError."""
        where = self.where
        self.counter.requests += 1  # one guarded call is one request to the node
        try:
            yield
        except requests.exceptions.Timeout:
            raise NetworkError(
                f"The node at {where} did not answer within {self.timeout:g} s while {what}.",
                hint="The node is slow or overloaded. Try again later, or use another RPC URL.",
            ) from None
        except ResponseTooLarge as exc:
            raise NetworkError(
                f"The node at {where} sent an answer larger than {_size(exc.limit)} while "
                f"{what}; Warden stopped reading it.",
                hint=checks.HOSTILE_HINT,
            ) from None
        except requests.exceptions.ConnectionError:
            raise NetworkError(
                f"Could not reach the node at {where} while {what}.",
                hint="Check the RPC URL and your connection, then try again later.",
            ) from None
        except requests.exceptions.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else "?"
            raise NetworkError(
                f"The node at {where} answered with HTTP status {status} while {what}."
            ) from None
        except requests.exceptions.RequestException as exc:
            raise NetworkError(
                f"The node at {where} failed while {what} ({type(exc).__name__})."
            ) from None
        except TransactionNotFound:
            raise
        except (Web3RPCError, ContractLogicError, EvmValidationError) as exc:
            # a JSON-RPC error object, a revert, or the in-process EVM refusing a transaction
            raise NetworkError(
                f"The node at {where} refused the request ({what}): {node_message(exc)}"
            ) from None
        except (*_UNREADABLE, ValueError, Web3Exception) as exc:
            # not JSON, a number past Python's digit limit, a shape web3 cannot format
            log.debug("unreadable answer from the node: %s", type(exc).__name__)
            raise NetworkError(
                f"The node at {where} sent an answer Warden cannot read while {what}.",
                hint=checks.HOSTILE_HINT,
            ) from None

    def run(self, what: str, fn: Callable[[], T]) -> T:
        with self.guard(what):
            return fn()

    def read_chain_id(self) -> int:
        raw = self.run("reading its chain id", lambda: self.w3.eth.chain_id)
        return checks.quantity(
            raw, where=self.where, what="its chain id", low=1, high=checks.UINT64_MAX
        )

    def check_chain_id(self) -> None:
        actual = self.read_chain_id()
        if actual != self.chain_id:
            self.mismatch(actual)

    def mismatch(self, actual: int) -> None:
        raise ChainMismatch(
            f"The node at {self.where} serves chain {actual}, "
            f"but {self.name} is configured as chain {self.chain_id}."
        )

    # --- reads -------------------------------------------------------------------------------

    def block_number(self) -> int:
        raw = self.run("reading the latest block", lambda: self.w3.eth.block_number)
        return checks.quantity(
            raw, where=self.where, what="the latest block", high=checks.BLOCK_MAX
        )

    def balance(self, address: str, block: int | str = "latest") -> int:
        """The balance at ``block``; a past block needs a node that keeps past state."""
        raw = self.run(
            "reading a balance",
            lambda: self.w3.eth.get_balance(address, block),  # type: ignore[arg-type]
        )
        return checks.quantity(raw, where=self.where, what="a balance")

    def nonce(self, address: str, block: int | str = "pending") -> int:
        raw = self.run(
            "reading the account's nonce",
            lambda: self.w3.eth.get_transaction_count(address, block),  # type: ignore[arg-type]
        )
        return checks.quantity(
            raw, where=self.where, what="the account's nonce", high=checks.UINT64_MAX
        )

    def fees(self) -> Fees:
        """EIP-1559 fees from the node: twice the base fee plus the suggested tip."""
        block = self.block("latest")
        base = int(block.get("baseFeePerGas") or 0)  # checked by rpc_checks.check_block
        raw: Any
        try:
            raw = self.run("reading the priority fee", lambda: self.w3.eth.max_priority_fee)
        except NetworkError:
            if not base:
                raise
            raw = DEFAULT_TIP_WEI
        tip = checks.quantity(
            raw, where=self.where, what="the priority fee", high=checks.FEE_PER_GAS_MAX
        )
        return Fees(
            max_fee_per_gas=2 * base + tip, max_priority_fee_per_gas=tip, base_fee_per_gas=base
        )

    def estimate_gas(self, tx: dict[str, Any]) -> int:
        raw = self.run("estimating gas", lambda: self.w3.eth.estimate_gas(tx))  # type: ignore[arg-type]
        return checks.quantity(
            raw, where=self.where, what="the gas estimate", low=1, high=checks.GAS_MAX
        )

    def call(self, tx: dict[str, Any]) -> bytes:
        raw = self.run("calling a contract", lambda: self.w3.eth.call(tx))  # type: ignore[arg-type]
        return checks.data(raw, where=self.where, what="a contract call")

    def send_raw(self, raw: bytes) -> str:
        """Broadcast. A node that refuses the transaction raises TransactionFailed; a node that
        cannot be reached raises NetworkError (the transaction may or may not have arrived)."""
        with self.guard("broadcasting the transaction"):
            try:
                answer = self.w3.eth.send_raw_transaction(raw)
            except (Web3RPCError, ContractLogicError, EvmValidationError) as exc:
                raise TransactionFailed(
                    f"The node refused the transaction: {node_message(exc)}",
                    hint="Nothing was sent. Check the amount and the fee, then try again.",
                ) from None
        tx_hash = checks.data(
            answer, where=self.where, what="the transaction hash", size=checks.HASH_BYTES
        )
        return "0x" + tx_hash.hex()

    def receipt(self, tx_hash: str) -> dict[str, Any] | None:
        try:
            with self.guard("reading a receipt"):
                raw = self.w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
        except TransactionNotFound:
            return None
        return checks.check_receipt(
            checks.record(raw, where=self.where, what="a receipt"), self.where
        )

    def transaction(self, tx_hash: str) -> dict[str, Any] | None:
        try:
            with self.guard("reading a transaction"):
                raw = self.w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
        except TransactionNotFound:
            return None
        what = "a transaction"
        return checks.check_transaction(
            checks.record(raw, where=self.where, what=what), self.where, what
        )

    def block(self, number: int | str, *, full: bool = False) -> dict[str, Any]:
        what = "the latest block" if number == "latest" else f"block {number}"
        raw = self.run(f"reading {what}", lambda: self.w3.eth.get_block(number, full))  # type: ignore[arg-type]
        return checks.check_block(
            checks.record(raw, where=self.where, what=what), where=self.where, what=what
        )

    def request(self, method: str, params: list[Any], what: str) -> Any:
        """A JSON-RPC call web3 has no method for (traces), under the same deadline, size cap
        and error handling; the caller checks the result with ``rpc_checks``."""
        return self.run(what, lambda: self.w3.manager.request_blocking(method, params))  # type: ignore[arg-type]

    def logs(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        raw = self.run("reading logs", lambda: self.w3.eth.get_logs(params))  # type: ignore[arg-type]
        entries = checks.records(raw, where=self.where, what="the logs")
        return [checks.check_log(e, self.where) for e in entries]


def node_message(exc: BaseException) -> str:
    """The node's (or the EVM's) own words about a failure, as quoted, inert data."""
    response = getattr(exc, "rpc_response", None)
    if isinstance(response, dict) and isinstance(response.get("error"), dict):
        return checks.quote_node_text(response["error"].get("message"))
    message = getattr(exc, "message", None)
    if isinstance(message, str):
        return checks.quote_node_text(message)
    arg = exc.args[0] if exc.args else exc
    if isinstance(arg, dict) and "message" in arg:
        return checks.quote_node_text(arg["message"])
    return checks.quote_node_text(str(arg))


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else f"{n:,} bytes"
