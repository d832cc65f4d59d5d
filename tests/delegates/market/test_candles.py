from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.errors import InvalidInput
from delegates.market import candles
from warden.cli import main

GOOD = "timestamp,open,high,low,close,volume\n"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "c.csv"
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("timestamp,open,high,low,close\n1,1,1,1,1\n", "lacks the column"),
        (GOOD, "no candles"),
        ("", "lacks the column"),
        (GOOD + "2000,1,2,1,1,5\n1000,1,2,1,1,5\n", "unsorted"),
        (GOOD + "1000,1,2,1,1,5\n1000,1,2,1,1,5\n", "repeats the timestamp"),
        (GOOD + "1000,1,2,1,NaN,5\n", "missing or non-numeric"),
        (GOOD + "1000,1,2,1,,5\n", "missing or non-numeric"),
        (GOOD + "1000,1,2,1,abc,5\n", "missing or non-numeric"),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path, text, message) -> None:
    with pytest.raises(InvalidInput, match=message) as err:
        candles.load_csv(write(tmp_path, text))
    assert err.value.hint


def test_cli_prints_latest_indicators_and_brief(tmp_path, capsys) -> None:
    src = Path(candles.__file__).parent / "data" / "ETH-USD-1d.csv"
    assert main(["market", "analyze", "--ohlcv", str(src), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["candles"] == 1680
    assert set(out["latest"]) >= {
        "sma_20",
        "ema_50",
        "rsi_14",
        "macd",
        "bb_upper",
        "atr_14",
        "volatility_30",
        "max_drawdown",
    }
    assert out["latest"]["close"] == pytest.approx(1110.117432)
    assert "1,110.12" in out["brief"]


def test_cli_bad_file_is_a_message_not_a_traceback(tmp_path, capsys) -> None:
    bad = write(tmp_path, GOOD + "2000,1,2,1,1,5\n1000,1,2,1,1,5\n")
    assert main(["market", "analyze", "--ohlcv", str(bad), "--json"]) == 2
    err = capsys.readouterr().err
    assert "unsorted" in err and "Traceback" not in err


def test_candles_are_cached_in_the_store(db) -> None:
    eth = candles.recorded("ETH/USD")
    assert candles.cache(db, eth) == 1680
    candles.cache(db, eth)  # refreshing does not duplicate
    back = candles.cached(db, "ETH/USD")
    assert back is not None and len(back) == 1680
    assert back.close[-1] == eth.close[-1]
    assert candles.cached(db, "DOGE/USD") is None


def test_unknown_exchange_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no exchange"):
        candles.parse_with_ccxt([], "not_an_exchange")
