"""Alerts configured per asset: price crosses, RSI extremes, a large daily move, and the
portfolio's drawdown. Each is computed from the same numbers the brief shows."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from delegates.market.candles import Series


@dataclass(frozen=True)
class AlertRule:
    asset: str
    price_above: float | None = None
    price_below: float | None = None
    rsi_high: float | None = 70.0
    rsi_low: float | None = 30.0
    daily_move_pct: float | None = 10.0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AlertRule:
        known = {f for f in cls.__dataclass_fields__}
        extra = sorted(set(data) - known)
        if extra:
            raise ValueError(f"unknown alert field(s) {', '.join(extra)}; known: {sorted(known)}")
        return cls(**dict(data))


@dataclass(frozen=True)
class Alert:
    asset: str
    kind: str  # "price_cross" | "rsi_high" | "rsi_low" | "daily_move" | "portfolio_drawdown"
    message: str
    value: float
    threshold: float
    direction: str = ""

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def evaluate(rule: AlertRule, series: Series, rsi: np.ndarray) -> list[Alert]:
    """Alerts raised by the latest candle (a cross needs the previous one)."""
    out: list[Alert] = []
    close = series.close
    last = float(close[-1])
    prev = float(close[-2]) if close.size > 1 else math.nan
    for threshold, want in ((rule.price_above, "up"), (rule.price_below, "down")):
        if threshold is None or math.isnan(prev):
            continue
        crossed_up = prev < threshold <= last
        crossed_down = prev > threshold >= last
        if (want == "up" and crossed_up) or (want == "down" and crossed_down):
            verb = "rose above" if want == "up" else "fell below"
            out.append(
                Alert(
                    rule.asset,
                    "price_cross",
                    f"{rule.asset} {verb} {threshold:,.2f} (now {last:,.2f}).",
                    last,
                    threshold,
                    want,
                )
            )
    r = float(rsi[-1]) if rsi.size else math.nan
    if not math.isnan(r):
        if rule.rsi_high is not None and r >= rule.rsi_high:
            out.append(
                Alert(
                    rule.asset,
                    "rsi_high",
                    f"{rule.asset} RSI is {r:.1f}, at or above {rule.rsi_high:g}.",
                    r,
                    rule.rsi_high,
                    "up",
                )
            )
        if rule.rsi_low is not None and r <= rule.rsi_low:
            out.append(
                Alert(
                    rule.asset,
                    "rsi_low",
                    f"{rule.asset} RSI is {r:.1f}, at or below {rule.rsi_low:g}.",
                    r,
                    rule.rsi_low,
                    "down",
                )
            )
    if rule.daily_move_pct is not None and not math.isnan(prev):
        move = (last / prev - 1.0) * 100.0
        if abs(move) >= rule.daily_move_pct:
            out.append(
                Alert(
                    rule.asset,
                    "daily_move",
                    f"{rule.asset} moved {move:+.1f}% in one candle.",
                    move,
                    rule.daily_move_pct,
                    "up" if move > 0 else "down",
                )
            )
    return out


def portfolio_drawdown(drawdown_now: float, threshold_pct: float | None) -> list[Alert]:
    if threshold_pct is None or drawdown_now * 100.0 < threshold_pct:
        return []
    pct = drawdown_now * 100.0
    return [
        Alert(
            "portfolio",
            "portfolio_drawdown",
            f"The portfolio is {pct:.1f}% below its peak.",
            pct,
            threshold_pct,
            "down",
        )
    ]
