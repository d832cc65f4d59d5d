"""What is signed, in words: the top-level call of a transaction with each argument shown
in units (token with its symbol, address with its label, amount in the token's decimals).

The review dialog shows this for every request, so that a revoke reads "Set the allowance of
dUSD for 0xF1F6… to 0" rather than "calls approve on 0xDe09…". Nothing here judges; it only
says what the bytes say. Hostile calldata gives fewer lines, never an exception.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from eth_abi import decode as abi_decode

from delegates.tx_review.decode.calldata import KNOWN
from delegates.tx_review.decode.model import Decoded
from delegates.tx_review.facts import NATIVE, Facts, norm, to_int
from delegates.tx_review.fmt import addr, amount, plain, symbol

MAX_DATA = 1_000_000  # hex characters of calldata read at most
MAX_ARGS = 8

# argument names (and which ones are amounts of the called token) for the calls people meet
_ARG_NAMES: dict[str, tuple[str, ...]] = {
    "a9059cbb": ("recipient", "amount"),
    "23b872dd": ("from", "recipient", "amount"),
    "095ea7b3": ("spender", "amount"),
    "39509351": ("spender", "added amount"),
    "a457c2d7": ("spender", "removed amount"),
    "a22cb465": ("operator", "approved"),
    "2e1a7d4d": ("amount",),
}
_TOKEN_AMOUNTS = {"amount", "added amount", "removed amount"}


def _moved(dec: Decoded, facts: Facts) -> dict[str, Any]:
    """{'moved': {'amount': '0.5', 'symbol': 'ETH', 'share': 0.4}} for the first fungible
    amount that leaves the user (share None when the balance is unknown); {} for none."""
    for t in dec.transfers:
        if not t.from_user or t.role == "fee" or t.token_id is not None:
            continue
        if t.asset == NATIVE:
            decimals: int | None = 18
        else:
            tok = facts.token(t.asset)
            decimals = None if tok.standard in ("erc721", "erc1155") else tok.decimals
        if decimals is None:
            continue
        balance = facts.balances.get(t.asset)
        share = t.amount / balance if balance else None
        text = format(Decimal(t.amount).scaleb(-decimals).normalize(), "f")
        return {"moved": {"amount": text, "symbol": symbol(t.asset, facts), "share": share}}
    return {}


def _hex(text: Any) -> bytes | None:
    if not isinstance(text, str) or not text.startswith(("0x", "0X")) or len(text) > MAX_DATA:
        return None
    try:
        return bytes.fromhex(text[2:])
    except ValueError:
        return None


def _arg_text(name: str, typ: str, value: Any, target: str, facts: Facts, nft: bool) -> str:
    if typ == "address":
        return addr(norm(str(value)), facts)
    if typ == "bool":
        return "yes" if value else "no"
    if typ.startswith("uint") and name in _TOKEN_AMOUNTS and isinstance(value, int):
        if nft:
            return amount(target, 1, facts, token_id=value)
        return amount(target, value, facts)
    if isinstance(value, bytes):
        return f"{len(value)} bytes"
    if isinstance(value, list | tuple):
        return f"{len(value)} item(s)"
    return plain(str(value), 80)


def _sentence(sel: str, args: tuple[Any, ...], target: str, facts: Facts, nft: bool) -> str:
    tok = symbol(target, facts)
    a: list[Any] = [norm(str(x)) if isinstance(x, str) else x for x in args]
    if sel == "095ea7b3" and not nft:
        if a[1] == 0:
            return f"Set the allowance of {tok} for {addr(a[0], facts)} to 0 (a revoke)"
        return f"Allow {addr(a[0], facts)} to spend {amount(target, a[1], facts)}"
    if sel == "095ea7b3":
        return f"Allow {addr(a[0], facts)} to move {amount(target, 1, facts, token_id=a[1])}"
    if sel == "a9059cbb":
        return f"Send {amount(target, a[1], facts)} to {addr(a[0], facts)}"
    if sel == "23b872dd":
        what = amount(target, 1, facts, token_id=a[2]) if nft else amount(target, a[2], facts)
        return f"Move {what} from {addr(a[0], facts)} to {addr(a[1], facts)}"
    if sel == "a22cb465":
        if a[1]:
            return f"Let {addr(a[0], facts)} move all your {tok} items"
        return f"Take back {addr(a[0], facts)}'s permission over all your {tok} items"
    if sel == "39509351":
        return f"Raise the allowance of {addr(a[0], facts)} by {amount(target, a[1], facts)}"
    if sel == "a457c2d7":
        return f"Lower the allowance of {addr(a[0], facts)} by {amount(target, a[1], facts)}"
    return ""


def what_is_signed(request: dict[str, Any], facts: Facts, dec: Decoded) -> dict[str, Any]:
    """{'sentence': one line, 'call': function name, 'target': contract, 'arguments':
    [[name, text], ...]} for a transaction; for a signature, its description. Never raises:
    this is what the user reads, not what the verdict comes from."""
    try:
        return {**_what_is_signed(request, facts, dec), **_moved(dec, facts)}
    except Exception:  # text only; the rules have judged the request already
        return {"sentence": "", "call": "", "target": "", "arguments": []}


def _what_is_signed(request: dict[str, Any], facts: Facts, dec: Decoded) -> dict[str, Any]:
    if request.get("method") != "eth_sendTransaction":
        what = dec.description or ("a message" if dec.kind == "message" else "structured data")
        return {"sentence": plain(f"Sign {what}", 300), "call": "", "target": "", "arguments": []}
    raw = request.get("params")
    params: dict[str, Any] = raw if isinstance(raw, dict) else {}
    target = norm(params.get("to"))
    value = to_int(params.get("value")) or 0
    data = _hex(params.get("data", params.get("input"))) or b""
    out: dict[str, Any] = {"sentence": "", "call": "", "target": "", "arguments": []}
    if target:
        out["target"] = addr(target, facts)
    if value:
        out["arguments"].append(["value sent", amount(NATIVE, value, facts)])
    if len(data) < 4:
        if not target:
            out["sentence"] = "Deploy a new contract"
        elif value:
            out["sentence"] = f"Send {amount(NATIVE, value, facts)} to {addr(target, facts)}"
        else:
            out["sentence"] = f"Send an empty transaction to {addr(target, facts)}"
        return out
    sel = data[:4].hex()
    known = KNOWN.get(sel)
    call = next((c for c in dec.calls if c.selector == "0x" + sel), None)
    name = (known[0] if known else (call.name if call else None)) or f"function 0x{sel}"
    out["call"] = plain(name.split("(")[0], 80)
    nft = facts.token(target).standard in ("erc721", "erc1155") if target else False
    sentence = ""
    if known is not None:
        try:
            args = tuple(abi_decode(list(known[1]), data[4:], strict=False))
        except Exception:  # hostile calldata: no arguments shown, the rules already failed closed
            args = ()
        names = _ARG_NAMES.get(sel, ())
        for i, (typ, v) in enumerate(zip(known[1], args, strict=False)):
            if i >= MAX_ARGS:
                break
            arg = names[i] if i < len(names) else f"argument {i + 1} ({typ.split('(')[0]})"
            out["arguments"].append([arg, _arg_text(arg, typ, v, target, facts, nft)])
        if args:
            try:
                sentence = _sentence(sel, args, target, facts, nft)
            except Exception:  # an odd argument shape: fall back to the plain call line
                sentence = ""
    if not sentence:
        sentence = f"Call {out['call']} on {addr(target, facts)}" if target else "Call a function"
        if value:
            sentence += f", sending {amount(NATIVE, value, facts)}"
    out["sentence"] = plain(sentence, 300)
    return out
