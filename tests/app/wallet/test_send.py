"""Building, the signing gate, sending and nonces, on the in-process EVM (eth-tester)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import Paths
from app.errors import InsufficientFunds, InvalidInput, ReviewRequired
from app.events import EventBus, transaction_did_confirm
from app.review_types import DANGER_CONFIRMATION
from app.store import Store
from app.store.schema import NonceState, SignRequest, Transfer
from app.wallet import accounts, balances, erc20, history, nonces, requests, tokens, transactions
from tests.app.wallet.conftest import ADDR1, PHRASE, Evm, FixedReviewer, fund

TO = "0x000000000000000000000000000000000000dEaD"


def test_native_send_confirms_and_is_recorded(store: Store, evm: Evm, wallet: str) -> None:
    built = transactions.build_transfer(evm.client, wallet, TO, "1.25")
    reviewer = FixedReviewer()
    outcome = reviewer.review(built.request())
    assert reviewer.seen[0]["params"]["value"] == hex(125 * 10**16)
    bus, confirmed = EventBus(), []
    bus.subscribe(transaction_did_confirm, confirmed.append)
    result = requests.send_reviewed(
        store, evm.client, built, outcome, bus=bus, wait_s=5, poll_s=0.05
    )
    assert result.status == "confirmed" and result.nonce == 0
    assert evm.client.balance(TO) == 125 * 10**16
    assert [e.tx_hash for e in confirmed] == [result.tx_hash]
    (row,) = history.list_history(store)
    assert (row.direction, row.recipient, row.amount, row.status) == (
        "out",
        TO,
        125 * 10**16,
        "confirmed",
    )
    # A scan afterwards finds the same transaction and does not add it twice.
    history.scan(store, evm.client, [wallet])
    assert len(history.list_history(store)) == 2  # the funding, plus our one send
    sent = evm.client.transaction(result.tx_hash)
    assert sent is not None and sent["nonce"] == 0


def test_token_send_confirms_and_merges_with_its_log(
    store: Store, evm: Evm, wallet: str, token: str
) -> None:
    with store.session() as s:
        info = tokens.add_token(s, evm.client, token)
    assert (info.symbol, info.decimals) == ("tUSD", 6)
    built = transactions.build_transfer(evm.client, wallet, TO, "12.5", token=info)
    assert built.to == token and built.value == 0
    assert erc20.decode_transfer_data(built.data) == (TO, 12_500_000)
    result = requests.send_reviewed(
        store, evm.client, built, FixedReviewer().review(built.request()), wait_s=5, poll_s=0.05
    )
    assert result.status == "confirmed"
    assert erc20.balance_of(evm.client, token, TO) == 12_500_000
    history.scan(store, evm.client, [wallet])
    with store.session() as s:
        rows = list(s.scalars(select(Transfer).where(Transfer.tx_hash == result.tx_hash)))
    assert len(rows) == 1 and rows[0].log_index >= 0 and rows[0].token == token


def test_a_non_token_address_is_refused_and_a_broken_token_shows_unknown(
    store: Store, evm: Evm, wallet: str
) -> None:
    with store.session() as s, pytest.raises(InvalidInput, match="does not look like an ERC-20"):
        tokens.add_token(s, evm.client, TO)
    fake = tokens.TokenInfo(evm.client.chain_id, TO, "FAKE", 18)
    native, broken = balances.balances(evm.client, wallet, [fake])
    assert native.amount == 5 * 10**18 and broken.amount is None
    assert broken.text() == "? FAKE"


def test_signing_refuses_an_unreviewed_or_changed_transaction(
    store: Store, evm: Evm, wallet: str
) -> None:
    built = transactions.build_transfer(evm.client, wallet, TO, "0.1")
    outcome = FixedReviewer().review(built.request())
    with pytest.raises(ReviewRequired, match="not been reviewed"):
        requests.send_reviewed(store, evm.client, built, None)
    tampered = dataclasses.replace(built, value=built.value * 10)
    with pytest.raises(ReviewRequired, match="different transaction"):
        requests.send_reviewed(store, evm.client, tampered, outcome)
    assert evm.client.balance(TO) == 0
    assert nonces.stored_next(store, evm.client.chain_id, wallet) is None  # no nonce was taken
    assert history.list_history(store) == []


def test_danger_needs_the_typed_confirmation(store: Store, evm: Evm, wallet: str) -> None:
    built = transactions.build_transfer(evm.client, wallet, TO, "0.1")
    outcome = FixedReviewer("danger").review(built.request())
    with pytest.raises(ReviewRequired, match="typed confirmation"):
        requests.send_reviewed(store, evm.client, built, outcome, danger_confirmation="yes")
    result = requests.send_reviewed(
        store,
        evm.client,
        built,
        outcome,
        danger_confirmation=DANGER_CONFIRMATION,
        wait_s=5,
        poll_s=0.05,
    )
    assert result.status == "confirmed"


def test_amounts_above_the_balance_are_refused(
    store: Store, evm: Evm, wallet: str, token: str
) -> None:
    with store.session() as s:
        info = tokens.add_token(s, evm.client, token)
    with pytest.raises(InsufficientFunds, match="above the balance"):
        transactions.build_transfer(evm.client, wallet, TO, "6")
    with pytest.raises(InsufficientFunds, match="maximum fee"):
        transactions.build_transfer(evm.client, wallet, TO, "5")  # all of it, nothing for gas
    with pytest.raises(InsufficientFunds, match="1000 tUSD"):
        transactions.build_transfer(evm.client, wallet, TO, "1000.000001", token=info)
    with pytest.raises(InvalidInput, match="checksum"):
        transactions.build_transfer(evm.client, wallet, TO.replace("dEaD", "DEaD"), "1")
    with pytest.raises(InvalidInput, match="7 decimals"):
        transactions.build_transfer(evm.client, wallet, TO, "0.0000001", token=info)


def test_watch_only_account_cannot_sign(store: Store, evm: Evm) -> None:
    with store.session() as s:
        watch = accounts.add_watch(s, ADDR1)
    fund(evm, watch.address, 10**18)
    built = transactions.build_transfer(evm.client, watch.address, TO, "0.1")
    with pytest.raises(InvalidInput, match="watch-only"):
        requests.send_reviewed(store, evm.client, built, FixedReviewer().review(built.request()))
    assert nonces.stored_next(store, evm.client.chain_id, watch.address) in (None, 0)  # given back


def test_nonce_is_not_reused_after_the_store_reopens(tmp_path: Path, evm: Evm) -> None:
    """A persistent store (password key file, no keyring): a nonce taken by a signature
    survives a reopen even when the node has not seen the transactions (here: signed, the
    process gone before the broadcast)."""
    from app.wallet.requests import RequestPipeline, _Given

    paths = Paths(tmp_path, tmp_path, tmp_path, tmp_path)
    store = Store.create(paths, "a long password", use_keyring=False)
    with store.session() as s:
        _, info = accounts.create_hd_wallet(s, PHRASE)
    fund(evm, info.address, 10**18)

    def sign_only(store: Store, amount: str) -> int:
        built = transactions.build_transfer(evm.client, info.address, TO, amount)
        pipeline = RequestPipeline(
            store, evm.client, _Given(FixedReviewer().review(built.request()))
        )
        prepared = pipeline.prepare(built)
        pipeline.confirm(prepared)
        pipeline.sign(prepared.request_id, pipeline.pending_nonce(prepared.request_id))
        with store.session() as s:
            return int(s.get(SignRequest, prepared.request_id).nonce)  # type: ignore[union-attr]

    assert sign_only(store, "0.1") == 0
    assert sign_only(store, "0.2") == 1
    store.close()
    store = Store.open(paths, "a long password")
    try:
        assert sign_only(store, "0.3") == 2
        with store.session() as s:
            row = s.get(NonceState, (evm.client.chain_id, info.address))
            assert row is not None and row.next_nonce == 3
    finally:
        store.close()
