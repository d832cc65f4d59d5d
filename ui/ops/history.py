"""The wallet's history on the connected network (``app.wallet.history_view``)."""

from __future__ import annotations

from app.rows import HistoryRow
from app.wallet.history_view import history_rows
from ui.ops.core import Op
from ui.services import AppServices

LIMIT = 500


def rows(sv: AppServices, account: str | None = None, limit: int = LIMIT) -> list[HistoryRow]:
    """Blocking; for the other ops. Only this network's transfers (the chain filter)."""
    return history_rows(sv.store, chain_id=sv.chain_id, account=account, limit=limit)


def load(sv: AppServices, account: str | None = None, limit: int = LIMIT) -> Op[list[HistoryRow]]:
    return Op(lambda: rows(sv, account, limit), lane="store")
