"""The composition of the window's backend: the wallet for one network, and each optional
part (node-backed review, models, assistant, delegates with their schedules and the chain
watcher) that starts. A part that fails to start is logged and left out; its screen says so."""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.errors import WardenError
from app.events import EventBus
from app.notify import Notification
from app.store import changes
from ui.backend import Backend

log = logging.getLogger(__name__)


class NotifySink:
    """The delegates' notifications port until the window connects the tray to it."""

    def __init__(self) -> None:
        self.target: Any = None
        self.held: list[Notification] = []

    def show(self, notification: Notification) -> None:
        if self.target is None:
            self.held.append(notification)
            log.info("notification: %s: %s", notification.title, notification.body)
        else:
            self.target.show(notification)


def _recorded_prices() -> dict[str, Decimal]:
    from delegates.market.candles import recorded

    out = {"dUSD": Decimal(1)}
    for sym in ("ETH", "BTC"):
        try:
            out[sym] = Decimal(str(round(float(recorded(f"{sym}/USD").close[-1]), 2)))
        except Exception:  # recorded data missing: no dollar value, not a crash
            log.warning("no recorded %s price", sym)
    return out


def optional_services(
    store: Any, bus: EventBus, models_dir: Path, w3: Any, closers: list[Any], *, later: bool = False
) -> dict[str, Any]:
    """Model catalog, assistant and delegates: each one that starts is plugged in.
    ``closers`` collects what must stop when the store locks."""
    out: dict[str, Any] = {}
    try:
        from models.catalog import Catalog

        out["catalog"] = Catalog(models_dir)
    except Exception as exc:
        log.warning("model catalog unavailable: %s", exc)
    if "catalog" in out:
        try:
            from ui.assistant_service import AssistantService

            out["assistant"] = AssistantService(out["catalog"], store)
        except Exception as exc:
            log.warning("assistant unavailable: %s", exc)

    def delegates_now() -> dict[str, Any]:
        chain = w3
        if callable(w3):  # connect now, on the worker; without a node they run chain-less
            try:
                chain = w3()
            except WardenError as exc:
                log.warning("delegates run without the chain: %s", exc)
                chain = None
        try:
            return start_delegates(store, bus, chain, closers)
        except Exception as exc:
            log.warning("delegates unavailable: %s", exc)
            return {}

    if later:
        # Started on a worker once the window shows, so unlocking does not wait for it.
        out["start_later"] = [delegates_now]
    else:
        out.update(delegates_now())
    return out


def start_delegates(store: Any, bus: EventBus, w3: Any, closers: list[Any]) -> dict[str, Any]:
    """The delegate runtime as ``warden daemon`` runs it: schedules, events, chain watcher."""
    from sqlalchemy import select

    import delegates
    from app.notify import Notifier
    from app.store.schema import Account
    from delegates.runtime.registry import REGISTRY
    from delegates.runtime.runner import Runner
    from delegates.runtime.runtime import DelegateRuntime
    from ui.delegates_service import DelegatesService

    delegates.load_builtin()
    sink = NotifySink()
    notifier = Notifier(sink, batch_window=3.0)  # a burst of transfers: one notification
    holdings: dict[str, Any] = {}
    services = {
        "balances": lambda: holdings.get("fn", dict)(),
        "fixed_prices": {"dUSD/USD": 1.0, "USDC/USD": 1.0},
    }
    runner = Runner(REGISTRY, store, bus, notifier, chain=w3, services=services)
    runtime = DelegateRuntime(runner)
    runtime.start()
    notifier.start()
    closers += [runtime.stop, notifier.stop]
    watcher: Any = None
    if w3 is not None:
        from delegates.runtime.watcher import ChainWatcher

        with store.session() as s:
            watched = [a.address for a in s.scalars(select(Account))]
        # Announce from the block that is the head now, not from whatever block is the head
        # when the watcher's thread first polls: a transfer landing in between was never
        # announced (left to the history scan).
        try:
            start_block: int | None = int(w3.eth.block_number)
        except Exception as exc:  # the watcher's own first poll retries with backoff
            log.warning("chain head unknown at start (%s); the watcher will read it", exc)
            start_block = None
        watcher = ChainWatcher(w3, bus, watched, start_block=start_block, poll_s=2.0)
        watcher.start()
        closers.insert(0, watcher.stop)
    return {
        "delegates": DelegatesService(runner, runtime),
        "notify_sink": sink,
        "holdings": holdings,
        "chain_watcher": watcher,
    }


def holdings_for_market(backend: Backend) -> dict[str, float]:
    """{"ETH/USD": amount, ...}: the wallet's holdings as the market delegate reads them."""
    out: dict[str, float] = {}
    for acc in backend.accounts():
        try:
            rows = backend.balances(acc.address)
        except WardenError:
            continue
        for b in rows:
            key = f"{b.symbol}/USD"
            out[key] = out.get(key, 0.0) + float(b.amount)
    return out


def finish(backend: Backend, closers: list[Any]) -> Backend:
    """Wire the parts that need the finished backend, and the order things stop in."""
    from ui.assistant_service import wallet_facts

    assistant = backend.services.get("assistant")
    if assistant is not None:
        assistant.facts_fn = lambda: wallet_facts(backend)
        assistant.backend = backend
        closers.insert(0, assistant.close)
    holdings = backend.services.get("holdings")
    if holdings is not None:
        holdings["fn"] = lambda: holdings_for_market(backend)
    store, bus = backend.store, backend.bus
    closers.append(lambda: changes.detach(store, bus))  # this backend's screens are gone
    backend.add_closers(closers)
    return backend


def backend_from_demo(demo: Any, bus: EventBus | None = None) -> Backend:
    """Plug the demo's store, chain and the optional parts that start into a ``Backend``."""
    from ui.services import wallet_backend

    bus = bus or EventBus()
    changes.attach(demo.store, bus)  # committed changes reach the screens as events
    closers: list[Any] = []
    extra: dict[str, Any] = {}
    prices = _recorded_prices()
    extra["prices"] = lambda: prices
    extra.update(optional_services(demo.store, bus, demo.directory / "models", demo.w3, closers))
    # The review is the CLI's: node-backed when the node answers, limited when not.
    backend = wallet_backend(demo.store, demo.client, demo.network, bus=bus, extra=extra)
    return finish(backend, closers)


def user_backend(store: Any, paths: Any, bus: EventBus | None = None) -> Backend:
    """The backend over the user's own store: the chosen network (connected on first use),
    the node-backed review where it starts, models and delegates where they start."""
    from app import preferences
    from app.wallet import networks
    from ui.services import wallet_backend

    bus = bus or EventBus()
    changes.attach(store, bus)  # committed changes reach the screens as events
    with store.session() as s:
        networks.ensure_presets(s)
        current = preferences.get(s, "network.current")
        try:
            network = networks.get_network(s, str(current))
        except WardenError:  # the chosen network was removed: the declared default
            network = networks.get_network(s, str(preferences.default("network.current")))

    def connect() -> Any:
        return networks.connect(network)

    closers: list[Any] = []
    # Delegates start after the window shows, connecting to the node then (never while the
    # user waits for the unlock).
    extra = optional_services(
        store, bus, paths.models_dir, lambda: connect().w3, closers, later=True
    )
    extra["restore"] = lambda file, pw: type(store).restore(paths, file, pw)
    closers.append(store.close)
    backend = wallet_backend(store, connect, network, bus=bus, extra=extra)
    return finish(backend, closers)
