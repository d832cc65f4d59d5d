"""History: sent transactions (written by ``sender``) and transfers found on the chain.

A scan reads the blocks and ERC-20 Transfer logs since the last scan of each account
(``ScanState``), stores what concerns the account, deduplicates against what is already there,
and announces each new incoming transfer as ``transfer_did_arrive``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eth_utils import to_checksum_address
from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.events import EventBus, transfer_did_arrive
from app.store.schema import ScanState, Transfer
from app.wallet.addresses import same_address
from app.wallet.chain import ChainClient
from app.wallet.erc20 import TRANSFER_TOPIC
from app.wallet.ports import SessionSource

# How far back the first scan of an account looks, and the most blocks one scan reads: a public
# chain has millions of blocks; a later scan goes on where this one stopped.
MAX_BLOCKS_PER_SCAN = 2000


@dataclass(frozen=True)
class Found:
    tx_hash: str
    log_index: int
    block_number: int
    timestamp: datetime | None
    sender: str
    recipient: str | None
    token: str | None
    amount: int
    nonce: int | None = None  # set only when the account's own key signed the transaction


@dataclass(frozen=True)
class HistoryItem:
    chain_id: int
    account: str
    tx_hash: str
    direction: str
    sender: str
    recipient: str | None
    token: str | None
    amount: int
    status: str
    block_number: int | None
    timestamp: datetime | None
    nonce: int | None
    hidden: bool = False  # e.g. address poisoning
    note: str = ""


def _topic(address: str) -> str:
    return "0x" + "0" * 24 + address[2:].lower()


def _hex(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    text = value.hex() if hasattr(value, "hex") and not isinstance(value, str) else str(value)
    return text if text.startswith("0x") else "0x" + text


def scan(
    store: SessionSource,
    client: ChainClient,
    accounts: list[str],
    *,
    bus: EventBus | None = None,
    max_blocks: int = MAX_BLOCKS_PER_SCAN,
) -> int:
    """Scan the chain for the accounts' transfers; returns how many new rows were stored."""
    if not accounts:
        return 0
    head = client.block_number()
    with store.session() as s:
        starts = {}
        for a in accounts:
            st = s.get(ScanState, (client.chain_id, a))
            starts[a] = st.last_block + 1 if st else max(0, head - max_blocks + 1)
    first = min(starts.values())
    last = min(head, first + max_blocks - 1)
    if first > last:
        return 0

    found: dict[str, list[Found]] = {a: [] for a in accounts}
    times: dict[int, datetime | None] = {}
    lowered = {a.lower(): a for a in accounts}
    signed: dict[str, Any] = {}  # transactions the accounts sent, by hash
    # Native coin: every transaction with value in the range.
    for number in range(first, last + 1):
        block = client.block(number, full=True)
        ts = datetime.fromtimestamp(int(block["timestamp"]), UTC)
        times[number] = ts
        for tx in block.get("transactions", []):
            if str(tx["from"]).lower() in lowered:
                signed[_hex(tx["hash"])] = tx
            value = int(tx.get("value", 0))
            if not value:
                continue
            frm, to = str(tx["from"]), str(tx.get("to") or "")
            for who in {frm.lower(), to.lower()} & lowered.keys():
                account = lowered[who]
                if number >= starts[account]:
                    nonce = int(tx["nonce"]) if who == frm.lower() else None
                    found[account].append(
                        Found(_hex(tx["hash"]), -1, number, ts, frm, to or None, None, value, nonce)
                    )
    # ERC-20: Transfer logs to or from each account.
    for account in accounts:
        lo = max(first, starts[account])
        if lo > last:
            continue
        for position in (1, 2):  # topic 1 = from, topic 2 = to
            topics: list[Any] = [TRANSFER_TOPIC, None, None]
            topics[position] = _topic(account)
            for entry in client.logs({"fromBlock": lo, "toBlock": last, "topics": topics}):
                if len(entry.get("topics", [])) != 3:
                    continue  # an ERC-721 Transfer has the id indexed too
                t = entry["topics"]
                number = int(entry["blockNumber"])
                recipient = to_checksum_address("0x" + _hex(t[2])[-40:])
                tx = signed.get(_hex(entry["transactionHash"])) if position == 1 else None
                found[account].append(
                    Found(
                        _hex(entry["transactionHash"]),
                        int(entry["logIndex"]),
                        number,
                        times.get(number),
                        to_checksum_address("0x" + _hex(t[1])[-40:]),
                        recipient,
                        to_checksum_address(entry["address"]),
                        int(_hex(entry["data"]), 16) if _hex(entry["data"]) != "0x" else 0,
                        _signed_transfer_nonce(tx, account, str(entry["address"]), recipient),
                    )
                )
    new_in: list[transfer_did_arrive] = []
    added = 0
    with store.session() as s:
        for account, items in found.items():
            for f in items:
                direction = _merge(s, client.chain_id, account, f)
                if direction is not None:
                    added += 1
                    if direction == "in":
                        new_in.append(
                            transfer_did_arrive(
                                client.chain_id,
                                account,
                                f.sender,
                                f.token,
                                f.amount,
                                f.tx_hash,
                                f.block_number,
                            )
                        )
            _advance(s, client.chain_id, account, last)
    if bus is not None:
        for event in new_in:
            bus.publish(event)
    return added


