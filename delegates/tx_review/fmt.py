"""Human units for details and summaries: addresses with labels, amounts with symbols.

Token symbols and labels come from contracts and dapps, so they are shown as inert text:
control characters removed, length capped.
"""

from __future__ import annotations

from decimal import Decimal

from delegates.tx_review.facts import NATIVE, Facts

UNLIMITED_DISPLAY = 2**160 - 1


def clean(text: str | None, limit: int = 32) -> str:
    if not text:
        return ""
    # what is past twice the limit is never shown: do not walk a megabyte of it
    s = "".join(ch if ch.isprintable() else " " for ch in text[: limit * 2]).strip()
    return s if len(s) <= limit else s[: limit - 1] + "…"


def plain(text: str, limit: int) -> str:
    """Text fit to show as data: no control, bidi or invisible characters, no line breaks,
    no lone surrogates, one space between words, at most ``limit`` characters."""
    s = "".join(ch if ch.isprintable() else " " for ch in text[: limit * 2])
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def checksum(address: str) -> str:
    try:
        from eth_utils import to_checksum_address

        return str(to_checksum_address(address))
    except Exception:  # not an address: show it as given
        return clean(address, 60)


def addr(address: str, facts: Facts) -> str:
    if not address:
        return "(no address)"
    label = clean(facts.account(address).label, 48)
    shown = checksum(address)
    return f"{shown} ({label})" if label else shown


def symbol(asset: str, facts: Facts) -> str:
    if asset == NATIVE:
        return facts.native_symbol
    return clean(facts.token(asset).symbol, 16) or f"tokens of {checksum(asset)}"


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text if text not in ("0", "") else f"{value:.3g}"


def amount(asset: str, units: int | None, facts: Facts, *, token_id: int | None = None) -> str:
    """'1,500 USDC', '0.5 ETH', 'unlimited DAI', 'item #6021 of PPG'."""
    sym = symbol(asset, facts)
    if token_id is not None:
        return f"item #{token_id} of {sym}"
    if units is None or units >= UNLIMITED_DISPLAY:
        return f"an unlimited amount of {sym}"
    if asset == NATIVE:
        decimals: int | None = 18
    else:
        tok = facts.token(asset)
        decimals = 0 if tok.standard in ("erc721", "erc1155") else tok.decimals
    if decimals is None:
        return f"{units:,} base units of {sym}"
    return f"{_number(Decimal(units).scaleb(-decimals))} {sym}"


def usd_value(asset: str, units: int, facts: Facts) -> float | None:
    if asset == NATIVE:
        price, decimals = facts.native_price_usd, 18
    else:
        tok = facts.token(asset)
        price = tok.price_usd
        decimals = 0 if tok.standard in ("erc721", "erc1155") else (tok.decimals or 0)
        if tok.decimals is None and tok.standard not in ("erc721", "erc1155"):
            return None
    if price is None:
        return None
    return float(Decimal(units).scaleb(-decimals)) * price


def with_usd(asset: str, units: int, facts: Facts) -> str:
    text = amount(asset, units, facts)
    usd = usd_value(asset, units, facts)
    return f"{text} (about ${usd:,.0f})" if usd is not None and usd >= 1 else text
