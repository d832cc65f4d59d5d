"""Indicators on the recorded real data, checked against TA-Lib and against plain numpy."""

from __future__ import annotations

import numpy as np
import pytest
import talib

from delegates.market import candles, indicators


@pytest.fixture(scope="module")
def btc() -> candles.Series:
    return candles.recorded("BTC/USD")


def test_recorded_data_goes_through_ccxt_parsing(btc) -> None:
    assert len(btc) == 2829
    assert btc.ts[0] == 1410912000000 and btc.close[0] == pytest.approx(457.334015)
    assert (np.diff(btc.ts) > 0).all()


def test_talib_indicators_match_the_library(btc) -> None:
    v = indicators.compute(btc)
    c = btc.close
    np.testing.assert_allclose(v["sma_20"], talib.SMA(c, 20), equal_nan=True)
    np.testing.assert_allclose(v["ema_50"], talib.EMA(c, 50), equal_nan=True)
    np.testing.assert_allclose(v["rsi_14"], talib.RSI(c, 14), equal_nan=True)
    macd, signal, hist = talib.MACD(c, 12, 26, 9)
    np.testing.assert_allclose(v["macd_hist"], hist, equal_nan=True)
    upper, _, lower = talib.BBANDS(c, 20, 2, 2)
    np.testing.assert_allclose(v["bb_upper"], upper, equal_nan=True)
    np.testing.assert_allclose(v["atr_14"], talib.ATR(btc.high, btc.low, c, 14), equal_nan=True)
    # The SMA also matches a plain moving mean, so a wrong column would show.
    np.testing.assert_allclose(v["sma_20"][19:], np.convolve(c, np.ones(20) / 20, "valid"))
    assert 0 < v["rsi_14"][-1] < 100


def test_realised_volatility_and_max_drawdown_match_numpy(btc) -> None:
    c = btc.close
    vol = indicators.realised_volatility(c, 30, 365)
    logret = np.diff(np.log(c))
    expected = np.std(logret[-30:], ddof=1) * np.sqrt(365)
    assert vol[-1] == pytest.approx(expected, rel=1e-9)
    # Brute force: the largest fall from any earlier high to any later low.
    worst = max(1 - c[j] / c[: j + 1].max() for j in range(len(c)))
    assert indicators.max_drawdown(c) == pytest.approx(worst)
    assert 0.8 < worst < 0.9  # BTC fell about 83% from its December 2017 high


def test_latest_values_are_the_last_of_each_series(btc) -> None:
    v = indicators.compute(btc)
    last = indicators.latest(v, btc)
    assert last["timestamp"] == int(btc.ts[-1])
    assert last["rsi_14"] == pytest.approx(v["rsi_14"][-1], abs=1e-6)
    short = candles.Series.from_rows("X", "1d", btc.rows()[:10])
    assert indicators.latest(indicators.compute(short), short)["sma_20"] is None
