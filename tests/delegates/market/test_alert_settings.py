"""A price alert asked for in the Assistant becomes a rule in the market delegate's settings,
merged with the rule there, and is checked like any settings change."""

from __future__ import annotations

import pytest

from app.errors import InvalidInput
from delegates.market.alert_settings import with_price_alert
from delegates.market.delegate import MarketSettings


def test_the_alert_merges_with_the_existing_rule() -> None:
    current = {"alert_rules": {"ETH/USD": {"rsi_high": 75}}, "symbols": ["BTC/USD", "ETH/USD"]}
    merged, said = with_price_alert(current, "ETH/USD", "above", "4000")
    assert merged["alert_rules"]["ETH/USD"] == {"rsi_high": 75, "price_above": 4000.0}
    assert said == "Saved: the market delegate will tell you when ETH/USD goes above 4000."
    assert current["alert_rules"]["ETH/USD"] == {"rsi_high": 75}  # the input is not changed
    MarketSettings(alert_rules=merged["alert_rules"])  # the delegate reads it


@pytest.mark.parametrize(
    ("symbol", "direction", "price", "said"),
    [
        ("DOGE/USD", "above", "1", "does not follow DOGE/USD"),
        ("ETH/USD", "sideways", "1", "above or below"),
        ("ETH/USD", "below", "0", "more than zero"),
        ("ETH/USD", "below", "lots", "not a price"),
        ("ETH/USD", "below", "NaN", "more than zero"),
    ],
)
def test_an_alert_that_cannot_work_is_refused(
    symbol: str, direction: str, price: str, said: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        with_price_alert({}, symbol, direction, price)
    assert said in err.value.user_message()
