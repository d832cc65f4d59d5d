"""What the windows are given: one typed, frozen ``AppServices`` (the store, the event bus and
each part that started), in place of a dictionary of string-keyed services.

A part that did not start is ``None``, and ``require`` turns that into a clear ``WardenError``
instead of a half-working screen. Parts that start after the window shows (the delegates)
arrive as ``LateParts``; ``with_parts`` gives the services with them plugged in.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from app.errors import WardenError
from app.events import EventBus
from app.wallet.ports import SessionSource

if TYPE_CHECKING:
    from app.dapp.host import ProviderHost
    from app.wallet.services import WalletServices
    from delegates.runtime.service import DelegatesService
    from models.assistant import AssistantService
    from models.catalog import Catalog

log = logging.getLogger(__name__)
T = TypeVar("T")


class NotifyTarget(Protocol):
    """Where the delegates' notifications go once the window is up (the tray)."""

    target: Any


def not_available(what: str) -> WardenError:
    return WardenError(
        f"{what} is not available in this session.",
        hint="It needs a part of Warden that did not start; see the log for why.",
    )


def require(part: T | None, what: str) -> T:
    if part is None:
        raise not_available(what)
    return part


class Closers:
    """What must stop when the store locks, in order; closing twice does nothing."""

    def __init__(self) -> None:
        self.items: list[Callable[[], None]] = []
        self.last: list[Callable[[], None]] = []  # the store itself: after all that uses it
        self.closed = False

    def append(self, fn: Callable[[], None]) -> None:
        if self._stop_now(fn):
            return
        self.items.append(fn)

    def first(self, fn: Callable[[], None]) -> None:
        """Stop ``fn`` before everything added so far (it uses them)."""
        if self._stop_now(fn):
            return
        self.items.insert(0, fn)

    def _stop_now(self, fn: Callable[[], None]) -> bool:
        """A part that finished starting after the lock (the delegates, started on a worker)
        stops at once rather than running on over a closed store."""
        if not self.closed:
            return False
        try:
            fn()
        except Exception:
            log.exception("closing %r failed", fn)
        return True

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for fn in [*self.items, *self.last]:
            try:
                fn()
            except Exception:
                log.exception("closing %r failed", fn)


@dataclass(frozen=True)
class LateParts:
    """The delegate runtime and what comes with it, started after the window shows."""

    delegates: DelegatesService | None = None
    notify_sink: NotifyTarget | None = None
    chain_watcher: Any = None


@dataclass(frozen=True)
class AppServices:
    """Everything a screen may use. Functions in ``ui.ops.<domain>`` take it and return an
    ``Op`` bound to the right worker."""

    store: SessionSource
    bus: EventBus
    wallet: WalletServices | None = None
    catalog: Catalog | None = None
    assistant: AssistantService | None = None
    delegates: DelegatesService | None = None
    notify_sink: NotifyTarget | None = None
    chain_watcher: Any = None
    #: The dapp provider, started by the window with its approval dialogs.
    dapp: ProviderHost | None = None
    #: Replace the store with a backup (the user's store only; the demo has none).
    restore: Callable[[Path, str], None] | None = None
    #: Run on a worker once the window shows; each returns parts to plug in.
    start_later: tuple[Callable[[], LateParts], ...] = ()
    closers: Closers = field(default_factory=Closers)

    @property
    def chain_id(self) -> int | None:
        return self.wallet.chain_id if self.wallet is not None else None

    def with_parts(self, parts: LateParts) -> AppServices:
        return dataclasses.replace(
            self,
            delegates=parts.delegates or self.delegates,
            notify_sink=parts.notify_sink or self.notify_sink,
            chain_watcher=parts.chain_watcher or self.chain_watcher,
            start_later=(),
        )

    def close(self) -> None:
        """Stop what runs on the store and drop the key; a second call does nothing."""
        self.closers.close()


__all__ = ["AppServices", "Closers", "LateParts", "not_available", "require"]
