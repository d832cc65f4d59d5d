"""One amount parser for the window and the command line: a decimal comma is a decimal comma
where the locale says so, and text that could mean two numbers is refused, never guessed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.wallet.amounts import (
    ENGLISH,
    GERMAN,
    NumberFormat,
    display_amount,
    format_for_input,
    format_for_locale_name,
    format_from_environment,
    is_large_transfer,
    parse_amount,
    share_of_balance,
    to_input_text,
)

ETH = 10**18
FRENCH = format_for_locale_name("fr_FR.UTF-8")
POSIX = format_for_locale_name("C")


@pytest.mark.parametrize(
    ("text", "fmt", "units"),
    [
        ("0,5", GERMAN, ETH // 2),
        ("1,5", GERMAN, 3 * ETH // 2),
        ("1.234,5", GERMAN, 12345 * ETH // 10),
        ("1.234.567,25", GERMAN, 123456725 * ETH // 100),
        ("0,500", GERMAN, ETH // 2),  # a leading 0 is never a group of thousands
        ("0.5", ENGLISH, ETH // 2),
        ("1.5", ENGLISH, 3 * ETH // 2),
        ("1,234.5", ENGLISH, 12345 * ETH // 10),
        ("1,500,000", ENGLISH, 1_500_000 * ETH),
        ("1,5000", GERMAN, 3 * ETH // 2),  # four decimals cannot be a group
        ("1 500,25", FRENCH, 150025 * ETH // 100),  # a typed space groups where spaces do
        ("1\u202f500,25", FRENCH, 150025 * ETH // 100),
        ("0.5", POSIX, ETH // 2),
    ],
)
def test_the_locale_decides_the_decimal_separator(text: str, fmt: NumberFormat, units: int) -> None:
    assert parse_amount(text, 18, fmt=fmt) == units


def test_a_comma_never_makes_an_amount_ten_times_larger() -> None:
    for fmt in (GERMAN, ENGLISH, FRENCH, POSIX):
        for text in ("0,5", "1,5"):
            try:
                units = parse_amount(text, 18, fmt=fmt)
            except InvalidInput:
                continue
            assert units in (ETH // 2, 3 * ETH // 2), (text, fmt)


@pytest.mark.parametrize(
    ("text", "fmt", "words", "suggestion"),
    [
        ("0,5", ENGLISH, "separates thousands", "Type 0.5"),
        ("1,5", ENGLISH, "separates thousands", "Type 1.5"),
        ("0.5", GERMAN, "separates thousands", "Type 0,5"),
        ("0,5", POSIX, "a comma", "Type 0.5"),
        ("0.5", FRENCH, "a dot", "Type 0,5"),
        ("1,500", ENGLISH, "could mean 1.5 or 1500", "Type 1.5"),
        ("1,500", GERMAN, "could mean 1,5 or 1500", "Type 1,5"),
        ("1.500", GERMAN, "could mean 1,5 or 1500", "1500 without a separator"),
        ("1.500", ENGLISH, "could mean 1.5 or 1500", "1500 without a separator"),
        ("1.234,5", ENGLISH, "after the decimal separator", "1,234.5"),
        ("1,234.5", GERMAN, "after the decimal separator", "1.234,5"),
        ("12,34,567", ENGLISH, "thousands separators do not go", "1,234.5"),
        ("1.2.3", ENGLISH, "more than one", "1,234.5"),
        ("-1", GERMAN, "negative", "positive amount such as 0,5"),
        ("−1", ENGLISH, "negative", "positive"),
        ("NaN", ENGLISH, "not a number", "digits"),
        ("inf", GERMAN, "not a number", "digits"),
        ("1e5", ENGLISH, "exponent", "out in full"),
        ("1,5e3", GERMAN, "exponent", "out in full"),
        ("lots", ENGLISH, "not an amount", "digits"),
        ("", GERMAN, "empty", "0,5"),
    ],
)
def test_text_that_could_be_misread_is_refused_with_what_to_type(
    text: str, fmt: NumberFormat, words: str, suggestion: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_amount(text, 18, symbol="ETH", fmt=fmt)
    assert words in str(err.value)
    assert suggestion in err.value.hint


def test_too_many_decimals_for_the_token_are_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_amount("0,1234567", 6, symbol="USDC", fmt=GERMAN)
    assert "7 decimals" in str(err.value) and "only 6" in str(err.value)


@given(
    st.integers(min_value=0, max_value=2**256 - 1),
    st.integers(min_value=0, max_value=30),
    st.sampled_from([GERMAN, ENGLISH, FRENCH, POSIX]),
)
def test_what_the_window_writes_reads_back_exactly(
    units: int, decimals: int, fmt: NumberFormat
) -> None:
    """The Max button and the assistant's amounts: never ambiguous, never rounded."""
    assert parse_amount(format_for_input(units, decimals, fmt), decimals, fmt=fmt) == units


def test_canonical_text_becomes_the_locales_input_text() -> None:
    assert to_input_text("0.1", GERMAN) == "0,1"
    assert to_input_text("1.500", GERMAN) == "1,5"
    assert to_input_text("1.234", ENGLISH) == "1.2340"  # "1.234" could be read as 1234
    assert display_amount(1_234_567 * ETH // 1000, 18, GERMAN) == "1.234,567"
    assert display_amount(12 * ETH + ETH // 2, 18, ENGLISH) == "12.5"


def test_the_command_lines_format_comes_from_the_environment() -> None:
    assert format_from_environment({"LANG": "de_DE.UTF-8"}).decimal == ","
    assert format_from_environment({"LANG": "de_DE.UTF-8", "LC_NUMERIC": "en_US.UTF-8"}) == (
        format_for_locale_name("en_US")
    )
    assert format_from_environment({"LC_ALL": "de_CH.UTF-8", "LANG": "de_DE"}).decimal == "."
    assert format_from_environment({}).group == ""


def test_a_quarter_of_the_balance_is_a_large_transfer() -> None:
    assert is_large_transfer(25, 100) and is_large_transfer(5, 12)
    assert not is_large_transfer(24, 100) and not is_large_transfer(0, 0)
    assert share_of_balance(5 * ETH, 12 * ETH) == "41 % of your balance"
    assert share_of_balance(1, 10**6) == "less than 1 % of your balance"
    assert share_of_balance(2, 1) == "more than your whole balance"
