"""Market-analysis and delegate-runtime figures.

Hourly candles: the last 5 years (1,825 days) of the recorded BTC daily data, each day turned
into 24 hourly candles by linear interpolation of the close from one day's close to the next
(open = the previous hour's close, high/low = the larger/smaller of open and close widened by
the day's relative range / 24, volume = the day's volume / 24): 43,800 candles.

Prints medians of repeated runs; ratios are against the same code on the 1,825 daily candles,
and the runtime's overhead is against calling the delegate directly.

    .venv/bin/python bench/market.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.events import EventBus  # noqa: E402
from app.notify import Notifier, RecordingBackend  # noqa: E402
from app.store import open_throwaway  # noqa: E402
from delegates.market import candles, indicators  # noqa: E402
from delegates.runtime.base import Delegate, DelegateContext  # noqa: E402
from delegates.runtime.registry import Registry  # noqa: E402
from delegates.runtime.runner import Runner  # noqa: E402

HOUR = 3_600_000


def hourly_from_daily(daily: candles.Series, days: int = 1825) -> candles.Series:
    ts, close = daily.ts[-days - 1 :], daily.close[-days - 1 :]
    rel_range = ((daily.high - daily.low) / daily.close)[-days - 1 :]
    steps = np.arange(1, 25) / 24.0
    c = (close[:-1, None] + (close[1:] - close[:-1])[:, None] * steps).ravel()
    o = np.concatenate([[close[0]], c[:-1]])
    widen = np.repeat(rel_range[1:] / 24.0, 24)
    h = np.maximum(o, c) * (1 + widen)
    lo = np.minimum(o, c) * (1 - widen)
    t = (ts[:-1, None] + (np.arange(24) * HOUR)[None, :]).ravel()
    v = np.repeat(daily.volume[-days:] / 24.0, 24)
    return candles.Series("BTC/USD", "1h", t.astype(np.float64), o, h, lo, c, v)


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


class Noop(Delegate):
    name = "noop"
    description = "does nothing (overhead benchmark)"

    def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
        return {"summary": "ok"}


def main() -> None:
    daily_all = candles.recorded("BTC/USD")
    hourly = hourly_from_daily(daily_all)
    daily = candles.Series.from_rows("BTC/USD", "1d", daily_all.rows()[-1825:])
    print(f"hourly candles: {len(hourly)} (synthesized), daily candles: {len(daily)}")

    t_h = median_ms(lambda: indicators.compute(hourly), 20)
    t_d = median_ms(lambda: indicators.compute(daily), 20)
    print(f"all indicators, {len(hourly)} hourly: median {t_h:.2f} ms")
    print(
        f"all indicators, {len(daily)} daily:  median {t_d:.2f} ms  (ratio {t_h / t_d:.1f}x "
        f"for {len(hourly) / len(daily):.0f}x the candles)"
    )
    per = {
        "SMA": lambda: indicators.talib.SMA(hourly.close, 20),
        "RSI": lambda: indicators.talib.RSI(hourly.close, 14),
        "MACD": lambda: indicators.talib.MACD(hourly.close, 12, 26, 9),
        "ATR": lambda: indicators.talib.ATR(hourly.high, hourly.low, hourly.close, 14),
        "volatility": lambda: indicators.realised_volatility(hourly.close, 30, 24 * 365),
        "max drawdown": lambda: indicators.max_drawdown(hourly.close),
    }
    for name, fn in per.items():
        print(f"  {name:13} median {median_ms(fn, 50):.3f} ms")

    raw = [[str(int(r[0])), *map(str, r[1:])] for r in hourly.rows()]
    t_parse = median_ms(lambda: candles.parse_with_ccxt(raw, timeframe="1h"), 5)
    print(f"ccxt parse_ohlcvs replay of {len(raw)} rows: median {t_parse:.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        db = open_throwaway(Path(tmp))
        t_cache = median_ms(lambda: candles.cache(db, hourly), 3)
        print(f"cache {len(hourly)} candles in the encrypted store: median {t_cache:.0f} ms")

        reg = Registry()
        reg.register(Noop)
        runner = Runner(reg, db, EventBus(), Notifier(RecordingBackend(), batch_window=0))
        t_run = median_ms(lambda: runner.run("noop"), 200)
        ctx = DelegateContext("noop", db, EventBus(), Notifier(RecordingBackend()), Noop.capability)
        direct = Noop()
        t_direct = median_ms(lambda: direct.run(ctx, None, None), 200)
        print(
            f"delegate run through the runtime (thread, 2 store writes, event): "
            f"median {t_run:.2f} ms; direct call {t_direct * 1000:.1f} us; "
            f"overhead {t_run - t_direct:.2f} ms per run"
        )
        runner.shutdown()
        db.close()


if __name__ == "__main__":
    main()
