from __future__ import annotations

import pytest

from app.events import price_did_cross
from delegates.market import delegate as _market  # noqa: F401 - registers it
from delegates.runtime.registry import REGISTRY
from delegates.runtime.runner import Runner


def test_market_delegate_with_portfolio_alerts_and_price_events(db, bus, notifier, shown) -> None:
    crossings: list[price_did_cross] = []
    bus.subscribe(price_did_cross, crossings.append)
    runner = Runner(
        REGISTRY, db, bus, notifier, services={"balances": lambda: {"ETH/USD": 2.0, "BTC/USD": 0.1}}
    )
    try:
        runner.update_settings(
            "market_analysis",
            {"alert_rules": '{"ETH/USD": {"price_below": 1200, "rsi_low": null}}'},
        )
        result = runner.run("market_analysis")
    finally:
        runner.shutdown()
    assert result.outcome == "ok", result.error
    out = result.output
    eth_close, btc_close = 1110.117432, 22572.83984
    assert out["portfolio"]["value"] == pytest.approx(2 * eth_close + 0.1 * btc_close, abs=0.01)
    kinds = {(a["asset"], a["kind"]) for a in out["alerts"]}
    assert ("ETH/USD", "price_cross") in kinds and ("portfolio", "portfolio_drawdown") in kinds
    assert ("ETH/USD", "rsi_low") not in kinds and ("BTC/USD", "rsi_low") in kinds
    assert crossings == [price_did_cross("ETH/USD", pytest.approx(eth_close), 1200.0, "down")]
    assert "Your portfolio is worth" in out["assets"][0]["brief"]
    assert {n.title for n in shown.shown} == {"Market alert"}


def test_bad_alert_rules_are_refused_before_storing(db, bus, notifier) -> None:
    from app.errors import DelegateError

    runner = Runner(REGISTRY, db, bus, notifier)
    with pytest.raises(DelegateError, match="must be JSON"):
        runner.update_settings("market_analysis", {"alert_rules": "{oops"})
    runner.shutdown()
