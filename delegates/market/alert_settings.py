"""A price alert the user asked for (in the Assistant), as a change of the market delegate's
stored settings: ``alert_rules[SYMBOL] = {"price_above"|"price_below": price}``, merged with
the rule already there. Checked like any settings change before it is stored."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from app.errors import InvalidInput
from delegates.market.delegate import MarketSettings

DELEGATE = "market_analysis"


def with_price_alert(
    current: dict[str, Any], symbol: str, direction: str, price: str
) -> tuple[dict[str, Any], str]:
    """The delegate's settings with the alert added, and the sentence that says what it is."""
    if direction not in ("above", "below"):
        raise InvalidInput("An alert is for a price above or below a level.")
    try:
        level = Decimal(str(price))
    except InvalidOperation:
        raise InvalidInput(f"{price!r} is not a price.", hint="Write it as digits: 4000.") from None
    if not level.is_finite() or level <= 0:
        raise InvalidInput("The alert's price must be more than zero.")
    symbols = tuple(current.get("symbols") or MarketSettings().symbols)
    if symbol not in symbols:
        raise InvalidInput(
            f"The market delegate does not follow {symbol}; it follows {', '.join(symbols)}.",
            hint=f"Add {symbol} to its symbols in Delegates → Market analysis, then ask again.",
        )
    rules = {k: dict(v) for k, v in (current.get("alert_rules") or {}).items()}
    rule = rules.get(symbol, {})
    rule[f"price_{direction}"] = float(level)
    rules[symbol] = rule
    merged = {**current, "alert_rules": rules}
    MarketSettings(**{k: v for k, v in merged.items() if k in MarketSettings.__dataclass_fields__})
    return merged, (
        f"Saved: the market delegate will tell you when {symbol} goes {direction} "
        f"{format(level.normalize(), 'f')}."
    )
