"""One analysis of one asset: indicators, alerts and the brief, as a JSON-able dict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from delegates.market import alerts, brief, indicators
from delegates.market.candles import Series


def analyze(
    series: Series,
    *,
    params: indicators.Params | None = None,
    rule: alerts.AlertRule | None = None,
    portfolio: Mapping[str, Any] | None = None,
    rephraser: brief.Rephraser | None = None,
) -> dict[str, Any]:
    values = indicators.compute(series, params)
    latest = indicators.latest(values, series)
    raised = alerts.evaluate(rule, series, values[indicators.rsi_name(params)]) if rule else []
    written = brief.write(series.symbol, latest, portfolio, rephraser)
    return {
        "symbol": series.symbol,
        "timeframe": series.timeframe,
        "candles": len(series),
        "from": int(series.ts[0]),
        "to": int(series.ts[-1]),
        "latest": latest,
        "alerts": [a.to_json() for a in raised],
        "brief": written["text"],
        "brief_source": written["source"],
    }
