"""Events the core announces, as frozen dataclasses named ``x_did_y`` / ``x_will_y``, and a
small synchronous bus. The UI bridge re-emits them as Qt signals; delegates subscribe to them."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

log = logging.getLogger(__name__)

E = TypeVar("E")


@dataclass(frozen=True)
class block_did_arrive:  # noqa: N801 - event names read as sentences
    chain_id: int
    number: int
    base_fee_wei: int | None = None


@dataclass(frozen=True)
class transfer_did_arrive:  # noqa: N801
    chain_id: int
    account: str
    sender: str
    token: str | None
    amount: int
    tx_hash: str
    block_number: int | None = None


@dataclass(frozen=True)
class approval_did_change:  # noqa: N801
    chain_id: int
    owner: str
    token: str
    spender: str
    amount: int
    tx_hash: str


@dataclass(frozen=True)
class transaction_did_confirm:  # noqa: N801
    chain_id: int
    tx_hash: str
    status: str


@dataclass(frozen=True)
class price_did_cross:  # noqa: N801
    symbol: str
    price: float
    threshold: float
    direction: str  # "up" | "down"


@dataclass(frozen=True)
class review_did_finish:  # noqa: N801
    verdict: str
    codes: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class delegate_did_run:  # noqa: N801
    delegate: str
    run_id: int
    outcome: str
    message: str = ""


@dataclass(frozen=True)
class DataChange:
    """Base of the ``*_did_change`` events: committed rows of one kind changed in the store.

    Published once per kind per committed transaction (``app.store.changes``), from the thread
    that committed. They carry no personal data: only the kind, and the chain when every
    changed row of that kind belongs to one chain (None: several, or not known). A screen
    that shows that kind reloads it."""

    kind: ClassVar[str] = ""
    chain_id: int | None = None


@dataclass(frozen=True)
class contacts_did_change(DataChange):  # noqa: N801
    """The address book or the labels of addresses."""

    kind: ClassVar[str] = "contacts"


@dataclass(frozen=True)
class accounts_did_change(DataChange):  # noqa: N801
    kind: ClassVar[str] = "accounts"


@dataclass(frozen=True)
class networks_did_change(DataChange):  # noqa: N801
    kind: ClassVar[str] = "networks"


@dataclass(frozen=True)
class tokens_did_change(DataChange):  # noqa: N801
    kind: ClassVar[str] = "tokens"


@dataclass(frozen=True)
class proposals_did_change(DataChange):  # noqa: N801
    """A delegate's proposal was added, approved or rejected."""

    kind: ClassVar[str] = "proposals"


@dataclass(frozen=True)
class alerts_did_change(DataChange):  # noqa: N801
    """A delegate run (and the alerts in its output) started or finished."""

    kind: ClassVar[str] = "alerts"


@dataclass(frozen=True)
class settings_did_change(DataChange):  # noqa: N801
    """A preference (theme, idle lock, current network, model choice, ...)."""

    kind: ClassVar[str] = "settings"


@dataclass(frozen=True)
class delegates_did_change(DataChange):  # noqa: N801
    """A delegate was switched on or off, or its settings saved."""

    kind: ClassVar[str] = "delegates"


@dataclass(frozen=True)
class transfers_did_change(DataChange):  # noqa: N801
    """History: a transfer recorded, confirmed, hidden or noted (balances follow)."""

    kind: ClassVar[str] = "transfers"


@dataclass(frozen=True)
class prices_did_change(DataChange):  # noqa: N801
    """Stored market candles (the dollar values and the market screen read them)."""

    kind: ClassVar[str] = "prices"


CHANGE_EVENTS: tuple[type[DataChange], ...] = (
    contacts_did_change,
    accounts_did_change,
    networks_did_change,
    tokens_did_change,
    proposals_did_change,
    alerts_did_change,
    settings_did_change,
    delegates_did_change,
    transfers_did_change,
    prices_did_change,
)


class EventBus:
    """Publish/subscribe by event type. A failing subscriber is logged, never propagates."""

    def __init__(self) -> None:
        self._subs: dict[type, list[Callable[[Any], None]]] = defaultdict(list)
        self._lock = threading.Lock()

    def subscribe(self, event_type: type[E], handler: Callable[[E], None]) -> Callable[[], None]:
        with self._lock:
            self._subs[event_type].append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._subs[event_type]:
                    self._subs[event_type].remove(handler)

        return unsubscribe

    def publish(self, event: object) -> None:
        with self._lock:
            handlers = list(self._subs.get(type(event), ()))
        for handler in handlers:
            try:
                handler(event)
            except Exception:
                log.exception("event handler failed for %s", type(event).__name__)
