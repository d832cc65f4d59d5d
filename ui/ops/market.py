"""The Market screen's data (``delegates.market.view``): candles from the store, holdings from
the node, so the network pool."""

from __future__ import annotations

from decimal import Decimal

from delegates.market.view import MarketView, compute_market_view, market_symbols, stored_candles
from ui.ops.core import Op
from ui.services import AppServices


def view(sv: AppServices, symbol: str, days: int = 365) -> Op[MarketView]:
    def work() -> MarketView:
        candles = stored_candles(sv.store, symbol, limit=days + 120)
        holdings: dict[str, Decimal] = {}
        prices: dict[str, Decimal] = {}
        if sv.wallet is not None:
            holdings = sv.wallet.holdings()
            prices = sv.wallet.prices()
        return compute_market_view(candles, symbol, days, holdings=holdings, prices=prices)

    return Op(work, lane="network")


def symbols(sv: AppServices) -> Op[list[str]]:
    return Op(lambda: market_symbols(sv.store), lane="store")
