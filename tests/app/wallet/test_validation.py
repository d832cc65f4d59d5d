"""Addresses and amounts: every kind of bad input gets a clear InvalidInput."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.wallet.addresses import validate_address
from app.wallet.amounts import format_amount, parse_amount

GOOD = "0x52908400098527886E0F7030069857D2E4169EE7"  # an EIP-55 test vector


def test_checksummed_and_single_case_addresses_are_accepted() -> None:
    assert validate_address(GOOD) == GOOD
    assert validate_address(GOOD.lower()) == GOOD
    assert validate_address("0x" + GOOD[2:].upper()) == GOOD
    assert validate_address(f"  {GOOD}\n") == GOOD


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("0x52908400098527886E0F7030069857D2E4169Ee7", "checksum"),  # one letter's case flipped
        ("0x52908400098527886E0F7030069857D2E4169E", "38 hex digits"),
        ("0x52908400098527886E0F7030069857D2E4169EE7a", "41 hex digits"),
        ("0x52908400098527886E0F7030069857D2E4169EZ7", "not a hex digit"),
        ("52908400098527886E0F7030069857D2E4169EE7", "does not start with 0x"),
        ("", "empty"),
    ],
)
def test_bad_addresses_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        validate_address(text)
    assert words in str(err.value)
    assert err.value.hint


def test_amounts_parse_exactly() -> None:
    assert parse_amount("1.5", 18) == 1_500_000_000_000_000_000
    assert parse_amount("0.000001", 6) == 1
    assert parse_amount(".5", 6) == 500_000
    assert parse_amount("2.", 6) == 2_000_000
    assert parse_amount("1.100", 2) == 110  # trailing zeros are not precision
    assert parse_amount("0.1", 18) == 10**17  # never through float


@pytest.mark.parametrize(
    ("text", "decimals", "words"),
    [
        ("-1", 18, "negative"),
        ("1.2.3", 18, "not a number"),
        ("abc", 18, "not a number"),
        ("1e5", 18, "not a number"),
        ("1,5", 18, "comma"),
        ("0.1234567", 6, "7 decimals"),
        ("", 18, "empty"),
        ("1" * 80, 18, "too large"),
    ],
)
def test_bad_amounts_say_what_is_wrong(text: str, decimals: int, words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_amount(text, decimals, symbol="USDC")
    assert words in str(err.value)


@given(st.integers(min_value=0, max_value=2**256 - 1), st.integers(min_value=0, max_value=30))
def test_format_and_parse_round_trip(units: int, decimals: int) -> None:
    assert parse_amount(format_amount(units, decimals), decimals) == units
