"""Reorgs under stored history: the hashes of the last scanned heads, checked on each scan.

Each finished scan notes the hash of the block it reached (``app_meta``, a few per chain). The
next scan reads that block again: a different hash means the chain was reorganised under the
rows stored since. The newest noted block whose hash still matches is the fork point; rows
above it are marked ``reorged`` and the range above it is scanned again. A row found again
becomes ``confirmed`` (in its new block); one that is not stays marked, and never counts as
something the user sent (``app.wallet.stored_facts``).
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.errors import NetworkError
from app.store.schema import AppMeta, Transfer
from app.wallet import rpc_checks as checks
from app.wallet.chain import ChainClient

log = logging.getLogger(__name__)

TIPS_KEPT = 12
# With no noted block left that matches, rescan this far below the oldest one.
DEEP_REORG_BLOCKS = 128
REORGED = "reorged"


def _key(chain_id: int) -> str:
    return f"history.tips.{chain_id}"


def load_tips(s: Session, chain_id: int) -> dict[int, str]:
    row = s.get(AppMeta, _key(chain_id))
    if row is None:
        return {}
    try:
        raw = json.loads(row.value)
        return {int(k): str(v) for k, v in raw.items()}
    except (ValueError, TypeError, AttributeError):
        return {}  # unreadable: no reorg check this once; the notes are rewritten below


def save_tip(s: Session, chain_id: int, number: int, block_hash: str) -> None:
    tips = load_tips(s, chain_id)
    tips[number] = block_hash
    kept = dict(sorted(tips.items())[-TIPS_KEPT:])
    value = json.dumps({str(k): v for k, v in kept.items()})
    stmt = insert(AppMeta).values(key=_key(chain_id), value=value)
    s.execute(stmt.on_conflict_do_update(index_elements=[AppMeta.key], set_={"value": value}))


def block_hash(client: ChainClient, number: int | str) -> tuple[int, str]:
    block = client.block(number)
    raw = checks.data(block.get("hash"), where=client.where, what="a block (hash)", size=32)
    got = checks.quantity(
        block.get("number"), where=client.where, what="a block (number)", high=checks.BLOCK_MAX
    )
    return got, "0x" + raw.hex()


def fork_point(client: ChainClient, tips: dict[int, str], head: int) -> int | None:
    """The highest block known to be unchanged when a noted block's hash changed; None when
    the newest noted block still stands (no reorg)."""
    changed = False
    for number in sorted(tips, reverse=True):
        if number > head:
            changed = True  # the chain is now shorter than what was scanned
            continue
        try:
            _, current = block_hash(client, number)
        except NetworkError:
            if not changed:
                return None  # cannot tell now; the next scan checks again
            raise
        if current == tips[number]:
            return number if changed else None
        changed = True
        log.warning("the chain was reorganised under a scanned block")
    if not changed:
        return None
    oldest = min(tips) if tips else 0
    return max(0, min(oldest, head) - DEEP_REORG_BLOCKS)


def mark_reorged(s: Session, chain_id: int, accounts: list[str], above: int) -> int:
    """Mark confirmed rows above block ``above`` as reorged; returns how many."""
    result = s.execute(
        update(Transfer)
        .where(
            Transfer.chain_id == chain_id,
            Transfer.account.in_(accounts),
            Transfer.block_number > above,
            Transfer.status == "confirmed",
            Transfer.amount != "0",  # a scan cannot find those again: they stay as sent
        )
        .values(status=REORGED)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
