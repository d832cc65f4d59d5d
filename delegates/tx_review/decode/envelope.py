"""The request's envelope: sender, chain, origin, numeric fields, and the JSON itself.

A field that breaks shared/spec/review-cases.md is recorded as undecoded, so the review
fails closed (caution at least) instead of judging a request it cannot read. Every check is
bounded: at most ``MAX_NODES`` JSON values are visited.
"""

from __future__ import annotations

import math
from typing import Any

from delegates.tx_review.decode.model import Decoded
from delegates.tx_review.facts import to_int

MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_ORIGIN = 2048
MAX_HOST = 253
# A message longer than this cannot be read in full on one screen of the dialog.
READABLE_CHARS = 2000
READABLE_LINES = 40
UINT256 = 2**256
_NUMERIC_FIELDS = (
    "value", "gas", "gasLimit", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "nonce",
    "chainId", "type",
)  # fmt: skip


def _is_address(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 42 or value[:2] not in ("0x", "0X"):
        return False
    try:
        int(value[2:], 16)
    except ValueError:
        return False
    return "_" not in value and value[2:].strip() == value[2:]


def _text_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: not text at all
        return False
    return True


def check_json(value: Any) -> str:
    """'' when the value is plain JSON data; otherwise why it is not (bounded walk)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return "it is too large to check in full"
        if depth > MAX_DEPTH:
            return "it is nested too deeply"
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and not _text_ok(k):
                    return "a key is not valid text (lone surrogate)"
                stack.append((v, depth + 1))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, float) and not math.isfinite(node):
            return "it contains NaN or Infinity, which JSON does not allow"
        elif isinstance(node, str) and not _text_ok(node):
            return "a string is not valid text (lone surrogate)"
        elif node is not None and not isinstance(node, bool | int | float | str):
            return f"it contains a {type(node).__name__}, which is not JSON"
    return ""


def origin_problem(origin: Any) -> str:
    """'' when the origin is null or a readable web origin; otherwise what is wrong."""
    from app.lookalike import host_of

    if origin is None:
        return ""
    if not isinstance(origin, str):
        return "the origin is not text"
    if len(origin) > MAX_ORIGIN:
        return f"the origin is {len(origin):,} characters long"
    if any(not ch.isprintable() or ch.isspace() for ch in origin):
        return "the origin contains spaces or control characters"
    host = host_of(origin)
    if not host or len(host) > MAX_HOST or any(len(label) > 63 for label in host.split(".")):
        return "the origin has no readable host name"
    return ""


def check_envelope(request: dict[str, Any], out: Decoded) -> None:
    """Record every spec-breaking part of the request's envelope in ``out.undecoded``."""
    why = check_json(request)
    if why:
        out.undecoded.append(f"the request is not plain JSON data: {why}")
    sender = request.get("from")
    if not _is_address(sender):
        out.undecoded.append("the sender ('from') is not an address")
    chain = request.get("chain_id")
    cid = None if isinstance(chain, bool | float) else to_int(chain)
    if cid is None or cid <= 0 or cid >= UINT256:
        out.undecoded.append("the chain_id is not a positive integer")
    problem = origin_problem(request.get("origin"))
    if problem:
        out.undecoded.append(problem)
    params = request.get("params")
    if request.get("method") == "eth_sendTransaction":
        if isinstance(params, list) and params and isinstance(params[0], dict):
            params = params[0]
        if isinstance(params, dict):
            for key in _NUMERIC_FIELDS:
                if key in params and not _uint256(params[key]):
                    out.undecoded.append(f"the transaction's {key} is not an unsigned number")
            to = params.get("to")
            if to not in (None, "", "0x") and not _is_address(to):
                out.undecoded.append("the destination is not an address")
    _long_text(request, params, out)


def _uint256(value: Any) -> bool:
    if value is None:
        return True  # JSON-RPC leaves it to the wallet
    n = None if isinstance(value, bool | float) else to_int(value)
    return n is not None and 0 <= n < UINT256


def _long_text(request: dict[str, Any], params: Any, out: Decoded) -> None:
    """A text to sign that no one can read in full on one screen."""
    method = request.get("method")
    texts: list[str] = []
    if method == "personal_sign":
        if isinstance(params, dict) and isinstance(params.get("message"), str):
            texts.append(params["message"])
        elif isinstance(params, list):
            texts.extend(p for p in params[:2] if isinstance(p, str))
    elif method == "eth_signTypedData_v4" and isinstance(params, dict):
        stack: list[Any] = [params.get("message"), params.get("domain")]
        nodes = 0
        while stack and nodes < MAX_NODES:
            node = stack.pop()
            nodes += 1
            if isinstance(node, dict):
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, str) and not node.lower().startswith("0x"):
                texts.append(node)  # hex bytes are decoded elsewhere, not read
    longest = max(texts, key=len, default="")
    if method == "personal_sign" and longest.startswith("0x"):
        longest = longest[2:]  # hex: two characters a byte; the decoded text is judged
        try:
            longest = bytes.fromhex(longest).decode("utf-8", "replace")
        except ValueError:
            pass
    lines = longest.count("\n") + 1
    if len(longest) > READABLE_CHARS or lines > READABLE_LINES:
        out.long_text = f"{len(longest):,} characters on {lines:,} lines"
