"""Candles: from an exchange through ccxt, or recorded rows replayed through ccxt's parser.

Recorded rows go through ``Exchange.parse_ohlcvs``, the same code that turns a live
``fetch_ohlcv`` answer into candles, so the demo and the tests walk the live path. Candles are
cached in the store's ``Candle`` table.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.errors import InvalidInput, NetworkError
from app.store.schema import Candle

COLUMNS = ("timestamp", "open", "high", "low", "close", "volume")
RECORDED = {"BTC/USD": "BTC-USD-1d.csv", "ETH/USD": "ETH-USD-1d.csv"}
DEFAULT_EXCHANGE = "binance"


@dataclass(frozen=True)
class Series:
    """OHLCV columns as float64 arrays; ``ts`` in ms since the epoch, strictly increasing."""

    symbol: str
    timeframe: str
    ts: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray

    def __len__(self) -> int:
        return int(self.ts.size)

    @classmethod
    def from_rows(cls, symbol: str, timeframe: str, rows: Sequence[Sequence[Any]]) -> Series:
        arr = np.asarray(rows, dtype=np.float64).reshape(-1, 6)
        validate(arr)
        return cls(symbol, timeframe, *(np.ascontiguousarray(arr[:, i]) for i in range(6)))

    def rows(self) -> list[list[float]]:
        stacked = np.column_stack(
            [self.ts, self.open, self.high, self.low, self.close, self.volume]
        )
        return [[int(r[0]), *map(float, r[1:])] for r in stacked]


def validate(arr: np.ndarray) -> None:
    """Refuse what would make the indicators lie: empty, NaN, unsorted or repeated times."""
    hint = "Use columns timestamp,open,high,low,close,volume with one row per candle, oldest first."
    if arr.shape[0] == 0:
        raise InvalidInput("The candle file has no rows.", hint=hint)
    if not np.isfinite(arr).all():
        row = int(np.argwhere(~np.isfinite(arr))[0][0])
        raise InvalidInput(f"Candle {row + 1} has a missing or non-numeric value (NaN).", hint=hint)
    steps = np.diff(arr[:, 0])
    if (steps == 0).any():
        row = int(np.argmax(steps == 0)) + 2
        raise InvalidInput(f"Candle {row} repeats the timestamp of the one before.", hint=hint)
    if (steps < 0).any():
        row = int(np.argmax(steps < 0)) + 2
        raise InvalidInput(f"Candle {row} is older than the one before: unsorted.", hint=hint)
    if (arr[:, 1:5] <= 0).any() or (arr[:, 2] < arr[:, 3]).any():
        raise InvalidInput(
            "Some candle has a price of zero or less, or a high below its low.", hint=hint
        )


def read_csv_rows(path: Path) -> list[list[str]]:
    """The raw rows of a candle CSV file, in the order of ``COLUMNS``."""
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip().lower() for h in reader.fieldnames or ()]
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise InvalidInput(
                    f"{path.name} lacks the column(s) {', '.join(missing)}.",
                    hint="The first line must name timestamp,open,high,low,close,volume.",
                )
            reader.fieldnames = header
            return [[(row.get(c) or "").strip() for c in COLUMNS] for row in reader]
    except FileNotFoundError:
        raise InvalidInput(f"No file at {path}.", hint="Check the path and try again.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not a text CSV file.") from None
    except csv.Error as exc:
        raise InvalidInput(f"{path.name} is not a valid CSV file: {exc}") from None


def parse_with_ccxt(
    rows: Iterable[Sequence[Any]], exchange_id: str = DEFAULT_EXCHANGE, timeframe: str = "1d"
) -> list[list[Any]]:
    """Replay raw rows through ccxt's own OHLCV parser (numbers as strings, like the wire)."""
    exchange = _exchange(exchange_id)
    parsed = exchange.parse_ohlcvs([list(r) for r in rows], None, timeframe)
    out = []
    for i, candle in enumerate(parsed):
        if any(v is None for v in candle[:6]):
            raise InvalidInput(
                f"Candle {i + 1} has a missing or non-numeric value.",
                hint="Every column needs a number on every row.",
            )
        out.append(candle[:6])
    # ccxt sorts by time; an unsorted or repeated input must still be refused, not hidden.
    return out


