"""A page never learns whether Warden is locked before it is connected: the socket answers
while locked, and a site that is not connected gets byte for byte what it gets unlocked.

All real: anvil, the encrypted store, the review, the aiohttp server on loopback, plain HTTP.
The user's clicks are played by ScriptedApproval (harness.py); "unlocking" is attaching a
provider over the open store, as the app does after the password."""

from __future__ import annotations

import json
import socket as sockets
import stat
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.dapp.host import ProviderHost
from app.dapp.listener import ProviderSocket, SocketRecord, read_record, write_record
from app.dapp.permissions import Permissions
from app.dapp.server import TOKEN_HEADER, token_digest
from app.store import Store
from tests.app.dapp.harness import ORIGIN, ScriptedApproval, make_provider, make_store
from tests.support.anvil import Anvil

pytestmark = pytest.mark.anvil

ADDR0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
OTHER = "https://other.example"
TX = {"from": ADDR0, "to": ADDR0, "value": "0x1"}
# What a page may send while it is not connected; each answer must not depend on the lock.
PROBES: list[tuple[str, list[Any]]] = [
    ("eth_chainId", []),
    ("net_version", []),
    ("eth_accounts", []),
    ("wallet_getPermissions", []),
    ("eth_sendTransaction", [TX]),
    ("eth_sendTransaction", ["not a transaction"]),
    ("personal_sign", ["0x68656c6c6f", ADDR0]),
    ("personal_sign", []),
    ("wallet_switchEthereumChain", [{"chainId": "0x1"}]),
    ("wallet_revokePermissions", [{"eth_accounts": {}}]),
    ("eth_blockNumber", []),
    ("eth_getBalance", [ADDR0, "latest"]),
    ("eth_sign", [ADDR0, "0x00"]),
    ("no_such_method", []),
]


def _free_port() -> int:
    with sockets.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _raw(port: int, method: str, params: list[Any], token: str | None, origin: str) -> bytes:
    """The answer's bytes, status included (an HTTP error is an answer too)."""
    body = {"jsonrpc": "2.0", "id": 7, "method": method, "params": params, "origin": origin}
    headers = {"Content-Type": "application/json", "Origin": origin}
    if token is not None:
        headers[TOKEN_HEADER] = token
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/", json.dumps(body).encode(), headers, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - loopback only
            return f"{resp.status} ".encode() + resp.read()
    except urllib.error.HTTPError as exc:
        return f"{exc.code} ".encode() + exc.read()


def _call(port: int, method: str, *params: Any, token: str | None, origin: str = ORIGIN) -> Any:
    return json.loads(_raw(port, method, list(params), token, origin).split(b" ", 1)[1])


class Wallet:
    """One store, and a fresh provider session per unlock (as the app makes per unlock)."""

    def __init__(self, store: Store, anvil: Anvil, approval: ScriptedApproval) -> None:
        self.store, self.anvil, self.approval = store, anvil, approval
        self.token = Permissions(store).pairing_token()
        self.host: ProviderHost | None = None

    def unlock(self, socket: ProviderSocket, port: int = 0) -> int:
        self.host = ProviderHost(
            lambda a: make_provider(self.store, self.anvil, a), lambda: self.token, lambda: port
        )
        return self.host.start(self.approval, socket)

    def lock(self) -> None:
        if self.host is not None:
            self.host.stop()


@pytest.fixture
def wallet(tmp_path: Path, anvil: Anvil) -> Iterator[Wallet]:
    store = make_store(tmp_path / "store", anvil)
    try:
        yield Wallet(store, anvil, ScriptedApproval())
    finally:
        store.close()


@pytest.fixture
def socket(tmp_path: Path) -> Iterator[ProviderSocket]:
    sock = ProviderSocket(tmp_path / "config" / "dapp-provider.json", unlock_wait_s=60)
    try:
        yield sock
    finally:
        sock.close()


def _answers(port: int, token: str | None) -> list[bytes]:
    return [_raw(port, m, p, token, ORIGIN) for m, p in PROBES]


def test_an_origin_that_is_not_connected_gets_the_same_bytes_locked_and_unlocked(
    wallet: Wallet, socket: ProviderSocket
) -> None:
    port = wallet.unlock(socket)
    _call(port, "eth_requestAccounts", token=wallet.token, origin=OTHER)  # another site is
    unlocked = {token: _answers(port, token) for token in (wallet.token, None)}
    assert json.loads(unlocked[wallet.token][2].split(b" ", 1)[1])["result"] == []
    wallet.lock()
    assert socket.port == port  # the port still answers while locked
    locked = {token: _answers(port, token) for token in (wallet.token, None)}
    for token in (wallet.token, None):
        for (method, _params), was, now in zip(PROBES, unlocked[token], locked[token], strict=True):
            assert now == was, (method, token is not None)
    # and the same again after unlocking
    assert wallet.unlock(socket) == port
    assert _answers(port, wallet.token) == unlocked[wallet.token]


