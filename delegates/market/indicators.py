"""Indicators with TA-Lib, plus the two it lacks (realised volatility, maximum drawdown).

Every function takes a ``Series`` and returns arrays aligned with its candles (NaN while a
window fills), so the latest value, a chart and an alert all read the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import talib

from delegates.market.candles import Series

PERIODS_PER_YEAR = {"1h": 24 * 365, "4h": 6 * 365, "1d": 365, "1w": 52}


@dataclass(frozen=True)
class Params:
    sma: int = 20
    ema: int = 50
    rsi: int = 14
    macd_fast: int = 12
    macd_slow: int = 26
    macd_signal: int = 9
    bb_period: int = 20
    bb_dev: float = 2.0
    atr: int = 14
    vol_window: int = 30


def realised_volatility(close: np.ndarray, window: int, periods_per_year: int) -> np.ndarray:
    """Annualised standard deviation (sample, ddof=1) of log returns over ``window`` candles."""
    logret = np.full(close.shape, np.nan)
    logret[1:] = np.diff(np.log(close))
    # TA-Lib's STDDEV is the population deviation; scale it to the sample deviation.
    pop = talib.STDDEV(logret, timeperiod=window, nbdev=1.0)
    return pop * math.sqrt(window / (window - 1)) * math.sqrt(periods_per_year)


def drawdown(close: np.ndarray) -> np.ndarray:
    """Fall from the running peak, as a fraction (0 at a new high, 0.5 when halved)."""
    peak = np.maximum.accumulate(close)
    return 1.0 - close / peak


def max_drawdown(close: np.ndarray) -> float:
    return float(drawdown(close).max()) if close.size else 0.0


def compute(series: Series, params: Params | None = None) -> dict[str, np.ndarray]:
    p = params or Params()
    c, h, lo = series.close, series.high, series.low
    macd, signal, hist = talib.MACD(c, p.macd_fast, p.macd_slow, p.macd_signal)
    upper, middle, lower = talib.BBANDS(
        c, p.bb_period, p.bb_dev, p.bb_dev, matype=talib.MA_Type.SMA
    )
    per_year = PERIODS_PER_YEAR.get(series.timeframe, 365)
    return {
        "close": c,
        f"sma_{p.sma}": talib.SMA(c, p.sma),
        f"ema_{p.ema}": talib.EMA(c, p.ema),
        f"rsi_{p.rsi}": talib.RSI(c, p.rsi),
        "macd": macd,
        "macd_signal": signal,
        "macd_hist": hist,
        "bb_upper": upper,
        "bb_middle": middle,
        "bb_lower": lower,
        f"atr_{p.atr}": talib.ATR(h, lo, c, p.atr),
        f"volatility_{p.vol_window}": realised_volatility(c, p.vol_window, per_year),
        "drawdown": drawdown(c),
    }


def latest(values: dict[str, np.ndarray], series: Series) -> dict[str, Any]:
    """The last value of each indicator (None while its window is still filling)."""
    out: dict[str, Any] = {"timestamp": int(series.ts[-1])}
    for name, arr in values.items():
        v = float(arr[-1])
        out[name] = None if math.isnan(v) else round(v, 6)
    out["max_drawdown"] = round(max_drawdown(series.close), 6)
    return out


def rsi_name(params: Params | None = None) -> str:
    return f"rsi_{(params or Params()).rsi}"
