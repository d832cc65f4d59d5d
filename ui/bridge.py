"""The one place where core events become Qt signals.

The core publishes frozen-dataclass events on an ``EventBus`` from whatever thread it runs on;
each is re-emitted here as a Qt signal, which Qt queues onto the GUI thread for receivers there.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app import events as ev


class EventBridge(QObject):
    block_did_arrive = Signal(object)
    transfer_did_arrive = Signal(object)
    approval_did_change = Signal(object)
    transaction_did_confirm = Signal(object)
    price_did_cross = Signal(object)
    review_did_finish = Signal(object)
    delegate_did_run = Signal(object)
    # Committed changes of the store (app.store.changes), one signal per kind.
    contacts_did_change = Signal(object)
    accounts_did_change = Signal(object)
    networks_did_change = Signal(object)
    tokens_did_change = Signal(object)
    proposals_did_change = Signal(object)
    alerts_did_change = Signal(object)
    settings_did_change = Signal(object)
    delegates_did_change = Signal(object)
    transfers_did_change = Signal(object)
    prices_did_change = Signal(object)
    # Any event at all, for the notification router.
    any_event = Signal(object)

    EVENT_TYPES: tuple[type, ...] = (
        ev.block_did_arrive,
        ev.transfer_did_arrive,
        ev.approval_did_change,
        ev.transaction_did_confirm,
        ev.price_did_cross,
        ev.review_did_finish,
        ev.delegate_did_run,
        *ev.CHANGE_EVENTS,
    )

    def __init__(self, bus: ev.EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: list[Callable[[], None]] = []
        for event_type in self.EVENT_TYPES:
            signal = getattr(self, event_type.__name__)
            self._unsubscribe.append(bus.subscribe(event_type, self._emitter(signal)))

    def _emitter(self, signal: Signal) -> Callable[[object], None]:
        def emit(event: object) -> None:
            signal.emit(event)  # type: ignore[attr-defined]
            self.any_event.emit(event)

        return emit

    def detach(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