def _advance(s: Session, chain_id: int, account: str, last: int) -> None:
    """Record how far the account was scanned: an upsert that never moves back, so scans
    running at once (four windows, the daemon and a command) never collide on the key."""
    stmt = insert(ScanState).values(chain_id=chain_id, address=account, last_block=last)
    s.execute(
        stmt.on_conflict_do_update(
            index_elements=[ScanState.chain_id, ScanState.address],
            set_={"last_block": func.max(ScanState.last_block, stmt.excluded.last_block)},
        )
    )


def _merge(s: Session, chain_id: int, account: str, f: Found) -> str | None:
    """Store ``f`` unless it is already there; returns the new row's direction, or None for a
    duplicate. The insert is an upsert on the unique key: a row another scan stored in the
    meantime is a duplicate, never an IntegrityError."""
    same_tx = list(
        s.scalars(
            select(Transfer).where(
                Transfer.chain_id == chain_id,
                Transfer.account == account,
                Transfer.tx_hash == f.tx_hash,
            )
        )
    )
    for row in same_tx:
        if row.log_index == f.log_index:
            _settle(row, f)
            return None
        # The row ``sender`` wrote for a token transfer has no log index yet: this is it.
        if row.log_index == -1 and f.log_index >= 0 and same_address(row.token, f.token):
            row.log_index = f.log_index
            _settle(row, f)
            return None
    if same_address(f.sender, account):
        direction = "self" if same_address(f.recipient, account) else "out"
    else:
        direction = "in"
    stmt = (
        insert(Transfer)
        .values(
            chain_id=chain_id,
            account=account,
            tx_hash=f.tx_hash,
            log_index=f.log_index,
            block_number=f.block_number,
            timestamp=f.timestamp,
            direction=direction,
            sender=to_checksum_address(f.sender),
            recipient=to_checksum_address(f.recipient) if f.recipient else None,
            token=f.token,
            amount=str(f.amount),
            nonce=f.nonce,
            status="confirmed",
            hidden=False,
            note="",
        )
        .on_conflict_do_nothing(
            index_elements=[
                Transfer.chain_id,
                Transfer.tx_hash,
                Transfer.log_index,
                Transfer.account,
            ]
        )
    )
    inserted = s.execute(stmt).rowcount  # type: ignore[attr-defined]
    return direction if inserted else None


def _signed_transfer_nonce(tx: Any, account: str, token: str, recipient: str) -> int | None:
    """The nonce of ``tx`` when ``account`` signed it as this very transfer: sent to the
    token contract, naming ``recipient`` in ``transfer``/``transferFrom``. A Transfer log alone
    proves nothing (any contract can emit one), so this is what marks a token send as the
    user's own (``app.wallet.stored_facts``)."""
    if tx is None or not same_address(str(tx.get("from")), account):
        return None
    if not same_address(str(tx.get("to") or ""), token):
        return None
    data = _hex(tx.get("input") or tx.get("data") or b"")[2:].lower()  # eth-tester: "data"
    if data[:8] == "a9059cbb":  # transfer(to, value)
        named, value = data[32:72], data[72:136]
    elif data[:8] == "23b872dd" and data[32:72] == account[2:].lower():  # transferFrom
        named, value = data[96:136], data[136:200]
    else:
        return None
    try:
        moved = int(value, 16) > 0
    except ValueError:  # calldata too short to say
        return None
    return int(tx["nonce"]) if moved and named == recipient[2:].lower() else None


def _settle(row: Transfer, f: Found) -> None:
    row.block_number = f.block_number
    row.timestamp = row.timestamp or f.timestamp
    if row.status == "pending":
        row.status = "confirmed"


def list_history(
    store: SessionSource,
    *,
    chain_id: int | None = None,
    account: str | None = None,
    limit: int = 100,
    include_hidden: bool = False,
) -> list[HistoryItem]:
    """Newest first; pending (no block yet) on top."""
    q = select(Transfer)
    if chain_id is not None:
        q = q.where(Transfer.chain_id == chain_id)
    if account is not None:
        q = q.where(Transfer.account == account)
    if not include_hidden:
        q = q.where(Transfer.hidden.is_(False))
    q = q.order_by(Transfer.block_number.desc().nulls_first(), Transfer.id.desc()).limit(limit)
    with store.session() as s:
        return [
            HistoryItem(
                r.chain_id,
                r.account,
                r.tx_hash,
                r.direction,
                r.sender,
                r.recipient,
                r.token,
                int(r.amount),
                r.status,
                r.block_number,
                r.timestamp,
                r.nonce,
                bool(r.hidden),
                r.note or "",
            )
            for r in s.scalars(q)
        ]
