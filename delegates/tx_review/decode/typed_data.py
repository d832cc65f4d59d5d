"""EIP-712 typed data: EIP-2612 and DAI permits, Permit2 signatures, Seaport orders.

The typed data is data from the dapp: every field may be missing, of the wrong type or
crafted. Values are read defensively and anything that does not fit is recorded as
undecoded rather than trusted.
"""

from __future__ import annotations

from typing import Any

from delegates.tx_review.decode.eip712 import (
    TypedDataError,
    check_domain,
    check_message,
    check_types,
)
from delegates.tx_review.decode.market_orders import decode_market_order
from delegates.tx_review.decode.model import Approval, Decoded, Order, OrderItem
from delegates.tx_review.facts import norm, to_int
from delegates.tx_review.fmt import clean

PERMIT2 = "0x000000000022d473030f116ddee9f6b43ac78ba3"
PERMIT2_TYPES = {
    "PermitSingle",
    "PermitBatch",
    "PermitTransferFrom",
    "PermitBatchTransferFrom",
    "PermitWitnessTransferFrom",
    "PermitBatchWitnessTransferFrom",
}
SEAPORT_TYPES = {"OrderComponents", "BulkOrder"}
MAX_ORDERS = 256


class _Bad(ValueError):
    """A field is missing or of the wrong type."""


def _addr(value: Any) -> str:
    a = norm(value)
    if len(a) != 42 or not a.startswith("0x"):
        raise _Bad(f"not an address: {str(value)[:50]!r}")
    try:
        int(a, 16)
    except ValueError as exc:
        raise _Bad("not an address") from exc
    return a


