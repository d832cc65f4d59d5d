"""The Market screen's data: candles, indicators, brief and alerts from the market delegate's
own analysis, and the portfolio (today's holdings valued over the chart's days)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from app.rows import Candles
from app.store import schema as s
from app.wallet.ports import SessionSource

# A last close older than this is labelled "recorded": it is history, not today's price.
FRESH_DAYS = 3


@dataclass(frozen=True)
class MarketView:
    symbol: str
    ts: list[int]
    close: list[float]
    overlays: dict[str, list[float]]  # "sma", "ema", "bb_upper", "bb_lower"
    rsi: list[float]
    latest: dict[str, str]  # indicator name -> formatted latest value
    brief: str
    alerts: list[str]
    allocation: list[tuple[str, float]]  # (symbol, USD value) of today's holdings
    portfolio: list[tuple[int, float]]  # (ts, USD value of today's holdings at that day's price)
    source: str = ""
    as_of: str = ""  # ISO day of the last candle shown
    recorded: bool = False  # True when the last close is older than today's (stale or demo)


def stored_candles(store: SessionSource, symbol: str, limit: int = 365) -> Candles:
    """The latest ``limit`` stored candles of ``symbol``, oldest first."""
    with store.session() as ses:
        rows = list(
            ses.scalars(
                select(s.Candle)
                .where(s.Candle.symbol == symbol)
                .order_by(s.Candle.ts.desc())
                .limit(limit)
            )
        )
    rows.reverse()
    return Candles(
        symbol,
        [r.ts for r in rows],
        [r.open for r in rows],
        [r.high for r in rows],
        [r.low for r in rows],
        [r.close for r in rows],
        [r.volume for r in rows],
    )


def market_symbols(store: SessionSource) -> list[str]:
    with store.session() as ses:
        return list(ses.scalars(select(s.Candle.symbol).distinct().order_by(s.Candle.symbol)))


def compute_market_view(
    stored: Candles,
    symbol: str,
    days: int,
    *,
    holdings: Mapping[str, Decimal],
    prices: Mapping[str, Decimal],
    now_ms: int | None = None,
) -> MarketView:
    """``stored`` candles (the recorded demo series when there are none) with indicators,
    the market delegate's brief and alerts, and ``holdings`` valued over the chart's days."""
    import math

    from delegates.market import indicators
    from delegates.market.candles import Series, recorded

    if stored.ts:
        rows = list(
            zip(
                stored.ts,
                stored.open,
                stored.high,
                stored.low,
                stored.close,
                stored.volume,
                strict=True,
            )
        )
        series = Series.from_rows(symbol, "1d", rows)
        source = f"{len(stored.ts)} daily candles from your store"
    else:
        series = recorded(symbol)
        source = "Recorded daily candles (offline demo data)"
    values = indicators.compute(series)
    n = min(days, len(series))
    cut = slice(len(series) - n, len(series))

    def col(name: str) -> list[float]:
        return [float(v) for v in values[name][cut]] if name in values else []

    ts = [int(t) for t in series.ts[cut]]
    as_of, age_days = _age(int(series.ts[-1]), now_ms)
    is_recorded = not stored.ts or age_days > FRESH_DAYS
    if is_recorded:
        source += f" · recorded, last close {as_of} ({age_days} days ago), not today's price"
    else:
        source += f" · last close {as_of}"
    latest = indicators.latest(values, series)
    closes = series.close
    change = float(closes[-1] / closes[-31] - 1) if len(closes) > 31 else None
    # The brief and the alerts come from the market delegate's own analysis, so the screen
    # and the delegate's runs say the same thing about the same numbers.
    from delegates.market import alerts as market_alerts
    from delegates.market.analysis import analyze

    analysis = analyze(series, rule=market_alerts.AlertRule(symbol))
    brief = str(analysis["brief"])
    alerts = [str(a.get("message") or a) for a in analysis["alerts"]]
    if change is not None:
        brief += f" Over the 30 days to {as_of} it moved {change * 100:+.1f}%."
    if is_recorded:
        brief = f"Recorded data, last close {as_of} ({age_days} days ago). {brief}"
    shown = {
        "RSI": latest.get("rsi_14"),
        "MACD": latest.get("macd"),
        "ATR": latest.get("atr_14"),
        "Max drawdown": latest.get("max_drawdown"),
    }
    latest_text = {
        k: ("—" if v is None else f"{v * 100:.0f}%" if k == "Max drawdown" else f"{v:,.1f}")
        for k, v in shown.items()
    }
    # Portfolio: today's holdings valued at each day's price (stablecoins at $1).
    base = symbol.split("/")[0]
    allocation = [
        (sym, float(amount * prices[sym]))
        for sym, amount in sorted(holdings.items())
        if sym in prices and amount > 0
    ]
    portfolio: list[tuple[int, float]] = []
    if holdings:
        last = float(closes[-1])
        for t, close in zip(ts, col("close"), strict=True):
            total = 0.0
            for sym, amount in holdings.items():
                if sym in (base, f"W{base}") and last:
                    total += float(amount) * close
                elif sym in prices:
                    total += float(amount * prices[sym])
            if not math.isnan(total):
                portfolio.append((t, total))
    return MarketView(
        symbol=symbol,
        ts=ts,
        close=col("close"),
        overlays={
            "sma": col("sma_20"),
            "ema": col("ema_50"),
            "bb_upper": col("bb_upper"),
            "bb_lower": col("bb_lower"),
        },
        rsi=col("rsi_14"),
        latest=latest_text,
        brief=brief,
        alerts=alerts,
        allocation=allocation,
        portfolio=portfolio,
        source=source,
        as_of=as_of,
        recorded=is_recorded,
    )


def _age(last_ts_ms: int, now_ms: int | None) -> tuple[str, int]:
    """The ISO day of ``last_ts_ms`` and how many whole days before ``now_ms`` it is."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    day = datetime.fromtimestamp(last_ts_ms / 1000, tz=UTC).date().isoformat()
    return day, max(0, (now - last_ts_ms) // 86_400_000)