def test_a_connected_origin_sees_no_account_while_locked_and_its_accounts_after(
    wallet: Wallet, socket: ProviderSocket
) -> None:
    port = wallet.unlock(socket)
    assert _call(port, "eth_requestAccounts", token=wallet.token)["result"] == [ADDR0]
    wallet.lock()
    assert _call(port, "eth_accounts", token=wallet.token)["result"] == []
    assert _call(port, "eth_sendTransaction", TX, token=wallet.token)["error"]["code"] == 4100
    wallet.unlock(socket)
    assert _call(port, "eth_accounts", token=wallet.token)["result"] == [ADDR0]


def test_a_connect_request_while_locked_asks_to_unlock_then_shows_the_prompt(
    wallet: Wallet, socket: ProviderSocket
) -> None:
    port = wallet.unlock(socket)
    wallet.lock()
    woken = threading.Event()
    socket.on_locked_request = woken.set
    out: dict[str, Any] = {}
    asking = threading.Thread(
        target=lambda: out.setdefault(
            "answer", _call(port, "eth_requestAccounts", token=wallet.token)
        ),
        daemon=True,
    )
    asking.start()
    assert woken.wait(60)
    assert "answer" not in out and wallet.approval.connects == []  # waits for the unlock
    wallet.unlock(socket)
    asking.join(60)
    assert out["answer"]["result"] == [ADDR0]
    assert wallet.approval.connects == [(ORIGIN, None)]  # the usual connect prompt, once


def test_a_connect_request_while_locked_that_is_never_unlocked_is_a_dismissed_prompt(
    wallet: Wallet, tmp_path: Path
) -> None:
    socket = ProviderSocket(tmp_path / "record.json", unlock_wait_s=0.2)
    try:
        port = wallet.unlock(socket)
        wallet.lock()
        answer = _call(port, "eth_requestAccounts", token=wallet.token)
        assert answer["error"]["code"] == 4001  # as if the user closed the connect prompt
    finally:
        socket.close()


def test_after_a_restart_the_locked_socket_pairs_and_answers_from_its_record(
    wallet: Wallet, socket: ProviderSocket, tmp_path: Path
) -> None:
    port = wallet.unlock(socket)
    unlocked = _answers(port, wallet.token)
    wallet.lock()
    socket.close()
    record_path = tmp_path / "config" / "dapp-provider.json"
    text = record_path.read_text()
    assert wallet.token not in text  # only the token's digest is kept outside the store
    assert stat.S_IMODE(record_path.stat().st_mode) == 0o600
    record = read_record(record_path)
    assert record == SocketRecord(port, wallet.anvil.chain_id, token_digest(wallet.token))
    restarted = ProviderSocket(record_path)
    try:
        assert restarted.open() == port
        assert _answers(port, wallet.token) == unlocked
    finally:
        restarted.close()


def test_before_any_unlock_the_socket_answers_the_default_chain_and_pairs_nobody(
    tmp_path: Path,
) -> None:
    record_path = tmp_path / "dapp-provider.json"
    port = _free_port()
    write_record(record_path, SocketRecord(port=port))  # as if only the port were known
    socket = ProviderSocket(record_path)
    try:
        assert socket.open() == port
        assert _call(port, "eth_chainId", token=None)["result"] == "0x1"
        assert _call(port, "net_version", token=None)["result"] == "1"
        answer = _call(port, "eth_accounts", token="some-token-of-some-length")
        assert answer["error"]["code"] == 4100
    finally:
        socket.close()


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"[]", b'{"port": "1248"}', b'{"port": 80, "chain_id": -1}', b"\xff" * 9000],
)
def test_an_unreadable_record_is_the_defaults(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "dapp-provider.json"
    path.write_bytes(content)
    assert read_record(path) == SocketRecord()


def test_a_renewed_token_is_written_to_an_existing_record_only(tmp_path: Path) -> None:
    from app.dapp.listener import record_token

    path = tmp_path / "dapp-provider.json"
    record_token(path, "new-token-" * 4)
    assert not path.exists()  # no record made by the CLI: the app writes it at unlock
    write_record(path, SocketRecord(port=1300, chain_id=10, token_sha256=token_digest("old")))
    record_token(path, "new-token-" * 4)
    assert read_record(path) == SocketRecord(1300, 10, token_digest("new-token-" * 4))
