"""Decoders: turn a request (EIP-1193 shape) into a ``Decoded`` record. No judgement here."""

from __future__ import annotations

from typing import Any

from delegates.tx_review.decode.envelope import check_envelope
from delegates.tx_review.decode.model import Decoded
from delegates.tx_review.facts import Facts, norm, to_int

SIGNING_METHODS = ("eth_sendTransaction", "eth_signTypedData_v4", "personal_sign", "eth_sign")


def _hex_bytes(value: Any) -> bytes | None:
    if value is None:
        return b""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith(("0x", "0X")):
        text = text[2:]
    if len(text) % 2:
        return None
    try:
        return bytes.fromhex(text)
    except ValueError:
        return None


def decode_request(request: dict[str, Any], facts: Facts) -> Decoded:
    """Decode a request. Never raises: what cannot be read is listed in ``undecoded``."""
    out = Decoded()
    check_envelope(request, out)
    method = request.get("method")
    params = request.get("params")
    user = norm(request.get("from"))
    if method == "eth_sendTransaction":
        _transaction(params, user, facts, out)
    elif method == "eth_signTypedData_v4":
        from delegates.tx_review.decode.typed_data import decode_typed_data

        decode_typed_data(params, user, out)
    elif method == "personal_sign":
        from delegates.tx_review.decode.messages import decode_personal_sign

        decode_personal_sign(params, out)
    elif method == "eth_sign":
        from delegates.tx_review.decode.messages import decode_eth_sign

        decode_eth_sign(params, out)
    else:
        out.undecoded.append(f"the request method {str(method)[:40]!r} is not one Warden reviews")
    return out


def _transaction(params: Any, user: str, facts: Facts, out: Decoded) -> None:
    out.kind = "transaction"
    if isinstance(params, list) and params and isinstance(params[0], dict):
        params = params[0]
    if not isinstance(params, dict):
        out.undecoded.append("the transaction has no parameters")
        return
    value = to_int(params.get("value", "0x0"))
    if value is None or not 0 <= value < 2**256:
        out.undecoded.append("the transaction value is not a number")
        value = 0
    data = _hex_bytes(params.get("data", params.get("input")))
    if data is None:
        out.undecoded.append("the transaction data is not hex")
        data = b""
    to = params.get("to")
    if to in (None, "", "0x"):
        out.creation = True
        out.description = "deploy a new contract"
        if value:
            from delegates.tx_review.decode.model import NATIVE, Transfer

            out.transfers.append(Transfer(NATIVE, "", value, "native"))
        return
    target = norm(to)
    if len(target) != 42 or not target.startswith("0x") or _hex_bytes(target) is None:
        return  # the envelope check has recorded it
    out.mention(target, "to")
    from delegates.tx_review.decode.calldata import decode_call

    decode_call(out, facts, user, target, data, value)
