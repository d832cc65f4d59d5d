"""Address validation with messages a person can act on."""

from __future__ import annotations

import re

from eth_utils import is_checksum_address, to_checksum_address

from app.errors import InvalidInput

_HEX = re.compile(r"^[0-9a-fA-F]*$")


def validate_address(text: str, *, what: str = "address") -> str:
    """Return ``text`` as a checksummed address, or raise InvalidInput saying what is wrong.

    All-lowercase and all-uppercase hex carry no checksum and are accepted; mixed case must pass
    EIP-55, because a mixed-case address with a wrong checksum is usually a typo.
    """
    raw = (text or "").strip()
    if not raw:
        raise InvalidInput(f"The {what} is empty.", hint="Paste a 0x… address of 40 hex digits.")
    if not raw.startswith(("0x", "0X")):
        raise InvalidInput(
            f"The {what} {raw!r} does not start with 0x.",
            hint="An EVM address looks like 0x followed by 40 hex digits.",
        )
    body = raw[2:]
    if not _HEX.match(body):
        bad = next(c for c in body if not _HEX.match(c))
        raise InvalidInput(
            f"The {what} {raw!r} contains {bad!r}, which is not a hex digit.",
            hint="Only 0-9 and a-f may follow 0x. Copy the address again from its source.",
        )
    if len(body) != 40:
        raise InvalidInput(
            f"The {what} {raw!r} has {len(body)} hex digits; an address has 40.",
            hint="Part of the address is missing or doubled. Copy it again from its source.",
        )
    address = "0x" + body
    if body != body.lower() and body != body.upper() and not is_checksum_address(address):
        raise InvalidInput(
            f"The {what} {raw!r} fails its checksum (the mix of upper and lower case is wrong).",
            hint="One character is probably mistyped. Copy the address again from its source.",
        )
    return to_checksum_address(address)


def same_address(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and str(a).lower() == str(b).lower()


def short(address: str) -> str:
    """0x1234…abcd for tables."""
    return f"{address[:6]}…{address[-4:]}" if len(address) > 12 else address
