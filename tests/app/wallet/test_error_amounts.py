"""Amounts in error messages show at most 6 significant decimals (issue 19, item 6)."""

from __future__ import annotations

import re

import pytest

from app.errors import InsufficientFunds
from app.store import Store
from app.wallet import transactions
from app.wallet.amounts import format_short
from tests.app.wallet.conftest import Evm, fund

TO = "0x000000000000000000000000000000000000dEaD"


@pytest.mark.parametrize(
    ("units", "decimals", "text"),
    [
        (1_234567891234567891, 18, "1.234567"),
        (123456789012345, 18, "0.000123456"),
        (5 * 10**18, 18, "5"),
        (1_500000, 6, "1.5"),
        (1, 18, "0.000000000000000001"),
        (0, 18, "0"),
    ],
)
def test_short_amounts_are_trimmed_to_six_significant_decimals(
    units: int, decimals: int, text: str
) -> None:
    assert format_short(units, decimals) == text


def test_two_amounts_that_would_read_the_same_get_more_decimals() -> None:
    a, b = 1_0000001 * 10**11, 10**18  # 1.0000001 and 1
    assert format_short(a, 18, distinct_from=b) == "1.0000001"
    assert format_short(b, 18, distinct_from=a) == "1"


def test_the_balance_in_an_insufficient_funds_message_is_short(
    store: Store, evm: Evm, wallet: str
) -> None:
    fund(evm, wallet, 123456789012345678)  # 5.123456789012345678 ETH in all
    with pytest.raises(InsufficientFunds) as err:
        transactions.build_transfer(evm.client, wallet, TO, "6")
    message = str(err.value)
    assert "balance of 5.123456 ETH" in message
    assert not re.search(r"\d\.\d{7,}", message)
