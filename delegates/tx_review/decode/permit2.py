"""Permit2 permits (``PermitSingle``, ``PermitBatch``) as approvals: the ABI types and the one
reading shared by ``Permit2.permit`` calls and the Universal Router's permit commands."""

from __future__ import annotations

from typing import Any

from delegates.tx_review.decode.model import Approval, Decoded

PERMIT2 = "0x000000000022d473030f116ddee9f6b43ac78ba3"
PERMIT_DETAILS = "(address,uint160,uint48,uint48)"
PERMIT_SINGLE = f"({PERMIT_DETAILS},address,uint256)"
PERMIT_BATCH = f"({PERMIT_DETAILS}[],address,uint256)"


def _a(x: Any) -> str:
    return str(x).lower()


def permit2_single(out: Decoded, user: str, owner: str, permit: tuple[Any, ...]) -> None:
    """A signed ``PermitSingle`` submitted on chain (Permit2.permit or Universal Router)."""
    (token, amount, expiration, _nonce), spender, sig_deadline = permit
    out.mention(_a(spender), "spender")
    if owner in ("", user):
        out.approvals.append(
            Approval(_a(token), _a(spender), int(amount), "permit2", False,
                     (int(expiration), int(sig_deadline)))
        )  # fmt: skip


def permit2_batch(out: Decoded, user: str, owner: str, permit: tuple[Any, ...]) -> None:
    details, spender, sig_deadline = permit
    out.mention(_a(spender), "spender")
    for token, amount, expiration, _nonce in details:
        if owner in ("", user):
            out.approvals.append(
                Approval(_a(token), _a(spender), int(amount), "permit2", False,
                         (int(expiration), int(sig_deadline)))
            )  # fmt: skip
