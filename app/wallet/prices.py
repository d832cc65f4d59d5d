"""Dollar prices for the balances shown: a price source when one is plugged in, else the
latest recorded candle, and 1 for dollar stablecoins."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from sqlalchemy import select

from app.store import schema as s
from app.wallet.ports import SessionSource

PriceSource = Callable[[], Mapping[str, Decimal | float | str]]


def usd_prices(store: SessionSource, source: PriceSource | None = None) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {"USDC": Decimal(1), "USDT": Decimal(1), "DAI": Decimal(1)}
    if source is not None:
        out.update({k: Decimal(str(v)) for k, v in source().items()})
        return out
    with store.session() as ses:
        for sym in ("ETH", "BTC"):
            last = ses.scalar(
                select(s.Candle)
                .where(s.Candle.symbol.in_([f"{sym}/USD", f"{sym}-USD", sym]))
                .order_by(s.Candle.ts.desc())
                .limit(1)
            )
            if last is not None:
                out[sym] = Decimal(str(last.close))
    out.setdefault("WETH", out.get("ETH", Decimal(0)))
    return out
