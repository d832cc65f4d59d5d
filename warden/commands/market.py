"""``warden market analyze``: indicators and a brief for a candle file or the recorded data."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    market = sub.add_parser("market", help="market analysis of candles")
    msub = market.add_subparsers(dest="market_command", metavar="ACTION", required=True)
    analyze = msub.add_parser(
        "analyze",
        help="latest indicators, alerts and a brief",
        description="Reads candles (columns timestamp,open,high,low,close,volume; timestamp in "
        "ms) from a CSV file, or the recorded data for --symbol, or an exchange with --exchange.",
    )
    src = analyze.add_mutually_exclusive_group()
    src.add_argument("--ohlcv", type=Path, metavar="FILE.csv", help="a candle CSV file")
    src.add_argument("--exchange", metavar="ID", help="a ccxt exchange id, e.g. binance")
    analyze.add_argument("--symbol", help="the pair (default BTC/USD, or the file's name)")
    analyze.add_argument("--timeframe", default="1d", help="candle length (default 1d)")
    analyze.add_argument("--above", type=float, help="alert when the price crosses above this")
    analyze.add_argument("--below", type=float, help="alert when the price crosses below this")
    analyze.add_argument("--json", action="store_true", help="print JSON")
    analyze.set_defaults(func=_analyze)


def _analyze(args: argparse.Namespace) -> int:
    from delegates.market import candles
    from delegates.market.alerts import AlertRule
    from delegates.market.analysis import analyze

    if args.ohlcv is not None:
        series = candles.load_csv(
            args.ohlcv, args.symbol or args.ohlcv.stem, timeframe=args.timeframe
        )
    elif args.exchange:
        series = candles.fetch(args.exchange, args.symbol or "BTC/USDT", args.timeframe)
    else:
        series = candles.recorded(args.symbol or "BTC/USD")
    rule = AlertRule(series.symbol, price_above=args.above, price_below=args.below)
    result = analyze(series, rule=rule)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['symbol']} ({result['candles']} candles of {result['timeframe']})")
    for name, value in result["latest"].items():
        print(f"  {name:16} {'-' if value is None else value}")
    for alert in result["alerts"]:
        print(f"  alert: {alert['message']}")
    print()
    print(result["brief"])
    return 0
