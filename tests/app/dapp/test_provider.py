"""The provider over its real socket: a real anvil node, a real encrypted store, the real
review and aiohttp server. The user's clicks are played by ScriptedApproval (harness.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.store.schema import SignRequest
from tests.app.dapp.harness import (
    ORIGIN,
    RunningServer,
    ScriptedApproval,
    make_provider,
    make_store,
)
from tests.support.anvil import Anvil

pytestmark = pytest.mark.anvil

ADDR0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
FRESH = "0x000000000000000000000000000000000000dEaD"[:-4] + "bEEF"  # never used on anvil


@pytest.fixture
def approval() -> ScriptedApproval:
    return ScriptedApproval()


@pytest.fixture
def running(tmp_path: Path, anvil: Anvil, approval: ScriptedApproval) -> Iterator[RunningServer]:
    store = make_store(tmp_path / "store", anvil)
    server = RunningServer(make_provider(store, anvil, approval))
    try:
        yield server
    finally:
        server.stop()
        store.close()


def _code(answer: dict) -> int:
    assert "error" in answer, answer
    return int(answer["error"]["code"])


def test_an_unknown_origin_sees_no_account_and_cannot_sign(running: RunningServer) -> None:
    assert running.call("eth_accounts")["result"] == []
    assert running.call("wallet_getPermissions")["result"] == []
    tx = {"from": ADDR0, "to": ADDR0, "value": "0x1"}
    assert _code(running.call("eth_sendTransaction", tx)) == 4100
    assert _code(running.call("personal_sign", "0x68656c6c6f", ADDR0)) == 4100


def test_connect_names_the_origin_and_a_revoked_site_gets_4100(
    running: RunningServer, approval: ScriptedApproval
) -> None:
    assert running.call("eth_requestAccounts")["result"] == [ADDR0]
    assert approval.connects == [(ORIGIN, None)]
    assert running.call("eth_accounts")["result"] == [ADDR0]
    assert running.call("eth_accounts", origin="https://other.example")["result"] == []
    perms = running.call("wallet_getPermissions")["result"]
    assert perms[0]["parentCapability"] == "eth_accounts"
    running.call("wallet_revokePermissions", {"eth_accounts": {}})
    assert running.call("eth_accounts")["result"] == []
    assert _code(running.call("personal_sign", "0x68656c6c6f", ADDR0)) == 4100


def test_a_lookalike_origin_is_named_in_the_connect_prompt(
    running: RunningServer, approval: ScriptedApproval
) -> None:
    running.call("eth_requestAccounts", origin="https://uniswap.org")
    running.call("eth_requestAccounts", origin="https://uniswapp.org")
    assert approval.connects[1][0] == "https://uniswapp.org"
    assert approval.connects[1][1] is not None and "uniswap.org" in approval.connects[1][1]


def test_a_user_who_says_no_to_connecting_gives_4001(
    running: RunningServer, approval: ScriptedApproval
) -> None:
    approval.connect_all = False
    assert _code(running.call("eth_requestAccounts")) == 4001
    assert running.call("eth_accounts")["result"] == []


def test_without_the_pairing_token_only_the_chain_id_is_answered(running: RunningServer) -> None:
    assert running.call("eth_chainId", token=None)["result"] == hex(31337)
    assert running.call("net_version", token=None)["result"] == "31337"
    running.call("eth_requestAccounts")  # connected through the extension
    for token in (None, "wrong-token-of-some-length"):
        assert _code(running.call("eth_accounts", token=token)) == 4100
        assert _code(running.call("eth_requestAccounts", token=token)) == 4100
        assert _code(running.call("eth_blockNumber", token=token)) == 4100


def test_a_forged_host_header_is_refused(running: RunningServer) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}
    status, _ = running.post(body, headers={"Host": f"evil.example:{running.port}"})
    assert status == 403
    status, _ = running.post(body, headers={"Host": f"localhost:{running.port}"})
    assert status == 200


def test_hostile_bodies_are_refused_and_the_server_keeps_answering(running: RunningServer) -> None:
    status, answer = running.post(b"[" * 200_000 + b"]" * 200_000)
    assert status == 400 and answer["error"]["code"] == -32600
    status, answer = running.post(
        b'{"method": "eth_chainId", "params": [' + b" " * 2_000_000 + b"]}"
    )
    assert status == 413
    status, answer = running.post(b"not json")
    assert answer["error"]["code"] == -32700
    assert _code(running.call("eth_sign", ADDR0, "0x" + "11" * 32)) == 4200
    assert _code(running.call("wallet_doSomethingNew")) == 4200
    assert _code(running.call(None)) == -32600  # type: ignore[arg-type]
    assert running.call("eth_chainId")["result"] == hex(31337)


def test_a_thousand_request_burst_is_rate_limited_without_harming_the_app(
    running: RunningServer,
) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}
    statuses = [running.post(body, token=None)[0] for _ in range(1000)]
    assert statuses.count(429) > 0 and statuses.count(200) > 0
    # The paired extension is counted apart, and the server still answers it.
    running.call("eth_requestAccounts")
    assert running.call("eth_blockNumber")["result"].startswith("0x")


def test_read_only_calls_reach_the_node_and_unknown_chains_are_4902(
    running: RunningServer,
) -> None:
    # a site that is not connected reads nothing through Warden (whether it could would
    # tell it that Warden is unlocked)
    assert _code(running.call("eth_getBalance", ADDR0, "latest")) == 4100
    running.call("eth_requestAccounts")
    balance = running.call("eth_getBalance", ADDR0, "latest")["result"]
    assert int(balance, 16) > 0
    assert _code(running.call("wallet_switchEthereumChain", {"chainId": "0x999999"})) == 4902
    assert running.call("wallet_switchEthereumChain", {"chainId": hex(31337)})["result"] is None


def test_a_transaction_is_reviewed_with_the_origin_and_sent(
    running: RunningServer, approval: ScriptedApproval, anvil: Anvil
) -> None:
    running.call("eth_requestAccounts")
    tx = {
        "from": ADDR0.lower(),
        "to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "value": hex(10**15),
    }
    answer = running.call("eth_sendTransaction", tx)
    tx_hash = answer["result"]
    receipt = anvil.rpc("eth_getTransactionReceipt", tx_hash)
    assert receipt is not None and receipt["status"] == "0x1"
    (prompt,) = approval.prompts
    assert prompt.origin == ORIGIN and prompt.request["origin"] == ORIGIN
    with running.server.provider.store.session() as s:  # type: ignore[attr-defined]
        (row,) = s.scalars(select(SignRequest))
        assert (row.kind, row.status, row.source, row.tx["origin"]) == (
            "dapp",
            "sent",
            "dapp",
            ORIGIN,
        )


def test_a_rejected_danger_request_gets_4001_and_nothing_is_sent(
    running: RunningServer, approval: ScriptedApproval, anvil: Anvil
) -> None:
    """An unlimited approval to a fresh EOA: the review says danger, the user says no."""
    running.call("eth_requestAccounts")
    token = "0x5FbDB2315678afecb367f032d93F642f64180aa3"  # any address: the call is not sent
    data = "0x095ea7b3" + FRESH[2:].lower().rjust(64, "0") + "f" * 64
    answer = running.call(
        "eth_sendTransaction", {"from": ADDR0, "to": token, "data": data, "gas": "0x20000"}
    )
    assert _code(answer) == 4001
    assert approval.prompts[-1].review.verdict == "danger"
    assert int(anvil.rpc("eth_getTransactionCount", ADDR0, "pending"), 16) == 0
    with running.server.provider.store.session() as s:  # type: ignore[attr-defined]
        (row,) = s.scalars(select(SignRequest))
        assert row.status == "rejected" and row.raw is None


def test_personal_sign_and_a_permit_are_signed_once_by_the_connected_account(
    running: RunningServer, approval: ScriptedApproval
) -> None:
    from eth_account import Account
    from eth_account.messages import encode_defunct, encode_typed_data

    running.call("eth_requestAccounts")
    sig = running.call("personal_sign", "0x" + b"hello dapp".hex(), ADDR0)["result"]
    signer = Account.recover_message(encode_defunct(b"hello dapp"), signature=sig)
    assert signer == ADDR0
    # A permit to an EOA is danger: the user types the words this time.
    approval.approve, approval.type_danger = ("safe", "caution", "danger"), True
    permit = _permit(spender="0x70997970C51812dc3A010C7d01b50e0d17dc79C8", value=10**6)
    answer = running.call("eth_signTypedData_v4", ADDR0, _json(permit))
    assert "result" in answer, (answer, approval.prompts[-1].review)
    sig = answer["result"]
    assert Account.recover_message(encode_typed_data(full_message=permit), signature=sig) == ADDR0
    assert [p.kind for p in approval.prompts] == ["message", "message"]
    assert approval.prompts[1].review.verdict == "danger"
    assert approval.prompts[1].request["params"]["primaryType"] == "Permit"
    with running.server.provider.store.session() as s:  # type: ignore[attr-defined]
        rows = list(s.scalars(select(SignRequest)))
        assert [(r.kind, r.status) for r in rows] == [("dapp_message", "sent")] * 2


def _json(value: object) -> str:
    import json

    return json.dumps(value)


def _permit(spender: str, value: int) -> dict:
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Permit": [
                {"name": "owner", "type": "address"},
                {"name": "spender", "type": "address"},
                {"name": "value", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ],
        },
        "primaryType": "Permit",
        "domain": {
            "name": "Test Dollar",
            "version": "1",
            "chainId": 31337,
            "verifyingContract": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        },
        "message": {
            "owner": ADDR0,
            "spender": spender,
            "value": value,
            "nonce": 0,
            "deadline": 4102444800,
        },
    }


def test_the_websocket_answers_like_http_and_checks_host_and_token(running: RunningServer) -> None:
    from websockets.sync.client import connect

    url = f"ws://127.0.0.1:{running.port}/ws"
    with connect(f"{url}?token={running.token}") as ws:
        ws.send(
            '{"jsonrpc": "2.0", "id": 7, "method": "eth_accounts", "origin": "https://a.example"}'
        )
        assert json.loads(ws.recv(timeout=30)) == {"jsonrpc": "2.0", "id": 7, "result": []}
        ws.send("[" * 100_000)
        assert json.loads(ws.recv(timeout=30))["error"]["code"] == -32600
    with connect(url) as ws:  # no token: only the chain id
        ws.send(
            '{"jsonrpc": "2.0", "id": 1, "method": "eth_accounts", "origin": "https://a.example"}'
        )
        assert json.loads(ws.recv(timeout=30))["error"]["code"] == 4100
    # A page on a rebound DNS name: the upgrade is refused before any message.
    import socket

    with socket.create_connection(("127.0.0.1", running.port), timeout=30) as sock:
        sock.sendall(
            b"GET /ws HTTP/1.1\r\nHost: evil.example:%d\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            b"Sec-WebSocket-Version: 13\r\n\r\n" % running.port
        )
        assert sock.recv(64).startswith(b"HTTP/1.1 403")
