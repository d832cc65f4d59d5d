"""The plain data the screens draw; it lives in ``app.rows`` (the services below the windows
return it) and is re-exported here for the screens and table models."""

from __future__ import annotations

from app.rows import (
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
