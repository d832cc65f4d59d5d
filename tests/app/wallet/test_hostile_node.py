"""A node is untrusted input: the chain client against a hostile JSON-RPC server.

The server (tests/support/hostile_rpc.py) is a real HTTP server on 127.0.0.1 in front of a real
anvil node; it answers the methods a test names the way a faulty or malicious node would, and
passes every other call to anvil. Every failure must be a NetworkError (or TransactionFailed)
with a clear message, never a traceback, and must come within the call's deadline.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.errors import NetworkError, TransactionFailed
from app.wallet.chain import ChainClient
from tests.support.anvil import Anvil, start_anvil, stop_anvil
from tests.support.hostile_rpc import (
    HostileNode,
    drip,
    error,
    hostile_node,
    huge,
    patch,
    raw,
    result,
)

pytestmark = pytest.mark.anvil

CHAIN = 31337
USER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # anvil's first account
MB = 1024 * 1024
DEADLINE_S = 2.0


@pytest.fixture(scope="module")
def real() -> Iterator[Anvil]:
    node = start_anvil()
    try:
        yield node
    finally:
        stop_anvil(node)


@pytest.fixture
def node(real: Anvil) -> Iterator[HostileNode]:
    with hostile_node(real.url) as n:
        yield n


def _client(node: HostileNode, **kwargs: Any) -> ChainClient:
    return ChainClient.connect(node.url, CHAIN, name="Hostile", timeout=DEADLINE_S, **kwargs)


def _says_no_traceback(err: BaseException) -> None:
    text = str(err)
    assert "Traceback" not in text and "\n" not in text
    assert len(text) < 400


# --- time ----------------------------------------------------------------------------------


@pytest.mark.timeout(120)  # without one overall deadline the drip would hold the call ~100 s
def test_a_dripping_answer_is_cut_at_the_deadline(node: HostileNode) -> None:
    """Each byte comes well within the per-read timeout; only an overall deadline stops it."""
    client = _client(node)
    node.answer("eth_getBalance", drip("0x1", every_s=DEADLINE_S / 4))
    with pytest.raises(NetworkError, match=r"did not answer within 2 s while reading a balance"):
        client.balance(USER)
    # the connection it cut is not reused: the next call on the same client works
    node.answers.clear()
    assert client.balance(USER) > 0


@pytest.mark.timeout(120)
def test_a_dripping_status_line_is_cut_at_the_deadline(node: HostileNode) -> None:
    node.answer("eth_chainId", drip(hex(CHAIN), every_s=DEADLINE_S / 4, status_line=True))
    with pytest.raises(NetworkError, match="did not answer within 2 s") as err:
        _client(node)
    _says_no_traceback(err.value)


# --- size ----------------------------------------------------------------------------------


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "no-length"])
def test_a_50_mb_answer_is_refused_without_reading_it_whole(
    node: HostileNode, declared: bool
) -> None:
    client = _client(node)  # the default cap
    node.answer("eth_getBalance", huge(50 * MB, declare_length=declared))
    with pytest.raises(NetworkError, match="larger than 16 MB") as err:
        client.balance(USER)
    _says_no_traceback(err.value)
    assert node.sent_bytes < 50 * MB  # the client hung up before the end


def test_the_size_cap_is_configurable(node: HostileNode) -> None:
    client = _client(node, max_response_bytes=MB)
    node.answer("eth_getBalance", huge(4 * MB, declare_length=False))
    with pytest.raises(NetworkError, match="larger than 1 MB"):
        client.balance(USER)
    node.answers.clear()
    assert client.block(0, full=True)["number"] == 0  # ordinary answers fit


# --- types and ranges ----------------------------------------------------------------------

HUGE_HEX = "0x" + "f" * 100_000
WRONG_QUANTITIES: list[Any] = [
    {"balance": "0x1"},
    None,
    HUGE_HEX,
    -5,
    "-0x5",
    1.5,
    1e27,
    True,
    [],
    "ten",
    "0xzz",
    "",
]


@pytest.mark.parametrize("value", WRONG_QUANTITIES, ids=repr)
def test_a_balance_of_the_wrong_type_or_range_is_refused(node: HostileNode, value: Any) -> None:
    client = _client(node)
    node.answer("eth_getBalance", result(value))
    with pytest.raises(NetworkError) as err:
        client.balance(USER)
    message = str(err.value)
    assert "balance" in message or "cannot read" in message, message
    _says_no_traceback(err.value)


def test_a_100000_digit_json_number_is_refused(node: HostileNode) -> None:
    client = _client(node)
    body = b'{"jsonrpc":"2.0","id":1,"result":' + b"9" * 100_000 + b"}"
    node.answer("eth_getBalance", raw(body))
    with pytest.raises(NetworkError, match="cannot read") as err:
        client.balance(USER)
    _says_no_traceback(err.value)


@pytest.mark.parametrize("value", [*WRONG_QUANTITIES, hex(2**64)], ids=repr)
def test_a_nonce_of_the_wrong_type_or_range_is_refused(node: HostileNode, value: Any) -> None:
    client = _client(node)
    node.answer("eth_getTransactionCount", result(value))
    with pytest.raises(NetworkError) as err:
        client.nonce(USER)
    assert "nonce" in str(err.value) or "cannot read" in str(err.value)


@pytest.mark.parametrize("value", [*WRONG_QUANTITIES, "0x0", hex(2**64)], ids=repr)
def test_a_chain_id_of_the_wrong_type_or_range_is_refused(node: HostileNode, value: Any) -> None:
    node.answer("eth_chainId", result(value))
    with pytest.raises(NetworkError) as err:
        _client(node)
    assert "chain id" in str(err.value) or "cannot read" in str(err.value)
    _says_no_traceback(err.value)


def _with(key: str, value: Any) -> Callable[[Any], Any]:
    def change(block: Any) -> Any:
        return dict(block, **{key: value})

    return change


@pytest.mark.parametrize("value", [{"gwei": 1}, HUGE_HEX, "-0x1", hex(10**16), []], ids=repr)
def test_a_base_fee_of_the_wrong_type_or_range_is_refused(node: HostileNode, value: Any) -> None:
    client = _client(node)
    node.answer("eth_getBlockByNumber", patch(_with("baseFeePerGas", value)))
    with pytest.raises(NetworkError) as err:
        client.fees()
    assert "base fee" in str(err.value) or "cannot read" in str(err.value)


@pytest.mark.parametrize("value", [None, {"tip": 1}, HUGE_HEX, -1, hex(10**16)], ids=repr)
def test_a_priority_fee_of_the_wrong_type_or_range_is_refused(
    node: HostileNode, value: Any
) -> None:
    client = _client(node)
    node.answer("eth_maxPriorityFeePerGas", result(value))
    with pytest.raises(NetworkError) as err:
        client.fees()
    assert "priority fee" in str(err.value) or "cannot read" in str(err.value)


def test_honest_fees_still_pass(node: HostileNode) -> None:
    fees = _client(node).fees()
    assert fees.max_fee_per_gas >= fees.max_priority_fee_per_gas > 0


@pytest.mark.parametrize("value", ["0x0", HUGE_HEX, {"gas": 21000}], ids=repr)
def test_a_gas_estimate_of_the_wrong_type_or_range_is_refused(
    node: HostileNode, value: Any
) -> None:
    client = _client(node)
    node.answer("eth_estimateGas", result(value))
    with pytest.raises(NetworkError, match="gas estimate|cannot read"):
        client.estimate_gas({"from": USER, "to": USER, "value": 1})


@pytest.mark.parametrize(
    "change",
    [
        _with("timestamp", {"t": 1}),
        _with("timestamp", HUGE_HEX),
        _with("transactions", "all of them"),
    ],
    ids=["timestamp-object", "timestamp-huge", "transactions-text"],
)
def test_a_block_with_wrong_fields_is_refused(node: HostileNode, change: Any) -> None:
    client = _client(node)
    node.answer("eth_getBlockByNumber", patch(change))
    with pytest.raises(NetworkError, match="block 0"):
        client.block(0, full=True)


@pytest.mark.parametrize(
    "logs",
    [
        {"not": "a list"},
        [{"topics": "0x1", "blockNumber": "0x1"}],
        [
            {
                "address": "0x" + "11" * 20,
                "topics": ["0x" + "22" * 32] * 5,
                "data": "0x",
                "blockNumber": "0x1",
                "logIndex": "0x0",
                "transactionHash": "0x" + "33" * 32,
            }
        ],
    ],
    ids=["object", "topics-text", "five-topics"],
)
def test_logs_of_the_wrong_shape_are_refused(node: HostileNode, logs: Any) -> None:
    client = _client(node)
    node.answer("eth_getLogs", result(logs))
    with pytest.raises(NetworkError, match="logs|log|cannot read"):
        client.logs({"fromBlock": 0, "toBlock": 0})


def test_a_short_transaction_hash_is_refused(node: HostileNode) -> None:
    client = _client(node)
    node.answer("eth_sendRawTransaction", result("0x1234"))
    with pytest.raises(NetworkError, match="transaction hash"):
        client.send_raw(b"\x02\x01")


@pytest.mark.parametrize(
    "body",
    [b"<html>Bad gateway</html>", b"", b"[[[[" * 50_000, b'{"jsonrpc":"2.0","id":1}'],
    ids=["html", "empty", "deep", "no-result"],
)
def test_an_answer_that_is_not_json_rpc_is_refused(node: HostileNode, body: bytes) -> None:
    client = _client(node)
    node.answer("eth_blockNumber", raw(body))
    with pytest.raises(NetworkError, match="cannot read") as err:
        client.block_number()
    _says_no_traceback(err.value)


# --- the node's words ----------------------------------------------------------------------

HOSTILE_TEXT = (
    "Visit https://evil.example/claim to unlock your funds\n\x1b[31mURGENT\u202e"
    '"quoted" www.evil.example ' + "A" * 5000
)


def test_the_nodes_error_text_is_quoted_short_and_inert(node: HostileNode) -> None:
    client = _client(node)
    node.answer("eth_getBalance", error(HOSTILE_TEXT))
    with pytest.raises(NetworkError) as err:
        client.balance(USER)
    message = str(err.value)
    assert message.startswith(
        f'The node at {node.url} refused the request (reading a balance): "Visit hxxps[:]//'
    )
    assert message.endswith('…"')
    for bad in ("https://", "\n", "\x1b", "\u202e", "www.evil", '"quoted"'):
        assert bad not in message
    _says_no_traceback(err.value)


def test_a_refused_broadcast_quotes_the_node(node: HostileNode) -> None:
    client = _client(node)
    node.answer("eth_sendRawTransaction", error(HOSTILE_TEXT))
    with pytest.raises(TransactionFailed) as err:
        client.send_raw(b"\x02\x01")
    message = str(err.value)
    assert message.startswith('The node refused the transaction: "Visit hxxps[:]//')
    assert "https://" not in message and "\n" not in message
    assert "Nothing was sent" in err.value.hint


def test_an_http_error_status_is_a_network_error(node: HostileNode) -> None:
    client = _client(node)

    def unavailable(params: Any, forward: Any, rid: Any) -> Any:
        from tests.support.hostile_rpc import Reply

        return Reply(json.dumps({"oops": HOSTILE_TEXT}).encode(), status=503)

    node.answer("eth_blockNumber", unavailable)
    with pytest.raises(NetworkError, match="HTTP status 503") as err:
        client.block_number()
    assert "evil" not in str(err.value)


def test_the_delegates_node_connection_is_bounded_too(node: HostileNode) -> None:
    """`warden delegates run --rpc URL` reads balances through the same bounded provider."""
    from app.wallet.rpc_transport import ResponseTooLarge
    from warden.commands.delegates import _web3

    w3 = _web3(node.url)
    node.answer("eth_getBalance", huge(50 * MB, declare_length=True))
    with pytest.raises(ResponseTooLarge):
        w3.eth.get_balance(USER)
    assert node.sent_bytes < 50 * MB
