from __future__ import annotations

import numpy as np
import pytest

from delegates.market import alerts, brief, candles, indicators, portfolio
from delegates.market.analysis import analyze


@pytest.fixture(scope="module")
def prices():
    return {"BTC": candles.recorded("BTC/USD"), "ETH": candles.recorded("ETH/USD")}


def test_portfolio_value_allocation_and_exposure(prices) -> None:
    report = portfolio.analyse(
        {"BTC": 0.5, "ETH": 4.0, "USDC": 1000, "MYSTERY": 3}, {**prices, "USDC": 1.0}
    )
    btc, eth = prices["BTC"], prices["ETH"]
    assert report.ts[0] == eth.ts[0]  # aligned on the dates both have
    expected_now = 0.5 * btc.close[-1] + 4.0 * eth.close[-1] + 1000
    assert report.value[-1] == pytest.approx(expected_now)
    assert sum(report.allocation.values()) == pytest.approx(1.0)
    assert report.allocation["USDC"] == pytest.approx(1000 / expected_now)
    assert report.unpriced == ["MYSTERY"]
    assert report.top_asset == "BTC"
    assert report.hhi == pytest.approx(sum(w * w for w in report.allocation.values()))
    e = report.exposure["ETH"]
    assert e.loss_if_repeated == pytest.approx(e.weight * indicators.max_drawdown(eth.close))
    assert report.exposure["USDC"].max_drawdown == 0.0
    assert 0 < report.drawdown_now < 1


def test_alerts_price_cross_rsi_daily_move() -> None:
    rows = [
        [i * 86_400_000, p, p * 1.01, p * 0.99, p, 1.0]
        for i, p in enumerate([100.0] * 20 + [90.0, 120.0])
    ]
    s = candles.Series.from_rows("T", "1d", rows)
    rsi = indicators.compute(s)["rsi_14"]
    got = alerts.evaluate(alerts.AlertRule("T", price_above=110, price_below=95), s, rsi)
    kinds = {(a.kind, a.direction) for a in got}
    assert ("price_cross", "up") in kinds and ("daily_move", "up") in kinds
    assert ("price_cross", "down") not in kinds  # 90 -> 120 does not fall below 95
    quiet = alerts.evaluate(
        alerts.AlertRule("T", daily_move_pct=50, rsi_high=None, rsi_low=None), s, rsi
    )
    assert quiet == []
    assert alerts.portfolio_drawdown(0.3, 25)[0].kind == "portfolio_drawdown"
    assert alerts.portfolio_drawdown(0.1, 25) == []


class Inventive:
    def rephrase(self, facts, draft):
        return "Bitcoin is at 99,999.00 and will double."


class Faithful:
    def rephrase(self, facts, draft):
        return f"{facts['asset']} ended at {facts['close']} with RSI {facts['rsi']}."


def test_brief_numbers_are_always_the_computed_ones(prices) -> None:
    s = prices["BTC"]
    latest = indicators.latest(indicators.compute(s), s)
    plain = brief.write("BTC", latest)
    assert plain["source"] == "template" and "22,572.84" in plain["text"]
    assert "downtrend" in plain["text"] and "RSI 25.7" in plain["text"]
    invented = brief.write("BTC", latest, rephraser=Inventive())
    assert invented["source"] == "template"  # a number not computed: the model's text is dropped
    faithful = brief.write("BTC", latest, rephraser=Faithful())
    assert faithful == {
        **faithful,
        "source": "model",
        "text": "BTC ended at 22,572.84 with RSI 25.7.",
    }


def test_analyze_joins_everything(prices) -> None:
    out = analyze(prices["ETH"], rule=alerts.AlertRule("ETH/USD", price_below=1200))
    assert out["latest"]["rsi_14"] == pytest.approx(19.537242)
    assert {a["kind"] for a in out["alerts"]} >= {"rsi_low", "price_cross"}
    assert np.isfinite(out["latest"]["volatility_30"])
