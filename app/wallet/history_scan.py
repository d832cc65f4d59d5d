"""One history scan: what changed for each account since its last scan, read and stored.

Native coin: bisection over the account's past balance and nonce (``history_bisect``), then
only the blocks where they changed (``history_native``). A node that keeps no past state falls
back to reading blocks in full over a short range (``history_blocks``). Tokens: Transfer logs
by large ranges, halved when refused (``history_logs``). An account's first scan covers its
whole life; a scan that stops part way (a refusal, a timeout) stores what it found, records
how far everything is known, says so in its report, and the next scan resumes there.

Where the node falls short (no past state, no traces) and the user configured an explorer for
the network (``app.wallet.explorers``, off by default), the explorer fills in; the report's
``asked`` says what it was sent.

Two sessions, as before: the first reads where each account starts, the second writes
everything (upserts, so scans running at once never lose or duplicate a row).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from eth_utils import to_checksum_address

from app.errors import NetworkError
from app.events import EventBus, transfer_did_arrive
from app.store.schema import ScanState
from app.wallet import explorers
from app.wallet import history_reorg as reorg
from app.wallet.chain import ChainClient
from app.wallet.explorers import fill
from app.wallet.history_bisect import Bisection, StateProbe
from app.wallet.history_blocks import MAX_BLOCKS_PER_SCAN, BlockScan, scan_blocks
from app.wallet.history_found import Found, hex_of
from app.wallet.history_logs import TransferLogs
from app.wallet.history_native import read_changed_block
from app.wallet.history_rows import advance, merge, signed_transfer_nonce
from app.wallet.ports import SessionSource

log = logging.getLogger(__name__)

BISECTION = "state bisection"
BLOCK_BY_BLOCK = "block by block"


@dataclass
class AccountReport:
    """How far one account's history is known after a scan, and how it was read."""

    account: str
    start: int
    target: int
    reached: int  # every transfer up to this block is stored
    method: str = BISECTION
    notes: list[str] = field(default_factory=list)  # what stopped or narrowed it, in words
    asked: list[str] = field(default_factory=list)  # what an explorer was asked and sent

    @property
    def complete(self) -> bool:
        return self.reached >= self.target and not self.notes


@dataclass
class ScanReport:
    added: int = 0
    head: int = 0
    accounts: list[AccountReport] = field(default_factory=list)
    reorg_below: int | None = None  # rows above this block were checked again
    requests: int = 0
    bytes_received: int = 0


Progress = Callable[[str, int, int], None]  # account, reached, target


