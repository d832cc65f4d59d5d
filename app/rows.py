"""The plain data the front ends draw: frozen rows, read on a worker, handed to the GUI thread.

Qt-free, so that the services below the windows (app/wallet/services.py, the delegates' and
the assistant's services) return them and ui/ only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class AccountRow:
    address: str
    name: str
    kind: str  # "hd" | "imported" | "watch"


@dataclass(frozen=True)
class BalanceRow:
    symbol: str
    amount: Decimal
    token: str | None = None  # None = the chain's native coin
    decimals: int = 18
    fiat: Decimal | None = None  # value in USD, when a price is known


@dataclass(frozen=True)
class HistoryRow:
    when: datetime | None
    direction: str  # "in" | "out" | "self"
    counterparty: str
    counterparty_name: str
    asset: str
    amount: Decimal
    status: str
    tx_hash: str
    hidden: bool = False  # e.g. address poisoning
    note: str = ""
    account: str = ""


@dataclass(frozen=True)
class ContactRow:
    name: str
    address: str
    note: str = ""


@dataclass(frozen=True)
class NetworkRow:
    name: str
    chain_id: int
    rpc_url: str
    native_symbol: str = "ETH"


@dataclass(frozen=True)
class DelegateRow:
    name: str
    description: str
    enabled: bool
    triggers: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    may_propose: bool = False
    fields: tuple[Any, ...] = ()  # delegates.runtime.settings_form.SettingField, one a field


@dataclass(frozen=True)
class RunRow:
    id: int
    delegate: str
    trigger: str
    started_at: datetime | None
    ended_at: datetime | None
    outcome: str
    message: str


@dataclass(frozen=True)
class ProposalRow:
    id: int
    delegate: str
    kind: str
    title: str
    payload: dict[str, Any]
    created_at: datetime | None


@dataclass(frozen=True)
class ModelRow:
    name: str
    path: str
    size_mb: float
    memory_mb: float | None
    context: int | None
    source: str  # "bundled" | "imported" | "remote"
    licence: str = ""


@dataclass(frozen=True)
class Candles:
    symbol: str
    ts: list[int]  # ms since epoch
    open: list[float]
    high: list[float]
    low: list[float]
    close: list[float]
    volume: list[float]


@dataclass(frozen=True)
class RemotePreview:
    host: str
    sent_text: str  # exactly what would leave the machine, after anonymization


@dataclass(frozen=True)
class WalletAction:
    """An action the assistant understood; shown for confirmation, never executed by it."""

    kind: str  # "send" | "swap" | "add_contact" | "check_balance" | "explain_last" | "question"
    description: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RemoteSettings:
    enabled: bool = False
    url: str = ""
    model: str = ""
    has_key: bool = False


@dataclass
class SendDraft:
    """A send the user has filled in; ``prepared`` is whatever the wallet built for it."""

    account: str
    recipient: str
    asset: str  # symbol; native coin or a token in the wallet
    amount: Decimal
    fee: str = "normal"  # "slow" | "normal" | "fast"
    prepared: Any = None


def format_decimal(amount: Decimal, places: int = 6) -> str:
    """An amount for people: grouped, at most ``places`` decimals, no trailing zeros."""
    q = amount.quantize(Decimal(1).scaleb(-places)) if amount == amount else amount
    text = f"{q:,.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


def format_fiat(value: Decimal | None) -> str:
    return "—" if value is None else f"${value:,.2f}"
