"""A real encrypted store filled with a small, known wallet for the screens to draw.

Rows are written straight into the schema's tables so the screens can be tested on their own;
the whole send flow runs on the real in-process EVM in ``test_send_flow.py``.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.store import Store
from app.store import schema as s

SAMPLE_PASSWORD = "correct horse battery"  # noqa: S105 - a test store's password
ALICE = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"
BOB = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"
CAROL = "0x6813Eb9362372EEF6200f3b1dbC3f819671cBA69"
# Same first and last characters as BOB: a look-alike used for address poisoning.
POISON = "0x2B5AD00000000000000000000000000000CcD6cF"
TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
MARKET = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "market"


def sample_store(directory: Path) -> Store:
    st = Store.throwaway(directory, password=SAMPLE_PASSWORD)
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    with st.session() as ses:
        ses.add(
            s.Network(
                name="demo",
                chain_id=131277322940537,
                rpc_url="in-process",
                native_symbol="ETH",
                is_preset=True,
            )
        )
        ses.add(
            s.Token(
                chain_id=131277322940537, address=TOKEN, symbol="USDC", name="USD Coin", decimals=6
            )
        )
        ses.add(s.Account(address=ALICE, name="Main", kind="hd", hd_index=0))
        ses.add(s.Account(address=CAROL, name="Savings (watch)", kind="watch"))
        ses.add(s.Contact(address=BOB, name="Bob", note="rent"))
        rows = [
            ("in", BOB, ALICE, None, 2 * 10**18, False, "0xaa01"),
            ("out", ALICE, BOB, None, 5 * 10**17, False, "0xaa02"),
            ("in", BOB, ALICE, TOKEN, 250 * 10**6, False, "0xaa03"),
            ("in", POISON, ALICE, TOKEN, 0, True, "0xaa04"),
        ]
        for i, (direction, sender, recipient, token, amount, hidden, h) in enumerate(rows):
            ses.add(
                s.Transfer(
                    chain_id=131277322940537,
                    account=ALICE,
                    tx_hash=h.ljust(66, "0"),
                    log_index=-1 if token is None else 0,
                    block_number=10 + i,
                    timestamp=now - timedelta(days=4 - i),
                    direction=direction,
                    sender=sender,
                    recipient=recipient,
                    token=token,
                    amount=str(amount),
                    status="confirmed",
                    hidden=hidden,
                )
            )
        ses.add(
            s.DelegateSetting(
                name="approval_hygiene", enabled=True, settings={"schedule": "monthly"}
            )
        )
        ses.add(s.DelegateSetting(name="market_analysis", enabled=False, settings={}))
        ses.add(
            s.DelegateRun(
                delegate="approval_hygiene",
                trigger="schedule",
                started_at=now,
                ended_at=now,
                outcome="ok",
                output={"message": "1 risky approval found"},
            )
        )
        ses.add(
            s.Proposal(
                delegate="approval_hygiene",
                kind="revoke",
                payload={
                    "title": "Revoke USDC allowance of 0x1111…1111",
                    "token": TOKEN,
                    "spender": "0x" + "11" * 20,
                },
            )
        )
        with (MARKET / "ETH-USD-1d.csv").open() as fh:
            candles = list(csv.DictReader(fh))[-200:]
        for c in candles:
            ses.add(
                s.Candle(
                    symbol="ETH/USD",
                    timeframe="1d",
                    ts=int(c["timestamp"]),
                    open=float(c["open"]),
                    high=float(c["high"]),
                    low=float(c["low"]),
                    close=float(c["close"]),
                    volume=float(c["volume"]),
                )
            )
    return st