def _is_addr(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 42 and value.lower().startswith("0x")


def _int(value: Any) -> int:
    n = to_int(value)
    if n is None or n < 0:
        raise _Bad(f"not an unsigned number: {str(value)[:50]!r}")
    return n


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad("expected an object")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad("expected a list")
    return value


def decode_typed_data(params: Any, user: str, out: Decoded) -> None:
    out.kind = "typed_data"
    if isinstance(params, list):  # raw EIP-1193 order: [address, typed data]
        params = next((p for p in params if isinstance(p, dict | str) and not _is_addr(p)), None)
    if isinstance(params, str):  # some dapps send the JSON as a string
        import json

        try:
            params = json.loads(params)
        except ValueError:
            out.undecoded.append("typed data is not valid JSON")
            return
    if not isinstance(params, dict):
        out.undecoded.append("typed data is not an object")
        return
    primary = params.get("primaryType")
    raw_domain = params.get("domain")
    domain: dict[str, Any] = raw_domain if isinstance(raw_domain, dict) else {}
    message = params.get("message")
    if not isinstance(primary, str) or not isinstance(message, dict):
        out.undecoded.append("typed data has no primaryType or message")
        return
    _check_structure(params, primary, message, out)
    chain = domain.get("chainId")
    if chain is not None:
        cid = to_int(chain)
        if cid is None:
            out.undecoded.append("typed data chainId is not a number")
        else:
            out.signed_chain_ids.append(cid)
    verifying = norm(domain.get("verifyingContract"))
    out.mention(verifying, "contract")
    name = clean(domain.get("name") if isinstance(domain.get("name"), str) else "", 48)
    shown = clean(primary, 48) or "?"
    # Request text is shown as quoted data, never as Warden's own words.
    out.description = f"typed data “{shown}”" + (f" from “{name}”" if name else "")
    try:
        if primary in PERMIT2_TYPES or (verifying == PERMIT2 and primary.startswith("Permit")):
            _permit2(primary, message, out)
        elif primary == "Permit":
            _permit(message, verifying, user, out)
        elif primary in SEAPORT_TYPES:
            _seaport(primary, message, out)
        elif not decode_market_order(primary, message, out):
            _generic(primary, message, out)
    except (_Bad, KeyError, TypeError, ValueError, IndexError) as exc:
        out.undecoded.append(f"{shown} fields do not decode ({clean(str(exc), 120)})")


def _check_structure(params: dict[str, Any], primary: str, message: Any, out: Decoded) -> None:
    """EIP-712 says what is signed: a broken type graph or message means nobody knows."""
    try:
        structs = check_types(params.get("types"), primary)
        check_message(structs, primary, message)
        check_domain(structs, params.get("domain"))
    except TypedDataError as exc:
        out.undecoded.append(f"the typed data does not follow EIP-712: {clean(str(exc), 120)}")


def _permit(message: dict[str, Any], token: str, user: str, out: Decoded) -> None:
    if "allowed" in message or "holder" in message:  # DAI-style permit
        spender = _addr(message["spender"])
        out.mention(spender, "spender")
        out.permit_signature = True
        allowed = message.get("allowed")
        if allowed is True or str(allowed).lower() in ("true", "1"):
            expiry = _int(message.get("expiry", 0))
            out.approvals.append(Approval(token, spender, None, "dai_permit", True, (expiry,)))
        else:
            out.revocations.append("DAI permit with allowed=false")
        return
    spender = _addr(message["spender"])
    out.mention(spender, "spender")
    out.permit_signature = True
    if "tokenId" in message and "value" not in message:  # ERC-4494 NFT permit
        token_id = _int(message["tokenId"])
        deadline = _int(message.get("deadline", 0))
        out.approvals.append(
            Approval(token, spender, 1, "erc721", True, (deadline,), token_id=token_id)
        )
        return
    value = _int(message["value"])
    deadline = _int(message.get("deadline", 0))
    if value == 0:
        out.revocations.append("permit of 0")
        return
    out.approvals.append(Approval(token, spender, value, "permit", True, (deadline,)))


def _permit2(primary: str, message: dict[str, Any], out: Decoded) -> None:
    out.permit2_signature = True
    spender = _addr(message["spender"])
    out.mention(spender, "spender")
    if primary in ("PermitSingle", "PermitBatch"):
        sig_deadline = _int(message.get("sigDeadline", 0))
        details = message["details"]
        items = (
            [_dict(details)] if primary == "PermitSingle" else [_dict(d) for d in _list(details)]
        )
        for d in items:
            token = _addr(d["token"])
            out.mention(token, "token")
            amount, expiration = _int(d["amount"]), _int(d.get("expiration", 0))
            if amount == 0:
                out.revocations.append("Permit2 allowance of 0")
                continue
            out.approvals.append(
                Approval(token, spender, amount, "permit2", True, (expiration, sig_deadline))
            )
        return
    deadline = _int(message.get("deadline", 0))
    permitted = message["permitted"]
    batch = "Batch" in primary
    items = [_dict(p) for p in _list(permitted)] if batch else [_dict(permitted)]
    for p in items:
        token = _addr(p["token"])
        out.mention(token, "token")
        amount = _int(p["amount"])
        if amount == 0:
            continue
        out.approvals.append(
            Approval(token, spender, amount, "permit2_transfer", True, (deadline,))
        )


def _items(raw: Any, with_recipient: bool) -> tuple[OrderItem, ...]:
    items = []
    for it in _list(raw):
        it = _dict(it)
        start, end = _int(it.get("startAmount", 0)), _int(it.get("endAmount", 0))
        # The offer is judged at its largest, the payment at its smallest (Dutch auctions).
        amount = min(start, end) if with_recipient else max(start, end)
        items.append(
            OrderItem(
                item_type=_int(it["itemType"]),
                token=_addr(it["token"]),
                identifier=_int(it.get("identifierOrCriteria", 0)),
                amount=amount,
                recipient=_addr(it["recipient"]) if with_recipient else "",
            )
        )
    return tuple(items)


def _seaport(primary: str, message: dict[str, Any], out: Decoded) -> None:
    orders: list[dict[str, Any]] = []
    if primary == "BulkOrder":
        # A Merkle tree of orders: nested lists whose leaves are OrderComponents.
        stack: list[Any] = [message.get("tree")]
        while stack and len(orders) < MAX_ORDERS:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict) and "offer" in node:
                orders.append(node)
        if not orders:
            raise _Bad("bulk order has no orders")
    else:
        orders.append(message)
    for o in orders:
        offerer = _addr(o["offerer"])
        consideration = _items(o["consideration"], True)
        for c in consideration:
            out.mention(c.recipient, "recipient")
        end_time = to_int(o.get("endTime"))
        out.orders.append(
            Order(offerer, _items(o["offer"], False), consideration, "Seaport", end_time)
        )


# Keys that, in typed data Warden cannot read, mean value may be at stake.
_VALUE_KEYS = {
    "amount", "value", "price", "token", "tokens", "spender", "currency", "paymenttoken",
    "wad", "allowance", "amountin", "amountout", "maxamount", "collection", "tokenid",
}  # fmt: skip
_ADDRESS_KEYS = ("spender", "operator", "to", "recipient", "receiver", "delegate", "taker")


def _generic(primary: str, message: dict[str, Any], out: Decoded) -> None:
    """Typed data of a kind Warden does not know: note who it names, and permit-like shapes."""
    stack: list[tuple[str, Any]] = [("", message)]
    keys: set[str] = set()
    seen = 0
    while stack and seen < 2000:
        key, node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            stack.extend((str(k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((key, v) for v in node)
        elif isinstance(node, str) and key.lower() in _ADDRESS_KEYS:
            a = norm(node)
            if len(a) == 42 and a.startswith("0x"):
                out.mention(a, key.lower())
        if isinstance(node, dict):
            keys.update(str(k).lower() for k in node)
    if stack:
        out.undecoded.append("typed data of an unknown kind too large to read in full")
    if "permit" in primary.lower() or {"spender", "allowed"} & keys and "nonce" in keys:
        # Shaped like an allowance but not a kind Warden reads: it cannot be judged.
        out.undecoded.append("typed data that looks like an allowance Warden cannot read")
    elif keys & _VALUE_KEYS:
        out.undecoded.append(
            "typed data of an unknown kind that names amounts, tokens or a spender"
        )
