"""What the encrypted store tells the transaction review: one function for every reviewer.

The node-backed reviewer and the fallback reviewer both read their stored facts here, so the
two can never disagree about who counts as known.

A *past counterparty* is an address the user chose: the recipient (and the token contract)
of a transaction the user's own key signed. Such a row carries the transaction's nonce: the
wallet records it when it sends (``sender._record``), and the history scan when the block
shows the user sent it (the node recovers ``from`` from the signature; for a token, the
user's transaction called that token's ``transfer`` naming that recipient). Older scans
left native sends from the user without a nonce (``log_index == -1``, no token): they count
too. A Transfer *log* alone is never enough: any contract can emit ``Transfer(victim, anyone,
0)``, which is how address poisoners plant look-alikes. Rows that moved nothing (amount 0)
never count, and neither do transactions that never reached the chain (failed, dropped,
replaced).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.schema import Account, BlocklistEntry, Contact, Transfer, TrustedOrigin
from app.wallet.ports import SessionSource

# Sent, but never on chain: the user's intent did not become an interaction.
NOT_ON_CHAIN = ("failed", "dropped", "replaced", "reorged")


@dataclass(frozen=True)
class StoredFacts:
    """Lower-case addresses (and origins as stored), ready for the review's ``Facts``."""

    address_book: frozenset[str] = frozenset()
    blocklist: frozenset[str] = frozenset()
    trusted_origins: tuple[str, ...] = ()
    past_counterparties: frozenset[str] = frozenset()
    own_accounts: frozenset[str] = frozenset()

    def as_dict(self) -> dict[str, Any]:
        """The keys of a case file's ``facts`` (sorted lists), for ``Facts.from_dict``."""
        return {
            "address_book": sorted(self.address_book),
            "blocklist": sorted(self.blocklist),
            "trusted_origins": list(self.trusted_origins),
            "past_counterparties": sorted(self.past_counterparties),
            "own_accounts": sorted(self.own_accounts),
        }


def _low(address: Any) -> str:
    return address.strip().lower() if isinstance(address, str) else ""


def _moved_something(row: Transfer) -> bool:
    try:
        return int(row.amount) > 0
    except (TypeError, ValueError):  # an unreadable amount proves nothing
        return False


def _signed_by_user(row: Transfer) -> bool:
    """The user's key signed it (it has a nonce), or a block says the user sent it (no log)."""
    return row.nonce is not None or (row.log_index == -1 and row.token is None)


def past_counterparties(session: Session, user: str, chain_id: int | None) -> frozenset[str]:
    """Who ``user`` sent to or called on ``chain_id``; empty when either is unknown."""
    me = _low(user)
    if len(me) != 42 or chain_id is None:
        return frozenset()  # an unknown sender or chain has no history to trust
    rows = session.scalars(
        select(Transfer).where(
            Transfer.chain_id == chain_id,
            Transfer.direction.in_(("out", "self")),
            Transfer.hidden.is_(False),
            Transfer.status.not_in(NOT_ON_CHAIN),
        )
    )
    past: set[str] = set()
    for row in rows:
        if _low(row.sender) != me or _low(row.account) != me:
            continue
        if not _moved_something(row) or not _signed_by_user(row):
            continue
        for address in (row.recipient, row.token):
            if _low(address):
                past.add(_low(address))
    return frozenset(past)


def read_stored_facts(session: Session, *, user: str, chain_id: int | None) -> StoredFacts:
    """The review's facts from one open session (see the module's note on counterparties)."""
    own = session.scalars(select(Account.address).where(Account.kind != "watch"))
    return StoredFacts(
        address_book=frozenset(_low(a) for a in session.scalars(select(Contact.address))),
        blocklist=frozenset(_low(a) for a in session.scalars(select(BlocklistEntry.address))),
        trusted_origins=tuple(sorted(session.scalars(select(TrustedOrigin.origin)))),
        past_counterparties=past_counterparties(session, user, chain_id),
        own_accounts=frozenset(_low(a) for a in own),
    )


def stored_facts(store: SessionSource, *, user: str, chain_id: int | None) -> StoredFacts:
    """``read_stored_facts`` in a session of its own."""
    with store.session() as session:
        return read_stored_facts(session, user=user, chain_id=chain_id)
