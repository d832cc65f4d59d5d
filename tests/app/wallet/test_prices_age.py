"""Stored candles price a balance only while they are recent (issue 19, item 6)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.store import Store
from app.store import schema as s
from app.wallet.prices import stale_prices, usd_prices

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _candle(store: Store, symbol: str, when: datetime, close: float) -> None:
    with store.session() as ses:
        ses.add(
            s.Candle(
                symbol=symbol,
                timeframe="1d",
                ts=int(when.timestamp() * 1000),
                open=close,
                high=close,
                low=close,
                close=close,
                volume=1.0,
            )
        )
        ses.commit()


def test_a_close_from_2022_is_not_todays_price(store: Store) -> None:
    _candle(store, "ETH/USD", datetime(2022, 6, 30, tzinfo=UTC), 1070.0)
    prices = usd_prices(store, now=NOW)
    assert "ETH" not in prices
    assert "WETH" not in prices  # never valued at a made-up $0 either
    stale = stale_prices(store, now=NOW)
    assert stale["ETH"].as_of == date(2022, 6, 30)
    assert "recorded on 2022-06-30" in stale["ETH"].describe()


def test_a_recent_close_prices_the_balance(store: Store) -> None:
    _candle(store, "ETH/USD", datetime(2022, 6, 30, tzinfo=UTC), 1070.0)
    _candle(store, "ETH/USD", NOW - timedelta(days=1), 3000.0)
    prices = usd_prices(store, now=NOW)
    assert prices["ETH"] == prices["WETH"] == 3000
    assert stale_prices(store, now=NOW) == {}


def test_stablecoins_stay_at_one_dollar_without_candles(store: Store) -> None:
    assert usd_prices(store, now=NOW)["USDC"] == 1
    assert "ETH" not in usd_prices(store, now=NOW)


def test_a_recorded_price_from_a_source_is_dated_and_left_out_when_old(store: Store) -> None:
    from decimal import Decimal

    from app.wallet.prices import RecordedPrice

    old = RecordedPrice("ETH", Decimal(1070), date(2022, 6, 30))
    fresh = RecordedPrice("BTC", Decimal(90000), date(2026, 11, 30))
    prices = usd_prices(store, lambda: {"ETH": old, "BTC": fresh, "dUSD": 1}, now=NOW)
    assert "ETH" not in prices
    assert prices["BTC"] == 90000 and prices["dUSD"] == 1
