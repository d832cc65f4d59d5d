"""What the intent parser may know of the user's wallet: its token symbols and the names of
its accounts, contacts and labels (``models.intent_spans.WalletWords``), read from the store.

Only names and symbols: the parser matches them in a sentence and keeps the name the user
wrote; addresses are resolved later by the feature the action opens (the Send screen, the
address book), never by the parser.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.store import schema as s
from models.intent_spans import WalletWords


def from_store(store: Any) -> WalletWords:
    """The wallet's words; an empty set of words when there is no store."""
    if store is None:
        return WalletWords()
    with store.session() as ses:
        names = [a.name for a in ses.scalars(select(s.Account).where(s.Account.hidden.is_(False)))]
        names += [c.name for c in ses.scalars(select(s.Contact))]
        names += [lb.label for lb in ses.scalars(select(s.Label))]
        symbols = {t.symbol for t in ses.scalars(select(s.Token))}
        symbols |= {n.native_symbol for n in ses.scalars(select(s.Network))}
    clean = tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    return WalletWords(
        symbols=frozenset(x.upper() for x in symbols if x and x.isascii() and x.isalnum()),
        names=clean,
    )