def load_csv(
    path: Path, symbol: str = "", *, exchange_id: str = DEFAULT_EXCHANGE, timeframe: str = "1d"
) -> Series:
    raw = read_csv_rows(Path(path))
    if not raw:
        raise InvalidInput(
            f"{Path(path).name} has a header but no candles.",
            hint="Add rows of timestamp,open,high,low,close,volume.",
        )
    for i, row in enumerate(raw):
        for value in row:
            try:
                if math.isnan(float(value)):
                    raise ValueError
            except ValueError:
                raise InvalidInput(
                    f"Row {i + 1} of {Path(path).name} has a missing or non-numeric value "
                    f"({value!r}).",
                    hint="Remove or fill the row; every column needs a number.",
                ) from None
    # ccxt's parse_ohlcvs sorts by timestamp; validate the order as the file has it first.
    validate(np.asarray(raw, dtype=np.float64))
    rows = parse_with_ccxt(raw, exchange_id, timeframe)
    return Series.from_rows(symbol or Path(path).stem, timeframe, rows)


def recorded(symbol: str) -> Series:
    """The recorded daily candles shipped in ``delegates/market/data``."""
    try:
        name = RECORDED[symbol]
    except KeyError:
        raise InvalidInput(
            f"No recorded data for {symbol}.", hint=f"Recorded: {', '.join(RECORDED)}."
        ) from None
    with resources.as_file(resources.files("delegates.market").joinpath("data", name)) as p:
        return load_csv(p, symbol)


def fetch(
    exchange_id: str,
    symbol: str,
    timeframe: str = "1d",
    *,
    since: int | None = None,
    limit: int = 500,
) -> Series:
    """Public OHLCV from an exchange the user picks (no API key needed)."""
    import ccxt

    exchange = _exchange(exchange_id)
    try:
        rows = exchange.fetch_ohlcv(symbol, timeframe, since=since, limit=limit)
    except ccxt.BadSymbol:
        raise InvalidInput(f"{exchange_id} does not list {symbol}.") from None
    except ccxt.BaseError as exc:
        raise NetworkError(f"{exchange_id} did not answer: {exc}") from None
    return Series.from_rows(symbol, timeframe, [r[:6] for r in rows])


def _exchange(exchange_id: str) -> Any:
    import ccxt

    cls = getattr(ccxt, exchange_id, None)
    if exchange_id not in ccxt.exchanges or cls is None:
        raise InvalidInput(
            f"ccxt knows no exchange {exchange_id!r}.",
            hint="Pick one of ccxt.exchanges, e.g. binance, kraken, coinbase.",
        )
    return cls({"enableRateLimit": True})


def cache(db: Any, series: Series) -> int:
    """Store (or refresh) the candles; return how many rows were written."""
    keys = ("ts", "open", "high", "low", "close", "volume")
    values = [
        {"symbol": series.symbol, "timeframe": series.timeframe, **dict(zip(keys, r, strict=True))}
        for r in series.rows()
    ]
    stmt = sqlite_insert(Candle)
    # One executemany in one transaction: a multi-row VALUES would be compiled per chunk.
    upsert = stmt.on_conflict_do_update(
        index_elements=["symbol", "timeframe", "ts"],
        set_={k: stmt.excluded[k] for k in keys[1:]},
    )
    with db.session() as s:
        s.execute(upsert, values)
    return len(series)


def cached(db: Any, symbol: str, timeframe: str = "1d") -> Series | None:
    with db.session() as s:
        found = s.scalars(
            select(Candle)
            .where(Candle.symbol == symbol, Candle.timeframe == timeframe)
            .order_by(Candle.ts)
        ).all()
        rows = [[c.ts, c.open, c.high, c.low, c.close, c.volume] for c in found]
    return Series.from_rows(symbol, timeframe, rows) if rows else None
