"""The wallet's history on the connected network (``app.wallet.history_view``)."""

from __future__ import annotations

from app.rows import HistoryRow
from app.wallet import replace
from app.wallet.history_view import history_rows
from app.wallet.services import PreparedSend
from ui.ops.core import Op
from ui.services import AppServices, require

LIMIT = 500


def rows(sv: AppServices, account: str | None = None, limit: int = LIMIT) -> list[HistoryRow]:
    """Blocking; for the other ops. Only this network's transfers (the chain filter)."""
    return history_rows(sv.store, chain_id=sv.chain_id, account=account, limit=limit)


def load(sv: AppServices, account: str | None = None, limit: int = LIMIT) -> Op[list[HistoryRow]]:
    return Op(lambda: rows(sv, account, limit), lane="store")


def prepare_replacement(sv: AppServices, tx_hash: str, cancel: bool) -> Op[PreparedSend]:
    """Speed up (or cancel) a pending send: the original is checked on the node and the
    replacement built and reviewed (network pool); confirm with ``send.sign_and_send``."""
    return Op(
        lambda: require(sv.wallet, "The wallet").prepare_replacement(tx_hash, cancel),
        lane="network",
    )


def settle_original(sv: AppServices, old_hash: str) -> Op[str]:
    """After a replacement: if the original was mined first, record what it became (as
    ``warden tx`` does); returns its status on chain. A store write, so the store worker
    (one node call, under the client's deadline)."""

    def work() -> str:
        wallet = require(sv.wallet, "The wallet")
        return replace.settle_original(sv.store, wallet.client, old_hash)

    return Op(work, lane="store")
