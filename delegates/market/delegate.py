"""The market-analysis delegate: candles (live through ccxt, or the recorded data replayed
through ccxt's parser), indicators, the portfolio, a brief and alerts, every few hours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.events import price_did_cross
from app.notify import Notification
from delegates.market import alerts, candles, freshness, portfolio
from delegates.market.analysis import analyze
from delegates.runtime.base import Delegate, DelegateContext, Every
from delegates.runtime.registry import delegate


@dataclass(frozen=True)
class MarketSettings:
    source: str = "recorded"  # "recorded" or a ccxt exchange id, e.g. "binance", "kraken"
    symbols: tuple[str, ...] = ("BTC/USD", "ETH/USD")
    timeframe: str = "1d"
    # Per-asset alert rules as JSON: {"ETH/USD": {"price_above": 2000, "rsi_high": 75}}
    alert_rules: dict[str, Any] | None = None
    portfolio_drawdown_pct: float = 25.0

    def __post_init__(self) -> None:
        # A rule that cannot be read is refused when saved, not found at the next run.
        for asset, rule in (self.alert_rules or {}).items():
            if not isinstance(rule, dict):
                raise ValueError(
                    f'the alert rule for {asset} must be an object, e.g. {{"price_above": 4000}}'
                )
            alerts.AlertRule.from_json({"asset": asset, **rule})


@delegate
class MarketAnalysis(Delegate):
    name = "market_analysis"
    description = "Indicators, a brief and alerts for your assets, every six hours."
    triggers = (Every(hours=6),)
    settings_type = MarketSettings
    timeout_s = 120.0

    def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
        s: MarketSettings = settings
        series: dict[str, candles.Series] = {}
        for symbol in s.symbols:
            ctx.check_cancelled()
            if s.source == "recorded":
                got = candles.recorded(symbol)
            else:
                got = candles.fetch(s.source, symbol, s.timeframe)
            candles.cache(ctx.db, got)
            series[symbol] = got
        # Balances come from the wallet through a read-only port: {"ETH/USD": 1.5, ...}.
        balances_port = ctx.services.get("balances")
        holdings = balances_port() if callable(balances_port) else {}
        prices: dict[str, candles.Series | float] = dict(series)
        prices.update(ctx.services.get("fixed_prices", {}) or {})
        report = portfolio.analyse(holdings, prices) if holdings else None
        summary = report.summary() if report else None
        rules = {
            k: alerts.AlertRule.from_json({"asset": k, **v})
            for k, v in (s.alert_rules or {}).items()
        }
        results = []
        raised: list[dict[str, Any]] = []
        now = ctx.clock()
        stale = False
        for symbol, ser in series.items():
            since = freshness.old_since(ser, now)
            rule = None if since else rules.get(symbol, alerts.AlertRule(symbol))
            result = analyze(ser, rule=rule, portfolio=summary)
            result["old_since"] = since
            if since:  # old data: said first, and no alerts on it
                stale = True
                result["brief"] = (
                    f"Old data: the latest {symbol} candle is from {since}, older than its "
                    f"{ser.timeframe} period; no alerts were raised on it. {result['brief']}"
                )
            results.append(result)
            raised.extend(result["alerts"])
        if report is not None and not stale:
            raised.extend(
                a.to_json()
                for a in alerts.portfolio_drawdown(report.drawdown_now, s.portfolio_drawdown_pct)
            )
        for a in raised:
            if a["kind"] == "price_cross":
                ctx.bus.publish(
                    price_did_cross(a["asset"], a["value"], a["threshold"], a["direction"])
                )
            ctx.notifier.notify(Notification("Market alert", a["message"], "alert"))
        briefs = " ".join(r["brief"] for r in results)
        return {"summary": briefs[:500], "assets": results, "portfolio": summary, "alerts": raised}
