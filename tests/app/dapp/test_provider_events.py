"""wallet_addEthereumChain through the user's yes, and accountsChanged / chainChanged pushed
over the WebSocket to the paired sockets that watch a page's origin. Real anvil, store,
review and aiohttp server; the user's answers are ScriptedApproval's (harness.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from app.dapp.permissions import Permissions
from app.wallet import networks
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
L2: dict[str, Any] = {
    "chainId": "0x1a4",
    "chainName": "Test L2",
    "rpcUrls": ["https://rpc.test-l2.example"],
    "nativeCurrency": {"name": "Ether", "symbol": "ETH", "decimals": 18},
}


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


def _watch(running: RunningServer, origin: str = ORIGIN, token: str | None = None) -> Any:
    ws = connect(f"ws://127.0.0.1:{running.port}/ws?token={token or running.token}")
    ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "warden_watch", "origin": origin}))
    assert json.loads(ws.recv(timeout=30)) == {"jsonrpc": "2.0", "id": 1, "result": True}
    return ws


def _event(ws: ClientConnection) -> tuple[str, str, Any]:
    msg = json.loads(ws.recv(timeout=30))
    assert msg["method"] == "warden_event", msg
    p = msg["params"]
    return p["origin"], p["event"], p["data"]


def _next_is_answer(ws: Any) -> None:
    """No event is waiting: the next message is the answer to a request sent now (an event
    pushed earlier would have been queued before it)."""
    ws.send(json.dumps({"jsonrpc": "2.0", "id": 99, "method": "eth_chainId"}))
    assert json.loads(ws.recv(timeout=30))["id"] == 99


def _names(running: RunningServer) -> dict[str, int]:
    with running.server.provider.store.session() as s:
        return {n.name: n.chain_id for n in networks.list_networks(s)}


def test_adding_a_chain_asks_the_user_adds_it_and_tells_the_page(
    running: RunningServer, approval: ScriptedApproval
) -> None:
    assert running.call("wallet_addEthereumChain", L2)["error"]["code"] == 4100  # not connected
    assert running.call("eth_requestAccounts")["result"] == [ADDR0]
    with _watch(running) as ws, _watch(running, "https://other.example") as other:
        approval.allow_add = False
        assert running.call("wallet_addEthereumChain", L2)["error"]["code"] == 4001
        assert "Test L2" not in _names(running)
        approval.allow_add = True
        assert running.call("wallet_addEthereumChain", L2) == {
            "jsonrpc": "2.0",
            "id": 1,
            "result": None,
        }
        assert approval.added[-1] == (ORIGIN, 0x1A4, "Test L2", L2["rpcUrls"][0], "ETH")
        assert _names(running)["Test L2"] == 0x1A4
        assert _event(ws) == (ORIGIN, "chainChanged", "0x1a4")
        assert running.call("eth_chainId")["result"] == "0x1a4"
        # A chain the user has is a switch, not a second add
        asked = len(approval.added)
        assert (
            running.call("wallet_addEthereumChain", dict(L2, chainId=hex(31337)))["result"] is None
        )
        assert len(approval.added) == asked
        assert _event(ws) == (ORIGIN, "chainChanged", hex(31337))
        _next_is_answer(other)  # another origin hears nothing of this one


@pytest.mark.parametrize(
    "change",
    [
        {"chainName": "Anvil", "chainId": "0x1a5"},  # would re-point the user's network
        {"rpcUrls": ["http://rpc.example"]},  # plain http off this computer
        {"rpcUrls": ["https://user:pw@rpc.example"]},
        {"chainName": "x" * 65},
        {"chainName": "bad\nname"},
        {"nativeCurrency": {"symbol": "<script>"}},
        {"chainId": "0x0"},
        {"chainId": "0xzz"},
        {"rpcUrls": []},
    ],
)
def test_a_malformed_or_hijacking_chain_is_refused_before_asking(
    running: RunningServer, approval: ScriptedApproval, change: dict[str, Any]
) -> None:
    running.call("eth_requestAccounts")
    before = _names(running)
    answer = running.call("wallet_addEthereumChain", dict(L2, **change))
    assert answer["error"]["code"] == -32602, answer
    assert approval.added == []
    assert _names(running) == before


def test_accounts_changed_is_pushed_on_connect_limit_and_revoke(running: RunningServer) -> None:
    provider = running.server.provider
    with _watch(running) as ws:
        assert running.call("eth_requestAccounts")["result"] == [ADDR0]
        assert _event(ws) == (ORIGIN, "accountsChanged", [ADDR0])
        # The user limits or revokes it in Settings (ui/ops/dapp.py calls this)
        Permissions(provider.store).revoke(ORIGIN)
        provider.permissions_changed(ORIGIN)
        assert _event(ws) == (ORIGIN, "accountsChanged", [])
        running.call("eth_requestAccounts")
        assert _event(ws)[2] == [ADDR0]
        assert running.call("wallet_revokePermissions", {"eth_accounts": {}})["result"] is None
        assert _event(ws) == (ORIGIN, "accountsChanged", [])


def test_an_unpaired_socket_cannot_watch_an_origin(running: RunningServer) -> None:
    with connect(f"ws://127.0.0.1:{running.port}/ws") as ws:
        ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "warden_watch", "origin": ORIGIN}))
        assert json.loads(ws.recv(timeout=30))["error"]["code"] == 4100
        running.call("eth_requestAccounts")
        _next_is_answer(ws)
    with _watch(running, ORIGIN) as ws:
        ws.send(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "warden_watch", "origin": "null"}))
        assert json.loads(ws.recv(timeout=30))["error"]["code"] == -32600
