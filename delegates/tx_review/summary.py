"""Plain-language summaries from templates: what the request does, then what to worry about."""

from __future__ import annotations

from typing import Any

from app.review_types import VERDICT_RANK, Finding
from delegates.tx_review.decode.model import Decoded
from delegates.tx_review.facts import NATIVE, Facts
from delegates.tx_review.fmt import addr, amount

_HEADLINE = {
    "danger": "Warden recommends that you do not sign this.",
    "caution": "Read the warnings below before you sign.",
    "safe": "Warden found nothing suspicious.",
}


def describe(dec: Decoded, request: dict[str, Any], facts: Facts) -> str:
    """One or two sentences on what the request would do, from the decoded parts."""
    parts: list[str] = []
    for a in dec.approvals[:3]:
        how = "signing lets" if a.signature else "this lets"
        if a.kind == "erc721":
            what = amount(a.token, 1, facts, token_id=a.token_id)
        else:
            what = amount(a.token, a.amount, facts)
        parts.append(f"{how} {addr(a.spender, facts)} spend {what}")
    for op in dec.operators[:2]:
        parts.append(
            f"this lets {addr(op.operator, facts)} move all your {addr(op.collection, facts)} items"
        )
    for t in dec.transfers[:3]:
        if not t.from_user:
            continue
        nft = t.standard in ("erc721", "erc1155") and t.token_id is not None
        what = amount(t.asset, t.amount, facts, token_id=t.token_id if nft else None)
        if t.role == "swap":
            parts.append(f"this swaps {what} through {addr(t.recipient, facts)}")
        else:
            parts.append(f"this sends {what} to {addr(t.recipient, facts)}")
    if dec.orders:
        offered = sum(len(o.offer) for o in dec.orders)
        parts.append(f"this signs a marketplace order offering {offered} item(s)")
    if dec.creation:
        parts.append("this deploys a new contract")
    if dec.blind:
        parts.append("this signs data whose meaning cannot be shown")
    elif dec.kind == "message" and not parts:
        parts.append("this signs " + (dec.description or "a message") + "; it moves no assets")
    elif dec.kind == "typed_data" and not parts:
        parts.append(
            f"this signs {dec.description or 'structured data'}; Warden sees no assets in it"
        )
    if not parts and request.get("method") == "eth_sendTransaction":
        from delegates.tx_review.signed_text import what_is_signed

        said = what_is_signed(request, facts, dec)["sentence"]
        if said:  # "set the allowance of dUSD for 0xF1F6… to 0 (a revoke)", not "calls approve"
            parts.append(said[0].lower() + said[1:])
    if not parts and dec.calls:
        c = dec.calls[0]
        name = (c.name or c.selector or "a function").split("(")[0]
        parts.append(f"this calls {name} on {addr(c.target, facts)}")
    if not parts:
        parts.append("Warden could not tell what this request does")
    text = "; ".join(parts[:4])
    return text[0].upper() + text[1:] + "."


def summarize(
    verdict: str, findings: list[Finding], dec: Decoded, request: dict[str, Any], facts: Facts
) -> str:
    lines = [_HEADLINE.get(verdict, _HEADLINE["caution"]), describe(dec, request, facts)]
    ranked = sorted(
        (f for f in findings if f.severity != "info"),
        key=lambda f: -VERDICT_RANK.get(f.severity, 1),
    )
    for f in ranked[:3]:
        lines.append(f.detail)
    if len(ranked) > 3:
        lines.append(f"And {len(ranked) - 3} more warning(s).")
    return " ".join(lines)


__all__ = ["NATIVE", "describe", "summarize"]
