"""Dollar prices for the balances shown: a price source when one is plugged in, else the
latest recorded candle if it is recent, and 1 for dollar stablecoins.

A candle older than ``MAX_PRICE_AGE`` (recorded demo data, an import from months ago) is not
today's price: it is left out of ``usd_prices`` so no total is built on it, and
``stale_prices`` says which symbols were left out and from which day their last close is."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.store import schema as s
from app.wallet.ports import SessionSource

MAX_PRICE_AGE = timedelta(days=3)
_CANDLE_SYMBOLS = ("ETH", "BTC")


@dataclass(frozen=True)
class RecordedPrice:
    """The last stored close of ``symbol`` and the day it is from (UTC)."""

    symbol: str
    close: Decimal
    as_of: date

    def describe(self) -> str:
        return f"{self.symbol} ${self.close:,.2f} recorded on {self.as_of.isoformat()}"


# A source may hand back a ``RecordedPrice`` for a price from a past day.
PriceSource = Callable[[], Mapping[str, Decimal | float | str | RecordedPrice]]


def _now_ms(now: datetime | None) -> int:
    return int((now.timestamp() if now is not None else time.time()) * 1000)


def last_closes(store: SessionSource) -> dict[str, tuple[Decimal, int]]:
    """The latest stored close of each priced symbol with its timestamp (ms since epoch)."""
    out: dict[str, tuple[Decimal, int]] = {}
    with store.session() as ses:
        for sym in _CANDLE_SYMBOLS:
            last = ses.scalar(
                select(s.Candle)
                .where(s.Candle.symbol.in_([f"{sym}/USD", f"{sym}-USD", sym]))
                .order_by(s.Candle.ts.desc())
                .limit(1)
            )
            if last is not None:
                out[sym] = (Decimal(str(last.close)), int(last.ts))
    return out


def _split(
    store: SessionSource, now: datetime | None, max_age: timedelta
) -> tuple[dict[str, Decimal], dict[str, RecordedPrice]]:
    fresh: dict[str, Decimal] = {}
    stale: dict[str, RecordedPrice] = {}
    oldest_ok = _now_ms(now) - int(max_age.total_seconds() * 1000)
    for sym, (close, ts) in last_closes(store).items():
        if ts >= oldest_ok:
            fresh[sym] = close
        else:
            day = datetime.fromtimestamp(ts / 1000, tz=UTC).date()
            stale[sym] = RecordedPrice(sym, close, day)
    return fresh, stale


def usd_prices(
    store: SessionSource,
    source: PriceSource | None = None,
    *,
    now: datetime | None = None,
    max_age: timedelta = MAX_PRICE_AGE,
) -> dict[str, Decimal]:
    """USD per symbol that can be summed as today's value; stale candles are left out."""
    out: dict[str, Decimal] = {"USDC": Decimal(1), "USDT": Decimal(1), "DAI": Decimal(1)}
    if source is not None:
        oldest_ok = datetime.fromtimestamp(_now_ms(now) / 1000, tz=UTC).date() - max_age
        for k, v in source().items():
            if isinstance(v, RecordedPrice):
                if v.as_of >= oldest_ok:
                    out[k] = v.close
            else:
                out[k] = Decimal(str(v))
        return out
    fresh, _ = _split(store, now, max_age)
    out.update(fresh)
    if "ETH" in out:
        out.setdefault("WETH", out["ETH"])
    return out


def stale_prices(
    store: SessionSource,
    *,
    now: datetime | None = None,
    max_age: timedelta = MAX_PRICE_AGE,
) -> dict[str, RecordedPrice]:
    """Symbols whose only price is a stored close older than ``max_age``, with its day."""
    _, stale = _split(store, now, max_age)
    return stale


def recorded(symbol: str, close: Decimal, ts_ms: int) -> RecordedPrice:
    """A close from a recorded series, dated by its timestamp (ms since epoch)."""
    return RecordedPrice(symbol, close, datetime.fromtimestamp(ts_ms / 1000, tz=UTC).date())
