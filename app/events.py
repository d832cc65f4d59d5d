"""Events the core announces, as frozen dataclasses named ``x_did_y`` / ``x_will_y``, and a
small synchronous bus. The UI bridge re-emits them as Qt signals; delegates subscribe to them."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

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
