from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.events import price_did_cross
from delegates.market import delegate as _market  # noqa: F401 - registers it
from delegates.market import freshness
from delegates.market.candles import Series
from delegates.runtime.registry import REGISTRY
from delegates.runtime.runner import Runner

# The recorded candles end with the day of 2022-06-15; the next day they are current.
DAY_AFTER_THE_DATA = datetime(2022, 6, 16, 12, 0, tzinfo=UTC)


def test_market_delegate_with_portfolio_alerts_and_price_events(db, bus, notifier, shown) -> None:
    crossings: list[price_did_cross] = []
    bus.subscribe(price_did_cross, crossings.append)
    runner = Runner(
        REGISTRY,
        db,
        bus,
        notifier,
        services={"balances": lambda: {"ETH/USD": 2.0, "BTC/USD": 0.1}},
        clock=lambda: DAY_AFTER_THE_DATA,
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


def test_old_market_data_says_so_and_raises_no_alerts(db, bus, notifier, shown) -> None:
    """Today (the real clock), the recorded data is years old: the same run as above says
    from when the data is, and neither alerts, notifies nor publishes a price event."""
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
    assert out["alerts"] == [] and crossings == [] and shown.shown == []
    for asset in out["assets"]:
        assert asset["old_since"] == "2022-06-15" and asset["alerts"] == []
        assert asset["brief"].startswith(f"Old data: the latest {asset['symbol']} candle is from")
    assert "2022-06-15" in out["summary"]


def _series(timeframe: str, last: datetime) -> Series:
    ms = int(last.timestamp() * 1000)
    return Series.from_rows(
        "ETH/USD", timeframe, [[ms - 86_400_000, 1, 1, 1, 1, 1], [ms, 1, 1, 1, 1, 1]]
    )


@pytest.mark.parametrize(
    ("timeframe", "now", "old"),
    [
        ("1d", datetime(2022, 6, 16, 23, 59, tzinfo=UTC), None),  # yesterday's candle: current
        ("1d", datetime(2022, 6, 17, 0, 1, tzinfo=UTC), "2022-06-15"),  # a whole day missing
        ("4h", datetime(2022, 6, 15, 7, 59, tzinfo=UTC), None),
        ("4h", datetime(2022, 6, 15, 8, 1, tzinfo=UTC), "2022-06-15"),
        ("soon", datetime(2022, 6, 15, 0, 1, tzinfo=UTC), "2022-06-15"),  # unreadable: old
    ],
)
def test_data_is_old_after_one_missing_period(
    timeframe: str, now: datetime, old: str | None
) -> None:
    series = _series(timeframe, datetime(2022, 6, 15, tzinfo=UTC))
    assert freshness.old_since(series, now) == old
