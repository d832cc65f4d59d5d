"""Marketplace orders other than Seaport: Blur, LooksRare (v1 and v2), Rarible, 0x.

Each is turned into the same ``Order`` record as a Seaport order (what the signer offers,
what they receive), so that the dust-listing rule applies to all of them. Fees are ignored:
the seller is judged on the full price, which can only make a listing look better paid, and
an order whose shape Warden does not recognise is recorded as undecoded (never safe).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from delegates.tx_review.decode.model import Decoded, Order, OrderItem
from delegates.tx_review.facts import norm, to_int

ZERO = "0x" + "0" * 40
NATIVE_ITEM, ERC20_ITEM, ERC721_ITEM, ERC1155_ITEM = 0, 1, 2, 3


class OrderError(ValueError):
    """A field of the order is missing or of the wrong type."""


def _addr(message: dict[str, Any], key: str) -> str:
    a = norm(message.get(key))
    if len(a) != 42 or not a.startswith("0x"):
        raise OrderError(f"{key} is not an address")
    try:
        int(a, 16)
    except ValueError as exc:
        raise OrderError(f"{key} is not an address") from exc
    return a


def _uint(message: dict[str, Any], key: str, default: int | None = None) -> int:
    raw = message.get(key, default)
    n = to_int(raw) if not isinstance(raw, bool) else None
    if n is None or n < 0:
        raise OrderError(f"{key} is not an unsigned number")
    return n


def _payment(token: str, amount: int, recipient: str) -> OrderItem:
    kind = NATIVE_ITEM if token == ZERO else ERC20_ITEM
    return OrderItem(kind, token, 0, amount, recipient)


def _order(
    marketplace: str,
    signer: str,
    sells: bool,
    nft: OrderItem,
    payment_token: str,
    price: int,
    end_time: int | None,
) -> Order:
    """A listing (the signer gives the NFT, is paid) or a bid (pays, receives the NFT)."""
    if sells:
        return Order(
            signer, (nft,), (_payment(payment_token, price, signer),), marketplace, end_time
        )
    pay = OrderItem(ERC20_ITEM if payment_token != ZERO else NATIVE_ITEM, payment_token, 0, price)
    got = OrderItem(nft.item_type, nft.token, nft.identifier, nft.amount, signer)
    return Order(signer, (pay,), (got,), marketplace, end_time)


def _blur(m: dict[str, Any]) -> list[Order]:
    nft_type = ERC1155_ITEM if _uint(m, "amount", 1) > 1 else ERC721_ITEM
    nft = OrderItem(nft_type, _addr(m, "collection"), _uint(m, "tokenId"), _uint(m, "amount", 1))
    sells = _uint(m, "side") == 1  # Side.Sell
    end = to_int(m.get("expirationTime"))
    return [_order("Blur", _addr(m, "trader"), sells, nft, _addr(m, "paymentToken"),
                   _uint(m, "price"), end)]  # fmt: skip


def _looksrare_v1(m: dict[str, Any]) -> list[Order]:
    amount = _uint(m, "amount", 1)
    nft = OrderItem(ERC1155_ITEM if amount > 1 else ERC721_ITEM, _addr(m, "collection"),
                    _uint(m, "tokenId"), amount)  # fmt: skip
    sells = m.get("isOrderAsk") is True or str(m.get("isOrderAsk")).lower() in ("true", "1")
    return [_order("LooksRare", _addr(m, "signer"), sells, nft, _addr(m, "currency"),
                   _uint(m, "price"), to_int(m.get("endTime")))]  # fmt: skip


def _looksrare_v2(m: dict[str, Any]) -> list[Order]:
    ids, amounts = m.get("itemIds"), m.get("amounts")
    if not isinstance(ids, list) or not isinstance(amounts, list) or not ids:
        raise OrderError("itemIds or amounts is not a list")
    if len(ids) != len(amounts) or len(ids) > 256:
        raise OrderError("itemIds and amounts do not match")
    kind = ERC1155_ITEM if _uint(m, "collectionType") == 1 else ERC721_ITEM
    collection, signer = _addr(m, "collection"), _addr(m, "signer")
    currency, price = _addr(m, "currency"), _uint(m, "price")
    sells = _uint(m, "quoteType") == 1  # QuoteType.Ask
    items = tuple(
        OrderItem(kind, collection, _uint({"i": i}, "i"), _uint({"a": a}, "a"))
        for i, a in zip(ids, amounts, strict=True)
    )
    end = to_int(m.get("endTime"))
    if sells:
        return [Order(signer, items, (_payment(currency, price, signer),), "LooksRare", end)]
    got = tuple(OrderItem(i.item_type, i.token, i.identifier, i.amount, signer) for i in items)
    return [Order(signer, (_payment(currency, price, ""),), got, "LooksRare", end)]


_RARIBLE_CLASSES = {
    "0xaaaebeba": NATIVE_ITEM,  # ETH
    "0x8ae85d84": ERC20_ITEM,  # ERC20
    "0x73ad2146": ERC721_ITEM,  # ERC721
    "0x973bb640": ERC1155_ITEM,  # ERC1155
}


def _rarible_asset(asset: Any, recipient: str) -> OrderItem:
    if not isinstance(asset, dict) or not isinstance(asset.get("assetType"), dict):
        raise OrderError("an asset has no assetType")
    kind_raw = asset["assetType"].get("assetClass")
    kind = _RARIBLE_CLASSES.get(str(kind_raw).lower())
    if kind is None:
        raise OrderError("an asset class is not one Warden can value")
    data = asset["assetType"].get("data")
    token, token_id = ZERO, 0
    if kind != NATIVE_ITEM:
        raw = bytes.fromhex(str(data)[2:]) if isinstance(data, str) else b""
        if len(raw) < 32:
            raise OrderError("an asset's data does not name a token")
        token = "0x" + raw[12:32].hex()
        token_id = int.from_bytes(raw[32:64], "big") if len(raw) >= 64 else 0
    return OrderItem(kind, token, token_id, _uint(asset, "value"), recipient)


def _rarible(m: dict[str, Any]) -> list[Order]:
    maker = _addr(m, "maker")
    offer = _rarible_asset(m.get("makeAsset"), "")
    paid = _rarible_asset(m.get("takeAsset"), maker)
    return [Order(maker, (offer,), (paid,), "Rarible", to_int(m.get("end")))]


def _zeroex_limit(m: dict[str, Any]) -> list[Order]:
    maker = _addr(m, "maker")
    offer = _payment(_addr(m, "makerToken"), _uint(m, "makerAmount"), "")
    paid = _payment(_addr(m, "takerToken"), _uint(m, "takerAmount"), maker)
    return [Order(maker, (offer,), (paid,), "0x", to_int(m.get("expiry")))]


def _zeroex_nft(m: dict[str, Any], kind: int) -> list[Order]:
    key = "erc721" if kind == ERC721_ITEM else "erc1155"
    amount = _uint(m, "erc1155TokenAmount", 1) if kind == ERC1155_ITEM else 1
    nft = OrderItem(kind, _addr(m, f"{key}Token"), _uint(m, f"{key}TokenId"), amount)
    sells = _uint(m, "direction") == 0  # TradeDirection.SELL_NFT
    token = _addr(m, "erc20Token")
    if token == "0x" + "e" * 40:  # 0x's marker for the native currency
        token = ZERO
    return [_order("0x", _addr(m, "maker"), sells, nft, token, _uint(m, "erc20TokenAmount"),
                   to_int(m.get("expiry")))]  # fmt: skip


def _shape(primary: str, message: dict[str, Any]) -> Callable[[dict[str, Any]], list[Order]] | None:
    keys = set(message)
    if primary == "Order" and {"trader", "side", "collection", "price"} <= keys:
        return _blur
    if primary == "MakerOrder" and {"isOrderAsk", "signer", "collection", "price"} <= keys:
        return _looksrare_v1
    if primary == "Maker" and {"quoteType", "signer", "collection", "itemIds"} <= keys:
        return _looksrare_v2
    if primary == "Order" and {"maker", "makeAsset", "takeAsset"} <= keys:
        return _rarible
    if primary in ("LimitOrder", "RfqOrder", "OtcOrder") and {"makerToken", "takerToken"} <= keys:
        return _zeroex_limit
    if primary == "ERC721Order":
        return lambda m: _zeroex_nft(m, ERC721_ITEM)
    if primary == "ERC1155Order":
        return lambda m: _zeroex_nft(m, ERC1155_ITEM)
    return None


def looks_like_order(primary: str, message: dict[str, Any]) -> bool:
    """An order of some marketplace, whether or not Warden can decode it."""
    low = primary.lower()
    return "order" in low or _shape(primary, message) is not None


def decode_market_order(primary: str, message: dict[str, Any], out: Decoded) -> bool:
    """Decode a known non-Seaport order into ``out.orders``; False when it is not one.

    An order Warden recognises by name but cannot read is recorded as undecoded.
    """
    decoder = _shape(primary, message)
    if decoder is None:
        if looks_like_order(primary, message):
            out.undecoded.append("a marketplace order of a kind Warden cannot read or price")
            return True
        return False
    try:
        orders = decoder(message)
    except (OrderError, ValueError, TypeError, KeyError) as exc:
        out.undecoded.append(f"a marketplace order does not decode ({exc})"[:200])
        return True
    for o in orders:
        for c in o.consideration:
            out.mention(c.recipient, "recipient")
        out.orders.append(o)
    return True
