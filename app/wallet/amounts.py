"""Amounts: text a person typed <-> integer base units, exactly (digits, never float)."""

from __future__ import annotations

import re

from app.errors import InvalidInput

_NUMBER = re.compile(r"^\d+(\.\d*)?$|^\.\d+$")
UINT256_MAX = 2**256 - 1


def parse_amount(text: str, decimals: int, *, symbol: str = "") -> int:
    """Parse ``"1.5"`` into base units for a token with ``decimals`` decimals.

    Raises InvalidInput for a negative, malformed, too precise or absurdly large amount.
    """
    unit = f" {symbol}" if symbol else ""
    raw = (text or "").strip().replace("_", "")
    if not raw:
        raise InvalidInput("The amount is empty.", hint="Type an amount such as 0.5.")
    if raw.startswith("-"):
        raise InvalidInput(
            f"The amount {raw}{unit} is negative.", hint="Type a positive amount such as 0.5."
        )
    if "," in raw:
        raise InvalidInput(
            f"The amount {raw!r} contains a comma.",
            hint="Use a dot for decimals and no thousands separators, e.g. 1234.5.",
        )
    if not _NUMBER.match(raw):
        raise InvalidInput(
            f"The amount {raw!r} is not a number.", hint="Type digits with at most one dot: 0.5."
        )
    whole, _, frac = raw.partition(".")
    frac = frac.rstrip("0")
    if len(frac) > decimals:
        raise InvalidInput(
            f"The amount {raw}{unit} has {len(frac)} decimals; this asset has only {decimals}.",
            hint=f"Round it to at most {decimals} decimal places.",
        )
    # Integer arithmetic on the digits: exact at any size (Decimal rounds past 28 digits).
    units = int(whole or "0") * 10**decimals + int(frac.ljust(decimals, "0") or "0")
    if units > UINT256_MAX:
        raise InvalidInput(f"The amount {raw}{unit} is too large.")
    return units


def format_amount(units: int, decimals: int, *, places: int | None = None) -> str:
    """Base units as a decimal string without trailing zeros (``places`` rounds down)."""
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(int(units)), 10**decimals)
    text = str(frac).rjust(decimals, "0") if decimals else ""
    if places is not None:
        text = text[:places]
    text = text.rstrip("0")
    return f"{sign}{whole}.{text}" if text else f"{sign}{whole}"
