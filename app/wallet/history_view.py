"""History as people read it: ``history.list_history`` with token symbols, human amounts and
the names of contacts and accounts (the rows the windows draw)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.rows import HistoryRow
from app.store import schema as s
from app.wallet import history
from app.wallet.ports import SessionSource


def _units(amount: int, decimals: int) -> Decimal:
    try:
        return Decimal(int(amount)).scaleb(-decimals)
    except (ValueError, ArithmeticError):
        return Decimal(0)


def history_rows(
    store: SessionSource,
    *,
    chain_id: int | None = None,
    account: str | None = None,
    limit: int = 500,
) -> list[HistoryRow]:
    """Newest first, pending on top; hidden rows (address poisoning) included and marked."""
    items = history.list_history(
        store, chain_id=chain_id, account=account, limit=limit, include_hidden=True
    )
    with store.session() as ses:
        tokens = {
            (t.chain_id, t.address.lower()): (t.symbol, t.decimals)
            for t in ses.scalars(select(s.Token))
        }
        names = {c.address.lower(): c.name for c in ses.scalars(select(s.Contact))}
        names.update({a.address.lower(): a.name for a in ses.scalars(select(s.Account))})
        native = {n.chain_id: n.native_symbol for n in ses.scalars(select(s.Network))}
    out = []
    for t in items:
        if t.token:
            sym, dec = tokens.get((t.chain_id, t.token.lower()), (t.token[:8], 18))
        else:
            sym, dec = native.get(t.chain_id, "ETH"), 18
        other = (t.sender if t.direction == "in" else t.recipient) or ""
        out.append(
            HistoryRow(
                when=t.timestamp,
                direction=t.direction,
                counterparty=other,
                counterparty_name=names.get(other.lower(), ""),
                asset=sym,
                amount=_units(t.amount, dec),
                status=t.status,
                tx_hash=t.tx_hash,
                hidden=t.hidden,
                note=t.note,
                account=t.account,
            )
        )
    return out
