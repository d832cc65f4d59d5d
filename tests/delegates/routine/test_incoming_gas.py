"""Incoming watch and gas watch fed by the chain watcher, on py-evm and on anvil."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from web3 import Web3

from app.events import EventBus
from app.notify import Notifier, RecordingBackend
from app.store.schema import Account, BlocklistEntry, Contact, Transfer
from delegates.runtime.registry import REGISTRY
from delegates.runtime.runner import Runner
from delegates.runtime.runtime import DelegateRuntime
from delegates.runtime.watcher import ChainWatcher
from tests.delegates.runtime.clock import ManualScheduler


def start(db, w3, me, backend, only):
    bus = EventBus()
    runner = Runner(
        REGISTRY, db, bus, Notifier(backend, batch_window=0, max_per_minute=100), chain=w3
    )
    for name in REGISTRY.names():
        runner.set_enabled(name, name in only)
    runtime = DelegateRuntime(runner, scheduler=ManualScheduler())
    runtime.start()
    watcher = ChainWatcher(w3, bus, [me])
    watcher.poll_once()
    return runtime, watcher


def test_incoming_transfer_is_notified(w3, db, me) -> None:
    shown = RecordingBackend()
    runtime, watcher = start(db, w3, me, shown, {"incoming_watch"})
    try:
        w3.eth.send_transaction({"from": w3.eth.accounts[2], "to": me, "value": 5 * 10**17})
        watcher.poll_once()
        [run] = runtime.wait_idle()
        assert run.outcome == "ok" and run.output["poisoning"] is False
        assert [(n.title, n.kind) for n in shown.shown] == [("Incoming transfer", "transfer")]
        assert shown.shown[0].body.startswith("0.5 ETH from ")
    finally:
        runtime.stop()


def test_gas_watch_notifies_on_the_way_down_only(w3, db, me) -> None:
    shown = RecordingBackend()
    runtime, watcher = start(db, w3, me, shown, {"gas_watch"})
    try:
        runtime.runner.update_settings("gas_watch", {"threshold_gwei": 1000})
        for _ in range(2):
            w3.eth.send_transaction({"from": w3.eth.accounts[0], "to": me, "value": 1})
            watcher.poll_once()
            runtime.wait_idle()
        assert [n.title for n in shown.shown] == ["Gas is cheap"]  # two cheap blocks, one note
    finally:
        runtime.stop()


@pytest.mark.anvil
def test_address_poisoning_is_hidden_and_blocklisted_on_anvil(anvil, db) -> None:
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    me, friend = w3.eth.accounts[1], w3.eth.accounts[2]
    # The poisoner's vanity address: the friend's first and last five characters, a new middle.
    poisoner = Web3.to_checksum_address(friend[:7] + "0" * 30 + friend[-5:])
    anvil.rpc("anvil_impersonateAccount", poisoner)
    anvil.rpc("anvil_setBalance", poisoner, hex(10**18))
    with db.session() as s:
        s.add(Account(address=me, name="me", kind="imported"))
        s.add(Contact(address=friend, name="Friend"))
    shown = RecordingBackend()
    runtime, watcher = start(db, w3, me, shown, {"incoming_watch"})
    try:
        real = w3.eth.send_transaction({"from": friend, "to": me, "value": 10**18})
        # Dust (1 wei): the watcher keeps up by balance and nonce, so a send that moves
        # nothing at all leaves no trace it could find; a token poisoner's zero-value transfer
        # is a log, which it reads by range.
        fake = w3.eth.send_transaction({"from": poisoner, "to": me, "value": 1})
        w3.eth.wait_for_transaction_receipt(fake)
        watcher.poll_once()
        runs = {r.output["tx_hash"]: r.output for r in runtime.wait_idle()}
        assert runs["0x" + bytes(real).hex()]["poisoning"] is False
        caught = runs["0x" + bytes(fake).hex()]
        assert caught["poisoning"] is True and caught["lookalike_of"] == friend
        with db.session() as s:
            [row] = s.scalars(select(Transfer)).all()
            assert (row.sender, row.hidden) == (poisoner, True)
            assert s.get(BlocklistEntry, poisoner) is not None
            assert s.get(BlocklistEntry, friend) is None
        titles = sorted(n.title for n in shown.shown)
        assert titles == ["Address poisoning hidden", "Incoming transfer"]
    finally:
        runtime.stop()


def test_a_new_approval_and_a_danger_review_trigger_their_delegates(w3, db, me, token) -> None:
    from app.events import review_did_finish
    from app.wallet.demo import token_artifact

    shown = RecordingBackend()
    runtime, watcher = start(db, w3, me, shown, {"approval_hygiene", "danger_alert"})
    try:
        c = w3.eth.contract(address=token, abi=token_artifact()["abi"])
        c.functions.approve(w3.eth.accounts[3], 2**256 - 1).transact({"from": me})
        watcher.poll_once()  # the Approval log by the user's address -> approval_did_change
        [run] = runtime.wait_idle()
        assert run.delegate == "approval_hygiene" and run.outcome == "ok"
        assert run.output["allowances"][0]["spender"] == w3.eth.accounts[3]
        runtime.runner.bus.publish(review_did_finish("warn", ("W1",), "odd"))
        runtime.runner.bus.publish(review_did_finish("danger", ("D1", "D2"), "drainer"))
        [run] = runtime.wait_idle()
        assert run.output["codes"] == ["D1", "D2"]
        assert shown.shown[-1].title == "Dangerous request blocked" and shown.shown[-1].urgent
    finally:
        runtime.stop()