def scan(
    store: SessionSource,
    client: ChainClient,
    accounts: list[str],
    *,
    bus: EventBus | None = None,
    max_blocks: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Scan the chain for the accounts' transfers; returns how many new rows were stored."""
    report = scan_history(
        store, client, accounts, bus=bus, max_blocks=max_blocks, progress=progress
    )
    return report.added


def scan_history(
    store: SessionSource,
    client: ChainClient,
    accounts: list[str],
    *,
    bus: EventBus | None = None,
    max_blocks: int | None = None,
    progress: Progress | None = None,
    traces: bool = True,
) -> ScanReport:
    """Scan and report how far each account got (``max_blocks``: the most blocks this scan
    covers; None for up to the head)."""
    requests0, bytes0 = client.counter.snapshot()
    report = ScanReport()
    if not accounts:
        return report
    head, head_hash = reorg.block_hash(client, "latest")
    report.head = head
    with store.session() as s:
        known = {a: s.get(ScanState, (client.chain_id, a)) for a in accounts}
        starts = {a: (st.last_block + 1 if st else 0) for a, st in known.items()}
        tips = reorg.load_tips(s, client.chain_id)
        explorer = explorers.explorer_for(s, client.chain_id)  # None unless the user set one
    scanned_before = [a for a, st in known.items() if st is not None]
    if scanned_before and tips:
        fork = reorg.fork_point(client, tips, head)
        if fork is not None:
            report.reorg_below = fork
            for a in scanned_before:
                starts[a] = min(starts[a], fork + 1)
    first = min(starts.values())
    last = head if max_blocks is None else min(head, first + max(1, max_blocks) - 1)

    found: dict[str, list[Found]] = {a: [] for a in accounts}
    signed: dict[str, dict[str, Any]] = {}
    times: dict[int, datetime | None] = {}
    fallen_back: list[str] = []
    for a in accounts:
        r = AccountReport(a, starts[a], last, starts[a] - 1)
        report.accounts.append(r)
        if r.start > last:
            r.reached = last
            continue
        if not _bisect(client, r, found[a], signed, times, progress, traces, explorer):
            fallen_back.append(a)
    if fallen_back:
        _blocks(client, report, fallen_back, found, signed, times, known, explorer)
    _tokens(client, report, accounts, found, signed, times)

    added, new_in = _store(store, client, report, found, head, head_hash, last)
    if bus is not None:
        for event in new_in:
            bus.publish(event)
    report.added = added
    requests1, bytes1 = client.counter.snapshot()
    report.requests, report.bytes_received = requests1 - requests0, bytes1 - bytes0
    return report


def _bisect(
    client: ChainClient,
    r: AccountReport,
    out: list[Found],
    signed: dict[str, dict[str, Any]],
    times: dict[int, datetime | None],
    progress: Progress | None,
    traces: bool,
    explorer: explorers.Explorer | None = None,
) -> bool:
    """Native coin of one account by bisection; False when the node keeps no past state."""
    probe = StateProbe(client, r.account)
    bisection = Bisection(probe, r.start - 1, r.target) if r.start > 0 else None
    if bisection is None:  # from genesis: its state is where the account's life begins
        bisection = Bisection(probe, 0, r.target)
        _genesis_is_the_start(r)
    try:
        for number in bisection:
            block = read_changed_block(client, probe, number, traces=traces)
            out.extend(block.found)
            signed.update(block.signed)
            times[number] = block.timestamp
            if block.unexplained and not _explained(client, explorer, r, number, out):
                r.notes.append(
                    f"Native coin arrived in block {number} that the node cannot explain "
                    "(it has no traces); an explorer can name the sender."
                )
            if progress is not None:
                progress(r.account, number, r.target)
    except NetworkError as exc:
        if bisection.resolved <= bisection.lo:
            log.info("past state refused; falling back to reading blocks")
            return False
        r.reached = bisection.resolved
        r.notes.append(f"Stopped at block {r.reached:,} of {r.target:,}: {exc} It resumes there.")
        return True
    r.reached = r.target
    if progress is not None:
        progress(r.account, r.target, r.target)
    return True


def _genesis_is_the_start(r: AccountReport) -> None:
    r.start = 1  # block 0's allocations are a starting balance, not a transfer


def _blocks(
    client: ChainClient,
    report: ScanReport,
    accounts: list[str],
    found: dict[str, list[Found]],
    signed: dict[str, dict[str, Any]],
    times: dict[int, datetime | None],
    known: dict[str, ScanState | None],
    explorer: explorers.Explorer | None = None,
) -> None:
    """The fallback: full blocks over at most ``MAX_BLOCKS_PER_SCAN`` blocks."""
    rows = {r.account: r for r in report.accounts}
    target = rows[accounts[0]].target
    lo = min(rows[a].start for a in accounts)
    never = [a for a in accounts if known[a] is None]
    if never:  # a first scan without past state: only the recent blocks can be read
        lo = max(lo, target - MAX_BLOCKS_PER_SCAN + 1)
    hi = min(target, lo + MAX_BLOCKS_PER_SCAN - 1)
    scanned = BlockScan({a: [] for a in accounts}, resolved=lo - 1)
    error: NetworkError | None = None
    try:
        scan_blocks(client, accounts, lo, hi, scanned)
    except NetworkError as exc:
        error = exc
    signed.update(scanned.signed)
    times.update(scanned.times)
    for a in accounts:
        r = rows[a]
        r.method = BLOCK_BY_BLOCK
        r.reached = scanned.resolved
        found[a].extend(f for f in scanned.found[a] if f.block_number >= r.start)
        filled = _fill(client, explorer, r, lo if a in never else r.start, found[a])
        if a in never and lo > r.start and not filled:
            r.notes.append(
                f"The node keeps no past state: native coin before block {lo:,} was not "
                "read. An archive node or an explorer can fill it in."
            )
        if not filled:
            r.notes.append(
                "Read block by block, native coin a contract sends inside a transaction is "
                "not seen; an explorer can add it."
            )
        if error is not None:
            r.notes.append(f"Stopped at block {r.reached:,} of {target:,}: {error}")
        elif hi < target:
            r.notes.append(f"Read blocks up to {hi:,} of {target:,}; the next scan goes on.")
        r.start = min(r.start, lo)


def _explained(
    client: ChainClient,
    explorer: explorers.Explorer | None,
    r: AccountReport,
    number: int,
    out: list[Found],
) -> bool:
    """Ask the explorer who sent native coin the node's block does not explain."""
    if explorer is None:
        return False
    r.asked.append(fill.asked(explorer, "internal transfers", number, number))
    try:
        got = fill.internal(client, explorer, r.account, number, number)
    except NetworkError as exc:
        r.notes.append(exc.user_message())
        return False
    # Traces may have named part of it already: the explorer adds only what they did not.
    seen = {
        (f.tx_hash.lower(), f.sender.lower(), f.amount) for f in out if f.block_number == number
    }
    new = [f for f in got if (f.tx_hash, f.sender.lower(), f.amount) not in seen]
    out.extend(new)
    return bool(new)


def _fill(
    client: ChainClient,
    explorer: explorers.Explorer | None,
    r: AccountReport,
    read_from: int,
    out: list[Found],
) -> bool:
    """The fallback's gaps from the explorer: native coin in the blocks before ``read_from``
    (no past state) and internal transfers throughout; False when there is none to ask or it
    failed (the report says why)."""
    if explorer is None or r.reached < max(r.start, 1):
        return False
    lo = max(r.start, 1)
    try:
        if read_from > lo:
            r.asked.append(fill.asked(explorer, "native transactions", lo, read_from - 1))
            out.extend(fill.native(client, explorer, r.account, lo, read_from - 1))
        r.asked.append(fill.asked(explorer, "internal transfers", lo, r.reached))
        out.extend(fill.internal(client, explorer, r.account, lo, r.reached))
    except NetworkError as exc:
        r.notes.append(exc.user_message())
        return False
    return True


def _tokens(
    client: ChainClient,
    report: ScanReport,
    accounts: list[str],
    found: dict[str, list[Found]],
    signed: dict[str, dict[str, Any]],
    times: dict[int, datetime | None],
) -> None:
    rows = {r.account: r for r in report.accounts}
    lo = min(r.start for r in report.accounts)
    hi = max(r.reached for r in report.accounts)
    if lo > hi:
        return
    lowered = {a.lower(): a for a in accounts}
    logs = TransferLogs(client, accounts, lo, hi)
    try:
        for position, entry in logs:
            if len(entry.get("topics", [])) != 3:
                continue  # an ERC-721 Transfer has the id indexed too
            _token_row(client, entry, position, lowered, rows, found, signed, times)
    except NetworkError as exc:
        for r in report.accounts:
            if r.reached > logs.resolved:
                r.reached = max(logs.resolved, r.start - 1)
                r.notes.append(
                    f"Token transfers are known up to block {r.reached:,}: {exc} "
                    "The next scan resumes there."
                )


def _token_row(
    client: ChainClient,
    entry: dict[str, Any],
    position: int,
    lowered: dict[str, str],
    rows: dict[str, AccountReport],
    found: dict[str, list[Found]],
    signed: dict[str, dict[str, Any]],
    times: dict[int, datetime | None],
) -> None:
    t = entry["topics"]
    who = "0x" + hex_of(t[position])[-40:].lower()
    account = lowered.get(who)
    if account is None:
        return
    number = int(entry["blockNumber"])
    if number < rows[account].start:
        return
    tx_hash = hex_of(entry["transactionHash"])
    recipient = to_checksum_address("0x" + hex_of(t[2])[-40:])
    tx = None
    if position == 1:  # sent from the account: did its key sign this very transfer?
        tx = signed.get(tx_hash) or client.transaction(tx_hash)
    if number not in times:
        block = client.block(number)
        times[number] = datetime.fromtimestamp(int(block["timestamp"]), UTC)
    data = hex_of(entry["data"])
    found[account].append(
        Found(
            tx_hash,
            int(entry["logIndex"]),
            number,
            times[number],
            to_checksum_address("0x" + hex_of(t[1])[-40:]),
            recipient,
            to_checksum_address(entry["address"]),
            int(data, 16) if data != "0x" else 0,
            signed_transfer_nonce(tx, account, str(entry["address"]), recipient),
        )
    )


def _store(
    store: SessionSource,
    client: ChainClient,
    report: ScanReport,
    found: dict[str, list[Found]],
    head: int,
    head_hash: str,
    last: int,
) -> tuple[int, list[transfer_did_arrive]]:
    new_in: list[transfer_did_arrive] = []
    added = 0
    with store.session() as s:
        if report.reorg_below is not None:
            marked = reorg.mark_reorged(
                s, client.chain_id, [r.account for r in report.accounts], report.reorg_below
            )
            log.warning("reorg: %d stored rows to check again", marked)
        for r in report.accounts:
            for f in sorted(found[r.account], key=lambda f: (f.block_number, f.log_index)):
                direction = merge(s, client.chain_id, r.account, f)
                if direction is None:
                    continue
                added += 1
                if direction == "in":
                    new_in.append(
                        transfer_did_arrive(
                            client.chain_id,
                            r.account,
                            f.sender,
                            f.token,
                            f.amount,
                            f.tx_hash,
                            f.block_number,
                        )
                    )
            if r.reached >= 0:
                advance(s, client.chain_id, r.account, r.reached)
        if last == head and all(r.reached >= head for r in report.accounts):
            reorg.save_tip(s, client.chain_id, head, head_hash)
    return added, new_in
