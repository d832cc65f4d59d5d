"""The composition of the window's ``AppServices``: the wallet for one network, and each
optional part (node-backed review, models, assistant, delegates with their schedules and the
chain watcher) that starts. A part that fails to start is logged and left out; its screen says
so."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.errors import WardenError
from app.events import EventBus
from app.notify import Notification
from app.store import changes
from app.wallet.chain import ChainClient
from app.wallet.networks import NetworkInfo
from app.wallet.prices import PriceSource, RecordedPrice
from app.wallet.requests import ReviewSource
from app.wallet.services import WalletServices
from ui.services import AppServices, Closers, LateParts

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


def _recorded_prices() -> dict[str, Decimal | RecordedPrice]:
    """dUSD at $1, and the recorded closes dated, so they are never priced as today's."""
    from app.wallet.prices import recorded as dated
    from delegates.market.candles import recorded

    out: dict[str, Decimal | RecordedPrice] = {"dUSD": Decimal(1)}
    for sym in ("ETH", "BTC"):
        try:
            series = recorded(f"{sym}/USD")
            close = Decimal(str(round(float(series.close[-1]), 2)))
            out[sym] = dated(sym, close, int(series.ts[-1]))
        except Exception:  # recorded data missing: no dollar value, not a crash
            log.warning("no recorded %s price", sym)
    return out


def wallet_services(
    store: Any,
    client: ChainClient | Callable[[], ChainClient],
    network: NetworkInfo,
    *,
    bus: EventBus,
    reviewer: ReviewSource | None = None,
    prices: PriceSource | None = None,
) -> WalletServices:
    """The wallet for one network; the review is the CLI's (node-backed when the node
    answers, limited when not) unless ``reviewer`` is given."""
    holder: list[WalletServices] = []
    wallet = WalletServices(
        store,
        client,
        network,
        reviewer or _review_source(store, lambda: holder[0].client, network),
        bus,
        prices=prices,
    )
    holder.append(wallet)
    return wallet


def _review_source(
    store: Any, client: Callable[[], ChainClient], network: NetworkInfo
) -> ReviewSource:
    try:
        from delegates.tx_review.review_source import review_source
    except ImportError:  # the review package is missing: nothing is reviewed, nothing signed
        from app.wallet.review_choice import ChosenReviewer

        return ChosenReviewer(None, None, lambda: False)
    return review_source(store, client, network.native_symbol, network.chain_id)


def dapp_host(
    store: Any,
    bus: EventBus,
    network: NetworkInfo,
    connect: Callable[[NetworkInfo], ChainClient] | None = None,
) -> Any:
    """The dapp provider on 127.0.0.1 (port from the ``dapp.port`` preference); the window
    starts it with its approval dialogs and it stops with the services."""
    from app import preferences
    from app.dapp.approval import ApprovalPort
    from app.dapp.chains import StoreChains
    from app.dapp.host import ProviderHost
    from app.dapp.permissions import Permissions
    from app.dapp.provider import DappProvider
    from app.wallet import networks

    chains = StoreChains(store, connect or networks.connect)
    symbols: dict[int, str] = {}

    def reviewer_for(client: ChainClient) -> ReviewSource:
        if not symbols:
            with store.session() as s:
                symbols.update({n.chain_id: n.native_symbol for n in networks.list_networks(s)})
        info = dataclasses.replace(
            network, chain_id=client.chain_id, native_symbol=symbols.get(client.chain_id, "ETH")
        )
        return _review_source(store, lambda: client, info)

    def make(approval: ApprovalPort) -> DappProvider:
        return DappProvider(
            store, chains, reviewer_for, approval, chain_id=network.chain_id, bus=bus
        )

    return ProviderHost(
        make,
        lambda: Permissions(store).pairing_token(),
        lambda: int(preferences.get(store, "dapp.port")),
    )


def holdings_for_market(wallet: WalletServices) -> dict[str, float]:
    """{"ETH/USD": amount, ...}: the wallet's holdings as the market delegate reads them."""
    return {f"{sym}/USD": float(amount) for sym, amount in wallet.holdings().items()}


