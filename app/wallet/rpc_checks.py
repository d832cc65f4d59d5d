"""Checks on what a node answers: its results are untrusted input.

Each JSON-RPC result the wallet uses is checked for type and range before anything relies on
it; a wrong one becomes a ``NetworkError`` that says what was wrong in general words (the
value itself is never echoed: it may be huge, or hostile). A node's own error text is shown
only as quoted, shortened data with control characters removed and links broken.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.errors import NetworkError

UINT256_MAX = 2**256 - 1
UINT64_MAX = 2**64 - 1
BLOCK_MAX = 2**63 - 1
# No chain has charged 1,000,000 gwei per unit of gas; a node that says so is wrong or hostile.
FEE_PER_GAS_MAX = 10**15
GAS_MAX = 2**32  # more than any block's gas limit
HASH_BYTES = 32
NODE_TEXT_LIMIT = 160

HOSTILE_HINT = (
    "The node may be faulty or hostile. Nothing was sent. Try again later, or use another "
    "RPC URL in the network settings."
)


def describe(value: Any) -> str:
    """What a wrong value is, in words, without showing it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        if value < 0:
            return "a negative number"
        digits = int(value.bit_length() * 0.30103) + 1
        return f"a number of about {digits:,} digits"
    if isinstance(value, float):
        return "a fraction or a number with an exponent"
    if isinstance(value, str | bytes | bytearray):
        return f"text of {len(value):,} characters"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return "a value of an unknown kind"


def bad_answer(where: str, what: str, value: Any, expected: str) -> NetworkError:
    return NetworkError(
        f"The node at {where} answered {what} with {describe(value)}, but it must be "
        f"{expected}; Warden did not use the answer.",
        hint=HOSTILE_HINT,
    )


def quantity(value: Any, *, where: str, what: str, low: int = 0, high: int = UINT256_MAX) -> int:
    """An integer in [low, high]; anything else (null, text, object, fraction) is refused."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise bad_answer(where, what, value, f"a whole number from {low:,} to {_bound(high)}")
    return int(value)


def _bound(high: int) -> str:
    if high == UINT256_MAX:
        return "2^256 - 1"
    if high == UINT64_MAX:
        return "2^64 - 1"
    if high == BLOCK_MAX:
        return "2^63 - 1"
    return f"{high:,}"


def record(value: Any, *, where: str, what: str) -> dict[str, Any]:
    """A JSON object (a block, a receipt, a transaction), as a plain dict."""
    if not isinstance(value, Mapping):
        raise bad_answer(where, what, value, "an object")
    return dict(value)


def records(value: Any, *, where: str, what: str) -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple):
        raise bad_answer(where, what, value, "a list")
    return [record(v, where=where, what=what) for v in value]


def data(value: Any, *, where: str, what: str, size: int | None = None) -> bytes:
    """Bytes (web3 turns hex text into bytes); ``size`` when the length is fixed."""
    if not isinstance(value, bytes | bytearray) or (size is not None and len(value) != size):
        expected = f"{size} bytes of hex" if size is not None else "hex data"
        raise bad_answer(where, what, value, expected)
    return bytes(value)


def check_block(block: dict[str, Any], *, where: str, what: str) -> dict[str, Any]:
    """The fields of a block that the wallet reads: number, timestamp, base fee, transactions."""
    for key, high in (("number", BLOCK_MAX), ("timestamp", BLOCK_MAX)):
        if block.get(key) is not None:
            quantity(block[key], where=where, what=f"{what} ({key})", high=high)
    if block.get("baseFeePerGas") is not None:
        quantity(
            block["baseFeePerGas"], where=where, what=f"{what} (base fee)", high=FEE_PER_GAS_MAX
        )
    txs = block.get("transactions")
    if txs is not None:
        if not isinstance(txs, list | tuple):
            raise bad_answer(where, f"{what} (transactions)", txs, "a list")
        checked: list[Any] = []
        for tx in txs:
            if isinstance(tx, bytes | bytearray):  # hashes only (full=False)
                checked.append(data(tx, where=where, what=f"{what} (hash)", size=HASH_BYTES))
            else:
                checked.append(check_transaction(record(tx, where=where, what=what), where, what))
        block["transactions"] = checked
    return block


def check_transaction(tx: dict[str, Any], where: str, what: str) -> dict[str, Any]:
    if tx.get("value") is not None:
        quantity(tx["value"], where=where, what=f"{what} (value)")
    for key in ("nonce", "gas"):
        if tx.get(key) is not None:
            quantity(tx[key], where=where, what=f"{what} ({key})", high=UINT64_MAX)
    if tx.get("blockNumber") is not None:
        quantity(tx["blockNumber"], where=where, what=f"{what} (block number)", high=BLOCK_MAX)
    for key in ("from", "to"):
        if tx.get(key) not in (None, "") and not _address(tx[key]):
            raise bad_answer(where, f"{what} ({key})", tx[key], "an address")
    if tx.get("hash") is not None:
        data(tx["hash"], where=where, what=f"{what} (hash)", size=HASH_BYTES)
    return tx


def check_receipt(receipt: dict[str, Any], where: str) -> dict[str, Any]:
    what = "a receipt"
    if receipt.get("status") is not None:
        quantity(receipt["status"], where=where, what=f"{what} (status)", high=1)
    if receipt.get("blockNumber") is not None:
        quantity(receipt["blockNumber"], where=where, what=f"{what} (block)", high=BLOCK_MAX)
    return receipt


def check_log(entry: dict[str, Any], where: str) -> dict[str, Any]:
    what = "a log"
    topics = entry.get("topics")
    if not isinstance(topics, list | tuple) or len(topics) > 4:
        raise bad_answer(where, f"{what} (topics)", topics, "a list of at most 4 topics")
    for t in topics:
        data(t, where=where, what=f"{what} (topic)", size=HASH_BYTES)
    quantity(entry.get("blockNumber"), where=where, what=f"{what} (block)", high=BLOCK_MAX)
    quantity(entry.get("logIndex"), where=where, what=f"{what} (index)", high=UINT64_MAX)
    data(entry.get("transactionHash"), where=where, what=f"{what} (hash)", size=HASH_BYTES)
    data(entry.get("data"), where=where, what=f"{what} (data)")
    if not _address(entry.get("address")):
        raise bad_answer(where, f"{what} (address)", entry.get("address"), "an address")
    return entry


_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def _address(value: Any) -> bool:
    return isinstance(value, str) and _ADDRESS.fullmatch(value) is not None


_LINK = re.compile(r"(?i)\b(https?|ftp|file|javascript|data)\s*:\s*/*")
_WWW = re.compile(r"(?i)\bwww\.")


def _break_link(match: re.Match[str]) -> str:
    scheme = match.group(1).lower()
    return ("hxxp" + scheme[4:] if scheme.startswith("http") else scheme) + "[:]//"


def quote_node_text(text: Any, limit: int = NODE_TEXT_LIMIT) -> str:
    """A node's text as inert, quoted data: '"…"'. Control, bidi and invisible characters
    become spaces, runs of space one space, links are broken ('hxxps[:]//'), and what is
    past ``limit`` characters is cut."""
    raw = text if isinstance(text, str) else describe(text)
    s = "".join(ch if ch.isprintable() else " " for ch in raw[: limit * 4])
    s = " ".join(s.split())
    s = _LINK.sub(_break_link, s)
    s = _WWW.sub("www[.]", s)
    s = s.replace('"', "'")
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return f'"{s}"'
