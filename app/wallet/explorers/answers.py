"""Checks on what an explorer answers: untrusted input, refused whole when anything is wrong.

The envelope of the ``module=account`` API is ``{"status": "1", "message": "OK", "result":
[...]}``; "no transactions" is status "0" with an empty list; an error is status "0" with a
text result. Rows carry decimal strings. A row that is malformed, outside the block range
asked for, or that does not concern the address asked about refuses the whole answer: an
explorer that gets one row wrong is not trusted for the rest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from app.errors import NetworkError
from app.wallet import rpc_checks as checks
from app.wallet.rpc_transport import too_deep

MAX_ROWS = 10_000  # the most rows one page of these APIs holds
LAST_TIME = 253_402_300_799  # 9999-12-31: later is no time a block has
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_HASH = re.compile(r"0x[0-9a-fA-F]{64}")
_DECIMAL = re.compile(r"[0-9]{1,78}")

HINT = (
    "The explorer may be faulty or hostile; its answer was not used. Turn it off with "
    "'warden networks explorer NAME --off', or point it at another explorer."
)


@dataclass(frozen=True)
class Row:
    """One transfer an explorer listed, checked: lower-case addresses, whole numbers."""

    tx_hash: str
    block_number: int
    timestamp: int
    sender: str
    recipient: str  # "" for a contract creation
    value: int
    failed: bool
    nonce: int | None = None  # txlist only
    token: str | None = None  # tokentx only
    log_index: int | None = None  # tokentx, where the explorer says
    call_type: str = "call"  # txlistinternal: call, delegatecall, staticcall, create…


def refused(where: str, why: str) -> NetworkError:
    return NetworkError(f"The explorer at {where} {why}.", hint=HINT)


def parse(body: bytes, *, where: str) -> list[dict[str, Any]]:
    """The envelope's rows (raw dicts), or a NetworkError that says what was wrong."""
    if too_deep(body):
        raise refused(where, "answered with data nested too deep")
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        raise refused(where, "answered with something that is not JSON") from None
    if not isinstance(doc, dict):
        raise refused(where, f"answered with {checks.describe(doc)}, not an object")
    status, result = doc.get("status"), doc.get("result")
    if status == "0" and result == []:
        return []  # "No transactions found"
    if status == "0" and isinstance(result, str):
        raise refused(where, f"refused the request: {checks.quote_node_text(result)}")
    if status != "1" or not isinstance(result, list):
        raise refused(where, "answered without the status and list of rows its API has")
    if len(result) > MAX_ROWS:
        raise refused(where, f"listed more than {MAX_ROWS:,} rows in one page")
    if not all(isinstance(r, dict) for r in result):
        raise refused(where, "listed rows that are not objects")
    return result


def check_rows(
    raw: list[dict[str, Any]],
    *,
    where: str,
    account: str,
    lo: int,
    hi: int,
    action: str,
) -> list[Row]:
    """Each raw row checked; the whole answer refused when one row is wrong."""
    me = account.lower()
    out: list[Row] = []
    for r in raw:
        row = _row(r, where=where, action=action)
        if not lo <= row.block_number <= hi:
            raise refused(where, "listed a transfer outside the blocks asked for")
        if me not in (row.sender, row.recipient):
            raise refused(where, "listed a transfer of another address than the one asked for")
        out.append(row)
    return out


def _row(r: dict[str, Any], *, where: str, action: str) -> Row:
    tx_hash = (
        r.get("transactionHash")
        if action == "txlistinternal" and "hash" not in r
        else r.get("hash")
    )
    if not isinstance(tx_hash, str) or not _HASH.fullmatch(tx_hash):
        raise refused(where, "listed a row without a transaction hash")
    recipient = r.get("to") or ""
    if recipient and not _address(recipient):
        raise refused(where, "listed a row whose recipient is not an address")
    if not _address(r.get("from")):
        raise refused(where, "listed a row whose sender is not an address")
    token = None
    if action == "tokentx":
        token = r.get("contractAddress")
        if not _address(token):
            raise refused(where, "listed a token transfer without the token's address")
        token = str(token).lower()
    call_type = r.get("callType") or r.get("type") or "call"
    if not isinstance(call_type, str) or len(call_type) > 20:
        raise refused(where, "listed a row with an unreadable call type")
    return Row(
        tx_hash=tx_hash.lower(),
        block_number=_whole(r.get("blockNumber"), where, "block number", checks.BLOCK_MAX),
        timestamp=_whole(r.get("timeStamp"), where, "time", LAST_TIME),
        sender=str(r["from"]).lower(),
        recipient=str(recipient).lower(),
        value=_whole(r.get("value"), where, "value", checks.UINT256_MAX),
        failed=str(r.get("isError") or "0") != "0",
        nonce=_whole(r.get("nonce"), where, "nonce", checks.UINT64_MAX)
        if action == "txlist"
        else None,
        token=token,
        log_index=(
            _whole(r["logIndex"], where, "log index", checks.UINT64_MAX)
            if action == "tokentx" and r.get("logIndex") not in (None, "")
            else None
        ),
        call_type=call_type.lower(),
    )


def _address(value: Any) -> bool:
    return isinstance(value, str) and _ADDRESS.fullmatch(value) is not None


def _whole(value: Any, where: str, what: str, high: int) -> int:
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value) or int(value) > high:
        raise refused(
            where, f"listed a row whose {what} is {checks.describe(value)}, not a whole number"
        )
    return int(value)
