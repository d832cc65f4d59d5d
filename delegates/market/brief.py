"""A few sentences about trend, momentum, volatility and the portfolio, from computed numbers.

The template writes the brief. A language model may rephrase it, but it is given only the
numbers, and its text is kept only if every number in it is one of those numbers; otherwise
the template's text stands. The numbers shown beside the brief are always the computed ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


class Rephraser(Protocol):
    def rephrase(self, facts: Mapping[str, str], draft: str) -> str: ...


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def facts(
    asset: str, latest: Mapping[str, Any], portfolio: Mapping[str, Any] | None
) -> dict[str, str]:
    """The numbers the brief may mention, already formatted the one way they are shown."""
    out = {"asset": asset, "close": f"{latest['close']:,.2f}"}
    for key in ("sma_20", "ema_50"):
        if latest.get(key) is not None:
            out[key] = f"{latest[key]:,.2f}"
    for key, value in latest.items():
        if key.startswith("rsi_") and value is not None:
            out["rsi"] = f"{value:.1f}"
        if key.startswith("volatility_") and value is not None:
            out["volatility"] = _pct(value)
        if key.startswith("atr_") and value is not None:
            out["atr_pct"] = _pct(value / latest["close"])
    if latest.get("macd_hist") is not None:
        out["macd_hist"] = f"{latest['macd_hist']:,.2f}"
    out["drawdown"] = _pct(latest["drawdown"])
    out["max_drawdown"] = _pct(latest["max_drawdown"])
    if portfolio:
        out["portfolio_value"] = f"{portfolio['value']:,.2f}"
        top = portfolio["top_asset"]
        out["top_asset"] = top
        out["top_share"] = _pct(portfolio["allocation"][top])
        out["portfolio_drawdown"] = _pct(portfolio["drawdown_now"])
    return out


def template(f: Mapping[str, str], latest: Mapping[str, Any]) -> str:
    parts = []
    close, sma, ema = latest["close"], latest.get("sma_20"), latest.get("ema_50")
    if sma is not None and ema is not None:
        if close > sma and close > ema:
            trend = "above both its 20-candle average and its 50-candle EMA: an uptrend"
        elif close < sma and close < ema:
            trend = "below both its 20-candle average and its 50-candle EMA: a downtrend"
        else:
            trend = "between its 20-candle average and its 50-candle EMA: no clear trend"
        parts.append(
            f"{f['asset']} closed at {f['close']}, {trend} (SMA {f['sma_20']}, EMA {f['ema_50']})."
        )
    else:
        parts.append(f"{f['asset']} closed at {f['close']}; too few candles for a trend.")
    if "rsi" in f:
        rsi = float(f["rsi"])
        mood = "overbought" if rsi >= 70 else "oversold" if rsi <= 30 else "neutral"
        macd = ""
        if "macd_hist" in f:
            side = "strengthening" if latest["macd_hist"] > 0 else "weakening"
            macd = f", and MACD momentum is {side}"
        parts.append(f"Momentum: RSI {f['rsi']} ({mood}){macd}.")
    if "volatility" in f:
        atr = f", a typical candle range of {f['atr_pct']}" if "atr_pct" in f else ""
        parts.append(
            f"Volatility: {f['volatility']} a year{atr}; the price is {f['drawdown']} below "
            f"its peak (worst fall {f['max_drawdown']})."
        )
    if "portfolio_value" in f:
        parts.append(
            f"Your portfolio is worth {f['portfolio_value']}, {f['top_share']} in "
            f"{f['top_asset']}, and {f['portfolio_drawdown']} below its peak."
        )
    return " ".join(parts)


def numbers_in(text: str) -> set[str]:
    return {m.replace(",", "") for m in _NUMBER.findall(text)}


def write(
    asset: str,
    latest: Mapping[str, Any],
    portfolio: Mapping[str, Any] | None = None,
    rephraser: Rephraser | None = None,
) -> dict[str, Any]:
    f = facts(asset, latest, portfolio)
    draft = template(f, latest)
    text, source = draft, "template"
    if rephraser is not None:
        try:
            candidate = rephraser.rephrase(f, draft).strip()
        except Exception:  # the model is optional; the template always stands
            candidate = ""
        allowed = numbers_in(draft) | numbers_in(" ".join(f.values()))
        if candidate and numbers_in(candidate) <= allowed:
            text, source = candidate, "model"
    return {"text": text, "source": source, "facts": f}
