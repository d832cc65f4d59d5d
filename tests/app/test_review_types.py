"""The request digest binds a review to exactly one request, cheaply for any size."""

from __future__ import annotations

import time

from app.review_types import request_digest

TX = {
    "method": "eth_sendTransaction",
    "chain_id": 1,
    "from": "0xAbC0000000000000000000000000000000000001",
    "params": {"to": "0x1111111111111111111111111111111111111111", "value": "0x0", "data": "0x"},
    "origin": "https://x.org",
}


def _sign(message: str) -> dict:
    return {"method": "personal_sign", "chain_id": 1, "from": TX["from"], "params": [message]}


def test_an_ordinary_request_keeps_its_digest() -> None:
    # the canonical JSON's hash, as before long strings were hashed on their own
    assert request_digest(TX) == "f7556f043e53dc8e3ee332c94f04b91366883fcee8b8bf0877ed4be9438a75f6"
    reordered = {k: TX[k] for k in reversed(list(TX))}
    assert request_digest(reordered) == request_digest(TX)
    assert request_digest({**TX, "from": TX["from"].lower()}) == request_digest(TX)
    assert request_digest({**TX, "origin": "https://y.org"}) == request_digest(TX)


def test_long_strings_are_bound_and_cheap() -> None:
    big = "Sign this. " * 400_000
    started = time.perf_counter()
    digest = request_digest(_sign(big))
    took = time.perf_counter() - started
    assert took < 1.0  # generous on a busy machine; a few ms in fact
    assert digest == request_digest(_sign(big.upper()))  # ASCII case, as for short strings
    assert digest != request_digest(_sign(big + "!"))
    assert digest != request_digest(_sign(big[:-1]))
    assert request_digest(_sign("\ud800" * 70_000)) != request_digest(_sign("\udc00" * 70_000))


def test_no_short_string_poses_as_a_long_one() -> None:
    import hashlib

    big = "x" * 100_000
    stand_in = "\x00sha256:" + hashlib.sha256(big.encode()).hexdigest()
    assert request_digest(_sign(stand_in)) != request_digest(_sign(big))
    assert request_digest(_sign(stand_in.upper())) != request_digest(_sign(big))
    swapped_a = {**TX, "params": {"a": big, "b": stand_in}}
    swapped_b = {**TX, "params": {"a": stand_in, "b": big}}
    assert request_digest(swapped_a) != request_digest(swapped_b)
