"""The anonymization layer: placeholders out, real values back, secrets refused."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import InvalidInput
from models.anonymize import PLACEHOLDER, Anonymizer

ADDR = "0x52908400098527886E0F7030069857D2E4169EE7"
TX = "0x" + "5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"[:64]


def test_every_kind_is_replaced_and_restored() -> None:
    text = (
        f"Send 0.25 ETH to Alice ({ADDR}) on base; tx {TX} failed. "
        "My balance is $1,234.56 and 1500 USDC. Ask vitalik.eth or bob@example.org, "
        "node at 192.168.1.20, from account Savings 2."
    )
    a = Anonymizer(names=["Alice", "Savings 2"])
    out = a.anonymize(text)
    for secret in (
        ADDR,
        TX,
        "0.25",
        "1,234.56",
        "1500",
        "Alice",
        "vitalik",
        "bob@",
        "192.168",
        "Savings",
    ):
        assert secret not in out, secret
    assert "ADDR_1" in out and "TX_1" in out and "NAME_1" in out and "AMOUNT_1" in out
    assert "ETH" in out and "USDC" in out  # symbols stay: the model needs them
    assert a.restore(out) == text


def test_same_value_same_placeholder() -> None:
    a = Anonymizer()
    out = a.anonymize(f"{ADDR} then {ADDR} and 0.5 then 0.5")
    assert out == "ADDR_1 then ADDR_1 and AMOUNT_1 then AMOUNT_1"


@pytest.mark.parametrize(
    "text",
    [
        "my key is " + "ab" * 32,
        "private key: 0x" + "cd" * 32,
        "xprv" + "9s21ZrQH143K" * 10,
        "legal winner thank year wave sausage worth useful legal winner thank yellow",
    ],
)
def test_secrets_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="private key|recovery phrase") as info:
        Anonymizer().anonymize(text)
    assert text not in info.value.user_message()


def test_a_tx_hash_alone_is_not_a_key() -> None:
    assert Anonymizer().anonymize(f"what happened in {TX}?") == "what happened in TX_1?"


def test_stream_restorer_handles_split_placeholders() -> None:
    a = Anonymizer()
    sent = a.anonymize(f"to {ADDR} send 12.5")
    r = a.stream_restorer()
    out = "".join(r.feed(sent[i : i + 2]) for i in range(0, len(sent), 2)) + r.flush()
    assert out == f"to {ADDR} send 12.5"


# -- generated texts full of addresses and amounts -------------------------------------------
hexdigits = st.sampled_from("0123456789abcdefABCDEF")
addresses = st.text(hexdigits, min_size=40, max_size=40).map(lambda h: "0x" + h)
hashes = st.text(hexdigits, min_size=64, max_size=64).map(lambda h: "0x" + h)
amounts = st.builds(
    lambda i, f: f"{i}.{f}", st.integers(0, 10**9), st.integers(0, 10**6)
) | st.integers(10, 10**12).map(lambda n: f"{n:,}")
ens = st.from_regex(r"[a-z][a-z0-9]{2,10}\.eth", fullmatch=True)
words = st.sampled_from(["send", "to", "ETH", "USDC", "from", "on", "base", "please", "and", "the"])
names = st.sampled_from(["Alice", "Bob Jones", "Cold Wallet"])
pieces = st.lists(
    st.one_of(
        addresses.map(lambda v: ("s", v)),
        hashes.map(lambda v: ("s", v)),
        amounts.map(lambda v: ("s", v)),
        ens.map(lambda v: ("s", v)),
        names.map(lambda v: ("s", v)),
        words.map(lambda v: ("w", v)),
    ),
    min_size=1,
    max_size=25,
)
seps = st.sampled_from([" ", ", ", "; ", " (", ") ", ": "])


@settings(max_examples=150, deadline=None)
@given(pieces, seps)
def test_generated_texts_leak_nothing_and_round_trip(
    parts: list[tuple[str, str]], sep: str
) -> None:
    text = sep.join(v for _, v in parts)
    a = Anonymizer(names=["Alice", "Bob Jones", "Cold Wallet"])
    out = a.anonymize(text)
    stripped = PLACEHOLDER.sub(" ", out)
    for kind, value in parts:
        if kind == "s":
            assert value not in stripped, (value, out)
    # Nothing numeric or hex survives but the placeholders' own numbers.
    assert not re.search(r"\d", stripped), out
    assert a.restore(out) == text
