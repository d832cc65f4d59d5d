"""Deprecated: the ``Backend`` facade is gone. Screens take ``ui.services.AppServices`` and call
``ui.ops.<domain>`` functions, which return an ``Op`` bound to the right worker; the rows live
in ``app.rows`` (re-exported by ``ui.rows``). These names stay importable from here for code
written against the old module; import them from ``ui.rows`` instead."""

from __future__ import annotations

from ui.rows import (
    AccountRow,
    BalanceRow,
    Candles,
    ContactRow,
    DelegateRow,
    HistoryRow,
    ModelRow,
    NetworkRow,
    ProposalRow,
    RemotePreview,
    RemoteSettings,
    RunRow,
    SendDraft,
    WalletAction,
)

__all__ = [
    "AccountRow",
    "BalanceRow",
    "Candles",
    "ContactRow",
    "DelegateRow",
    "HistoryRow",
    "ModelRow",
    "NetworkRow",
    "ProposalRow",
    "RemotePreview",
    "RemoteSettings",
    "RunRow",
    "SendDraft",
    "WalletAction",
]
