"""The user's portfolio from the wallet's balances and the candles: value over time,
allocation, concentration, and how much each asset's drawdown weighs on the whole."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from delegates.market.candles import Series
from delegates.market.indicators import drawdown, max_drawdown


@dataclass(frozen=True)
class Exposure:
    weight: float  # share of today's value
    drawdown_now: float  # the asset's fall from its peak
    max_drawdown: float  # the asset's worst fall in the data
    loss_if_repeated: float  # share of the portfolio lost if that worst fall happened again


@dataclass(frozen=True)
class PortfolioReport:
    ts: np.ndarray
    value: np.ndarray
    allocation: dict[str, float]
    hhi: float  # Herfindahl index of the allocation: 1/n when even, 1 when one asset
    top_asset: str
    drawdown_now: float
    max_drawdown: float
    exposure: dict[str, Exposure]
    unpriced: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "value": round(float(self.value[-1]), 2),
            "allocation": {k: round(v, 4) for k, v in self.allocation.items()},
            "concentration_hhi": round(self.hhi, 4),
            "top_asset": self.top_asset,
            "drawdown_now": round(self.drawdown_now, 4),
            "max_drawdown": round(self.max_drawdown, 4),
            "exposure": {
                k: {
                    "weight": round(e.weight, 4),
                    "drawdown_now": round(e.drawdown_now, 4),
                    "max_drawdown": round(e.max_drawdown, 4),
                    "loss_if_repeated": round(e.loss_if_repeated, 4),
                }
                for k, e in self.exposure.items()
            },
            "unpriced": self.unpriced,
        }


def analyse(
    holdings: Mapping[str, float], prices: Mapping[str, Series | float]
) -> PortfolioReport | None:
    """``prices`` maps an asset to its candles, or to a fixed price (a stablecoin).

    Assets without a price are listed as unpriced and left out of every figure: a value Warden
    cannot price is unknown, not zero. Returns None when nothing can be priced.
    """
    held = {a: float(q) for a, q in holdings.items() if q > 0}
    unpriced = sorted(a for a in held if a not in prices)
    priced = {a: q for a, q in held.items() if a in prices}
    series = {a: p for a, p in prices.items() if a in priced and isinstance(p, Series)}
    if not priced:
        return None
    if series:
        common = None
        for s in series.values():
            common = s.ts if common is None else np.intersect1d(common, s.ts)
        ts = common if common is not None and common.size else np.array([0.0])
    else:
        ts = np.array([0.0])
    columns: dict[str, np.ndarray] = {}
    for asset, qty in priced.items():
        p = prices[asset]
        if isinstance(p, Series):
            idx = np.searchsorted(p.ts, ts)
            columns[asset] = qty * p.close[idx]
        else:
            columns[asset] = np.full(ts.shape, qty * float(p))
    value = np.sum(np.vstack(list(columns.values())), axis=0)
    now_total = float(value[-1])
    allocation = {a: float(col[-1]) / now_total for a, col in columns.items()}
    exposure = {}
    for asset, weight in allocation.items():
        p = prices[asset]
        if isinstance(p, Series):
            dd_now, mdd = float(drawdown(p.close)[-1]), max_drawdown(p.close)
        else:
            dd_now = mdd = 0.0
        exposure[asset] = Exposure(weight, dd_now, mdd, weight * mdd)
    return PortfolioReport(
        ts=ts,
        value=value,
        allocation=allocation,
        hhi=float(sum(w * w for w in allocation.values())),
        top_asset=max(allocation, key=lambda a: allocation[a]),
        drawdown_now=float(drawdown(value)[-1]),
        max_drawdown=max_drawdown(value),
        exposure=exposure,
        unpriced=unpriced,
    )
