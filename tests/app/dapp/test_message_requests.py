"""Message requests in the one lifecycle (app.wallet.requests): reviewed, confirmed (danger
with the typed words), signed at most once, a rejected one never signed. A real encrypted
store; the review's verdict is fixed (FixedReviewer), since this checks the lifecycle."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct

from app.errors import ReviewRequired
from app.review_types import DANGER_CONFIRMATION
from app.store import Store
from app.wallet import accounts
from app.wallet.requests import RequestClosed, RequestPipeline
from app.wallet.review_choice import ChosenReviewer
from tests.app.wallet.conftest import ADDR0, PHRASE, FixedReviewer

REQUEST = {
    "method": "personal_sign",
    "chain_id": 31337,
    "origin": "https://dapp.example",
    "from": ADDR0,
    "params": {"message": "Sign in to dapp.example"},
}


def _pipeline(tmp_path: Path, verdict: str) -> tuple[Store, RequestPipeline]:
    store = Store.throwaway(tmp_path / "store", password="pw-messages")
    with store.session() as s:
        accounts.create_hd_wallet(s, PHRASE, name="Main")
    fixed = FixedReviewer(verdict)
    reviewer = ChosenReviewer(lambda: fixed, None, lambda: True)  # type: ignore[arg-type, return-value]
    return store, RequestPipeline(store, lambda: None, reviewer, source="dapp")  # type: ignore[arg-type, return-value]


def test_a_message_is_signed_once(tmp_path: Path) -> None:
    store, pipeline = _pipeline(tmp_path, "safe")
    try:
        prepared = pipeline.prepare_message(REQUEST)
        pipeline.confirm_message(prepared)
        signature = pipeline.sign_message(prepared.request_id)
        signable = encode_defunct(text="Sign in to dapp.example")
        assert Account.recover_message(signable, signature=signature) == ADDR0
        with pytest.raises(RequestClosed, match="already sent"):
            pipeline.sign_message(prepared.request_id)
        assert pipeline.status(prepared.request_id) == "sent"
    finally:
        store.close()


def test_danger_needs_the_typed_words_and_a_rejected_message_is_never_signed(
    tmp_path: Path,
) -> None:
    store, pipeline = _pipeline(tmp_path, "danger")
    try:
        prepared = pipeline.prepare_message(REQUEST)
        with pytest.raises(ReviewRequired, match="typed confirmation"):
            pipeline.confirm_message(prepared, "yes")
        with pytest.raises(RequestClosed):
            pipeline.sign_message(prepared.request_id)  # not confirmed: nothing signed
        pipeline.confirm_message(prepared, DANGER_CONFIRMATION)
        assert pipeline.sign_message(prepared.request_id).startswith("0x")
        second = pipeline.prepare_message(REQUEST)
        pipeline.reject(second.request_id)
        with pytest.raises(RequestClosed, match="rejected"):
            pipeline.confirm_message(second, DANGER_CONFIRMATION)
        with pytest.raises(RequestClosed, match="rejected"):
            pipeline.sign_message(second.request_id)
    finally:
        store.close()


def test_a_review_for_another_message_does_not_sign_this_one(tmp_path: Path) -> None:
    store, pipeline = _pipeline(tmp_path, "safe")
    try:
        prepared = pipeline.prepare_message(REQUEST)
        other = dict(REQUEST, params={"message": "Transfer everything"})
        forged = type(prepared)(prepared.request_id, other, prepared.review)
        with pytest.raises(ReviewRequired, match="different message"):
            pipeline.confirm_message(forged)
        with pytest.raises(ReviewRequired, match="eth_sign"):
            pipeline.confirm_message(
                type(prepared)(
                    prepared.request_id, dict(REQUEST, method="eth_sign"), prepared.review
                )
            )
    finally:
        store.close()
