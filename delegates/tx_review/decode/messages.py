"""``personal_sign`` and ``eth_sign``: readable text, Sign-In with Ethereum, or blind bytes."""

from __future__ import annotations

import re
from typing import Any

from delegates.tx_review.decode.model import Decoded
from delegates.tx_review.facts import to_int

_HASH_TEXT = re.compile(r"^(0x)?[0-9a-fA-F]{64}$")
_SIWE_HEAD = re.compile(
    r"^(?:(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://)?(?P<domain>[^\s/]+) wants you to sign in with "
    r"your Ethereum account:\n(?P<address>0x[0-9a-fA-F]{40})\n"
)
# Scheme, host and port, the fixed words and the address: far less than this. Matching only
# this much keeps a megabyte without spaces from costing a backtracking pass per character.
_SIWE_HEAD_CHARS = 1024
_SIWE_FIELD = re.compile(r"^(URI|Version|Chain ID|Nonce|Issued At|Expiration Time|Not Before"
                         r"|Request ID): (.*)$", re.M)  # fmt: skip


def message_bytes(message: Any) -> bytes | None:
    """The bytes a ``personal_sign`` message stands for (0x-hex or text), None if neither."""
    if not isinstance(message, str):
        return None
    if message.startswith("0x"):
        try:
            return bytes.fromhex(message[2:])
        except ValueError:
            pass  # not hex after all: it is text that starts with 0x
    return message.encode("utf-8", "surrogatepass")


def decode_personal_sign(params: Any, out: Decoded) -> None:
    out.kind = "message"
    message = params.get("message") if isinstance(params, dict) else None
    if isinstance(params, list) and params:  # raw EIP-1193 order: [message, address]
        message = params[0]
    raw = message_bytes(message)
    if raw is None:
        out.undecoded.append("the message is missing or not text")
        return
    if len(raw) == 32:
        out.blind = "the message is a 32-byte hash: what it stands for cannot be shown"
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        out.blind = f"the message is {len(raw)} bytes of binary data that cannot be shown as text"
        return
    out.message_text = text
    if len(text) <= 200 and _HASH_TEXT.match(text.strip()):
        out.blind = "the message is the text of a hash: what it stands for cannot be shown"
        return
    siwe = _SIWE_HEAD.match(text[:_SIWE_HEAD_CHARS])  # the head is two short lines
    if siwe:
        out.description = "Sign-In with Ethereum"
        out.siwe_domain = siwe.group("domain").lower()
        out.mention(siwe.group("address").lower(), "siwe_address")
        fields = dict(_SIWE_FIELD.findall(text))
        chain = to_int(fields.get("Chain ID", "").strip()) if "Chain ID" in fields else None
        if chain is not None:
            out.signed_chain_ids.append(chain)
        elif "Chain ID" in fields:
            out.undecoded.append("the sign-in message's Chain ID is not a number")
    else:
        out.description = "a text message"


def decode_eth_sign(params: Any, out: Decoded) -> None:
    out.kind = "blind"
    digest = params.get("hash") if isinstance(params, dict) else None
    size = len(digest) // 2 - 1 if isinstance(digest, str) else 0
    out.blind = (
        "eth_sign asks for a signature over a raw hash"
        + (f" ({size} bytes)" if size > 0 else "")
        + ": it can stand for any transaction, including one that empties the wallet"
    )
