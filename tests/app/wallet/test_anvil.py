"""The wallet against a real node over HTTP: anvil on 127.0.0.1, started by the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_account import Account as EthAccount
from web3 import Web3

from app.config import Paths
from app.errors import ChainMismatch
from app.store import Store
from app.wallet import accounts, history, requests, sender, tokens, transactions
from app.wallet.chain import ChainClient
from tests.app.wallet.conftest import ADDR0, PHRASE, FixedReviewer
from tests.support.anvil import ANVIL_KEYS, Anvil
from tests.support.erc20 import deploy_token

pytestmark = pytest.mark.anvil
TO = "0x000000000000000000000000000000000000dEaD"


def _store(tmp_path: Path) -> tuple[Store, Paths]:
    paths = Paths(tmp_path, tmp_path, tmp_path, tmp_path)
    store = Store.create(paths, "a long password", use_keyring=False)
    with store.session() as s:
        accounts.create_hd_wallet(s, PHRASE)
    return store, paths


def _send(
    store: Store, client: ChainClient, amount: str, wait: float = 10, **kw: object
) -> requests.Sent:
    built = transactions.build_transfer(client, ADDR0, TO, amount, **kw)  # type: ignore[arg-type]
    outcome = FixedReviewer().review(built.request())
    return requests.send_reviewed(store, client, built, outcome, wait_s=wait, poll_s=0.05)


def test_native_and_token_sends_confirm_and_history_scans(anvil: Anvil, tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    client = ChainClient.connect(anvil.url, anvil.chain_id, name="anvil", timeout=5)
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    other = w3.eth.accounts[1]
    token = deploy_token(w3, other, "Anvil Dollar", "aUSD", 6, 10**12)
    contract = w3.eth.contract(
        address=token,
        abi=[
            {
                "name": "transfer",
                "type": "function",
                "stateMutability": "nonpayable",
                "inputs": [{"name": "to", "type": "address"}, {"name": "v", "type": "uint256"}],
                "outputs": [{"name": "", "type": "bool"}],
            }
        ],
    )
    w3.eth.wait_for_transaction_receipt(
        contract.functions.transfer(ADDR0, 50 * 10**6).transact({"from": other})
    )
    try:
        with store.session() as s:
            info = tokens.add_token(s, client, token)
        native = _send(store, client, "0.5")
        erc = _send(store, client, "20", token=info)
        assert (native.status, erc.status) == ("confirmed", "confirmed")
        assert (native.nonce, erc.nonce) == (0, 1)
        assert client.balance(TO) == 5 * 10**17
        added = history.scan(store, client, [ADDR0])
        assert added == 1  # the incoming aUSD; both sends were already recorded
        rows = history.list_history(store, chain_id=anvil.chain_id)
        assert sorted((r.direction, r.token == token) for r in rows) == [
            ("in", True),
            ("out", False),
            ("out", True),
        ]
    finally:
        store.close()


def test_node_on_another_chain_is_refused(anvil: Anvil) -> None:
    with pytest.raises(ChainMismatch, match="serves chain 31337"):
        ChainClient.connect(anvil.url, 1, name="Ethereum", timeout=5)


def test_nonce_after_restart_and_replaced_transaction(anvil: Anvil, tmp_path: Path) -> None:
    store, paths = _store(tmp_path)
    client = ChainClient.connect(anvil.url, anvil.chain_id, timeout=5)
    anvil.automine(False)
    first = _send(store, client, "0.1", wait=0)
    assert first.status == "pending" and first.nonce == 0
    store.close()
    store = Store.open(paths, "a long password")  # a restart with a transaction in flight
    try:
        second = _send(store, client, "0.2", wait=0)
        assert second.nonce == 1 and second.status == "pending"
        # Replace the second one: same nonce, double the fees, sent outside Warden.
        tx = client.transaction(second.tx_hash)
        assert tx is not None
        replacement = EthAccount.sign_transaction(
            {
                "type": 2,
                "chainId": anvil.chain_id,
                "nonce": 1,
                "to": ADDR0,
                "value": 0,
                "gas": 21000,
                "maxFeePerGas": 2 * tx["maxFeePerGas"],
                "maxPriorityFeePerGas": 2 * tx["maxPriorityFeePerGas"],
            },
            ANVIL_KEYS[0],
        )
        client.send_raw(bytes(replacement.raw_transaction))
        anvil.mine()
        statuses = sender.refresh_pending(store, client)
        assert statuses == {first.tx_hash: "confirmed", second.tx_hash: "replaced"}
        rows = {r.tx_hash: r.status for r in history.list_history(store)}
        assert rows == statuses  # both kept, each with what became of it
        third = _send(store, client, "0.01", wait=0)
        assert third.nonce == 2
    finally:
        store.close()


def test_dropped_transaction_is_recorded_and_its_nonce_freed(anvil: Anvil, tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    client = ChainClient.connect(anvil.url, anvil.chain_id, timeout=5)
    anvil.automine(False)
    try:
        dropped = _send(store, client, "0.1", wait=0)
        anvil.rpc("anvil_dropTransaction", dropped.tx_hash)
        assert sender.refresh_pending(store, client) == {dropped.tx_hash: "dropped"}
        anvil.automine(True)
        again = _send(store, client, "0.15")
        assert again.status == "confirmed" and again.nonce == dropped.nonce
        assert {r.tx_hash: r.status for r in history.list_history(store)} == {
            dropped.tx_hash: "dropped",
            again.tx_hash: "confirmed",
        }
    finally:
        store.close()
