"""Whether candles are recent enough to raise alerts on. Recorded data (the shipped CSVs end in
2022) or an exchange that stopped updating must not ring "RSI is 25.7" today as if it were
news: a series whose latest candle ended more than one period ago is old, says from when, and
raises no alerts."""

from __future__ import annotations

from datetime import UTC, datetime

from delegates.market.candles import Series

_UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 7 * 86_400_000}


def period_ms(timeframe: str) -> int | None:
    """``"1d"`` -> one day in ms; None for a timeframe that cannot be read (then the data's
    age is unknown, and it counts as old)."""
    text = timeframe.strip()
    unit, count = text[-1:], text[:-1]
    if unit == "M":
        unit, scale = "d", 30
    else:
        scale = 1
    if unit not in _UNIT_MS or not count.isdigit() or int(count) <= 0:
        return None
    return int(count) * scale * _UNIT_MS[unit]


def old_since(series: Series, now: datetime) -> str | None:
    """None while ``series`` is current; else the date (UTC) of its latest candle, or
    "an unknown date". Current means the latest candle ended less than one period ago."""
    period = period_ms(series.timeframe)
    if len(series) == 0:
        return "an unknown date"
    last_ms = int(series.ts[-1])
    day = datetime.fromtimestamp(last_ms / 1000, UTC).date().isoformat()
    if period is None:
        return day
    age_ms = now.timestamp() * 1000 - (last_ms + period)
    return day if age_ms > period else None
