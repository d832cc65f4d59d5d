"""The wallet's history on the connected network (``app.wallet.history_view``)."""

from __future__ import annotations

import weakref
from typing import Any

from app.rows import HistoryRow
from app.wallet import replace
from app.wallet.ens_names import ReverseNames
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


# one cache per unlocked store: forgotten with it at lock
_NAMES: weakref.WeakKeyDictionary[Any, ReverseNames] = weakref.WeakKeyDictionary()


def ens_names(sv: AppServices, shown: list[HistoryRow]) -> Op[dict[str, str]]:
    """The verified primary ENS names of the counterparties in ``shown`` (network pool; an
    empty answer on any failure, and for a network without ENS)."""
    addresses = [r.counterparty for r in shown if not r.hidden and not r.counterparty_name]

    def work() -> dict[str, str]:
        wallet = sv.wallet
        if wallet is None or not addresses:
            return {}
        cache = _NAMES.get(sv.store)
        if cache is None:
            cache = _NAMES.setdefault(sv.store, ReverseNames())
        try:
            client = wallet.client
        except Exception:  # no node now: bare addresses
            return {}
        return cache.names(client, addresses)

    return Op(work, lane="network")


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
