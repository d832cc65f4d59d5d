"""Marketplace orders: does the seller get paid about what the offered items are worth?

A Seaport order lists what the offerer gives (``offer``) and who receives what in return
(``consideration``). Drainers ask for an order whose payment goes to someone else, or is a
token worth nothing.
"""

from __future__ import annotations

from app.review_types import Finding
from delegates.tx_review.decode.model import NATIVE, Order
from delegates.tx_review.facts import Facts
from delegates.tx_review.fmt import usd_value

LISTING_FLOOR = 0.1  # paid less than this share of the items' value: the items are given away
NFT_TYPES = (2, 3, 4, 5)  # ERC-721, ERC-1155 and their criteria-based forms


def item_value(item_type: int, token: str, units: int, facts: Facts) -> float | None:
    """The USD value of an order item, None when a price or decimals are unknown."""
    if item_type == 0:
        return usd_value(NATIVE, units, facts)
    if item_type in NFT_TYPES:
        price = facts.token(token).price_usd
        return None if price is None else units * price
    return usd_value(token, units, facts)


def order_findings(o: Order, facts: Facts) -> list[Finding]:
    if not o.offer:
        return []
    offered, offered_unknown = 0.0, False
    for it in o.offer:
        v = item_value(it.item_type, it.token, it.amount, facts)
        offered_unknown |= v is None
        offered += v or 0.0
    paid_items = [c for c in o.consideration if c.recipient == o.offerer]
    paid, paid_unknown = 0.0, False
    for c in paid_items:
        v = item_value(c.item_type, c.token, c.amount, facts)
        paid_unknown |= v is None
        paid += v or 0.0
    n = len(o.offer)
    items = f"{n} item{'s' if n != 1 else ''}" + (
        f" worth about ${offered:,.0f}" if offered and not offered_unknown else ""
    )
    worthless = bool(paid_items) and not paid_unknown and paid == 0
    if not paid_items:
        detail = (
            f"This {o.marketplace} order gives away {items} and pays the seller (you) "
            "nothing: every payment goes to someone else."
        )
    elif worthless:
        detail = f"This {o.marketplace} order gives away {items} for a token priced at zero."
    elif not paid_unknown and offered > 0 and paid < LISTING_FLOOR * offered:
        detail = (
            f"This {o.marketplace} order sells {items} for about ${paid:,.2f}, less than a "
            "tenth of their value."
        )
    elif paid_unknown or offered_unknown:
        return [
            Finding(
                "unpriced_order",
                "caution",
                f"Warden cannot value this {o.marketplace} order ({items}): check the price "
                "you will receive before signing.",
            )
        ]
    else:
        return []
    return [Finding("marketplace_listing_signature", "danger", detail)]
