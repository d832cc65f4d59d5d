"""Events from a real chain: py-evm in process (web3's EthereumTesterProvider)."""

from __future__ import annotations

import pytest
from web3 import Web3
from web3.providers.eth_tester import EthereumTesterProvider

from app.errors import NetworkError
from app.events import block_did_arrive, transfer_did_arrive
from delegates.runtime.runner import Runner
from delegates.runtime.runtime import DelegateRuntime
from delegates.runtime.watcher import ChainWatcher
from tests.delegates.runtime.clock import ManualScheduler
from tests.delegates.runtime.helpers import make_registry


@pytest.fixture
def w3() -> Web3:
    return Web3(EthereumTesterProvider())


def test_a_new_block_and_an_incoming_transfer_fire_events(w3, db, bus, notifier) -> None:
    reg, state = make_registry()
    runtime = DelegateRuntime(Runner(reg, db, bus, notifier), scheduler=ManualScheduler())
    runtime.start()
    sender, me = w3.eth.accounts[0], w3.eth.accounts[1]
    transfers: list[transfer_did_arrive] = []
    bus.subscribe(transfer_did_arrive, transfers.append)
    watcher = ChainWatcher(w3, bus, [me])
    try:
        assert watcher.poll_once() == 0  # the first poll only notes where the chain is
        tx = w3.eth.send_transaction({"from": sender, "to": me, "value": 12345})
        receipt = w3.eth.wait_for_transaction_receipt(tx)
        assert watcher.poll_once() == 1
        runs = runtime.wait_idle()
        assert [r.outcome for r in runs] == ["ok"]
        assert state["blocks"] == [receipt["blockNumber"]]
        assert len(transfers) == 1
        t = transfers[0]
        assert (t.account, t.sender, t.amount, t.token) == (me, sender, 12345, None)
        assert t.tx_hash == "0x" + bytes(tx).hex()
        assert watcher.poll_once() == 0  # nothing new: nothing announced twice
        assert len(transfers) == 1
    finally:
        runtime.stop()


def test_watcher_backs_off_when_the_node_fails(bus) -> None:
    # A real connection refusal: nothing listens on port 9 of this machine.
    dead = Web3(Web3.HTTPProvider("http://127.0.0.1:9", request_kwargs={"timeout": 2}))
    watcher = ChainWatcher(dead, bus, [], poll_s=2.0, max_backoff_s=10.0)
    delays = []
    for _ in range(4):
        with pytest.raises(NetworkError):
            watcher.poll_once()
        delays.append(watcher.delay_s)
    assert delays == [4.0, 8.0, 10.0, 10.0]
    blocks: list[block_did_arrive] = []
    bus.subscribe(block_did_arrive, blocks.append)
    watcher.w3 = Web3(EthereumTesterProvider())  # the node comes back
    watcher.poll_once()
    assert watcher.delay_s == 2.0 and watcher.failures == 0