def start_delegates(
    store: Any, bus: EventBus, w3: Any, closers: Closers, wallet: WalletServices | None
) -> LateParts:
    """The delegate runtime as ``warden daemon`` runs it: schedules, events, chain watcher."""
    from sqlalchemy import select

    import delegates
    from app.notify import Notifier
    from app.store.schema import Account
    from delegates.runtime.registry import REGISTRY
    from delegates.runtime.runner import Runner
    from delegates.runtime.runtime import DelegateRuntime
    from delegates.runtime.service import DelegatesService

    delegates.load_builtin()
    sink = NotifySink()
    notifier = Notifier(sink, batch_window=3.0)  # a burst of transfers: one notification
    services = {
        "balances": (lambda: holdings_for_market(wallet)) if wallet is not None else dict,
        "fixed_prices": {"dUSD/USD": 1.0, "USDC/USD": 1.0},
    }
    runner = Runner(REGISTRY, store, bus, notifier, chain=w3, services=services)
    runtime = DelegateRuntime(runner)
    runtime.start()
    notifier.start()
    closers.append(runtime.stop)
    closers.append(notifier.stop)
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
        closers.first(watcher.stop)
    return LateParts(DelegatesService(runner, runtime), sink, watcher)


def compose(
    store: Any,
    bus: EventBus,
    wallet: WalletServices,
    models_dir: Path,
    w3: Any,
    closers: Closers,
    *,
    later: bool = False,
    restore: Callable[[Path, str], None] | None = None,
    dapp: Any = None,
) -> AppServices:
    """Model catalog, assistant and delegates: each one that starts is plugged in beside the
    wallet. With ``later`` the delegates start on a worker once the window shows."""
    catalog: Any = None
    assistant: Any = None
    try:
        from models.catalog import Catalog

        catalog = Catalog(models_dir)
    except Exception as exc:
        log.warning("model catalog unavailable: %s", exc)
    if catalog is not None:
        try:
            from models.assistant import AssistantService, wallet_facts

            assistant = AssistantService(catalog, store, facts_fn=lambda: wallet_facts(wallet))
            assistant.wallet = wallet
            closers.first(assistant.close)
        except Exception as exc:
            log.warning("assistant unavailable: %s", exc)

    def delegates_now() -> LateParts:
        chain = w3
        if callable(w3):  # connect now, on the worker; without a node they run chain-less
            try:
                chain = w3()
            except WardenError as exc:
                log.warning("delegates run without the chain: %s", exc)
                chain = None
        try:
            return start_delegates(store, bus, chain, closers, wallet)
        except Exception as exc:
            log.warning("delegates unavailable: %s", exc)
            return LateParts()

    services = AppServices(
        store,
        bus,
        wallet=wallet,
        catalog=catalog,
        assistant=assistant,
        restore=restore,
        dapp=dapp,
        closers=closers,
        start_later=(delegates_now,) if later else (),
    )
    if not later:
        services = services.with_parts(delegates_now())
    closers.append(lambda: changes.detach(store, bus))  # these services' screens are gone
    return services


def demo_services(demo: Any, bus: EventBus | None = None) -> AppServices:
    """The demo's store and chain, and the optional parts that start."""
    bus = bus or EventBus()
    changes.attach(demo.store, bus)  # committed changes reach the screens as events
    prices = _recorded_prices()
    wallet = wallet_services(demo.store, demo.client, demo.network, bus=bus, prices=lambda: prices)

    def connect(info: NetworkInfo) -> ChainClient:
        if info.chain_id != demo.network.chain_id:
            from app.wallet import networks

            return networks.connect(info)
        return demo.client  # type: ignore[no-any-return]

    dapp = dapp_host(demo.store, bus, demo.network, connect)
    return compose(
        demo.store, bus, wallet, demo.directory / "models", demo.w3, Closers(), dapp=dapp
    )


def user_services(store: Any, paths: Any, bus: EventBus | None = None) -> AppServices:
    """The user's own store: the chosen network (connected on first use), the node-backed
    review where it starts, models and delegates where they start."""
    from app import preferences
    from app.wallet import networks

    bus = bus or EventBus()
    changes.attach(store, bus)  # committed changes reach the screens as events
    with store.session() as s:
        networks.ensure_presets(s)
        current = preferences.get(s, "network.current")
        try:
            network = networks.get_network(s, str(current))
        except WardenError:  # the chosen network was removed: the declared default
            network = networks.get_network(s, str(preferences.default("network.current")))

    def connect() -> ChainClient:
        return networks.connect(network)

    wallet = wallet_services(store, connect, network, bus=bus)
    closers = Closers()
    services = compose(
        store,
        bus,
        wallet,
        paths.models_dir,
        lambda: connect().w3,
        closers,
        later=True,  # delegates connect after the window shows, never while unlocking waits
        restore=lambda file, pw: type(store).restore(paths, file, pw),
        dapp=dapp_host(store, bus, network),
    )
    closers.last.append(store.close)  # after the delegates that start later
    return services
