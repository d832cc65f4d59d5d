"""Insert and query 10,000 rows in the encrypted store and in plain SQLite, same run.

Same SQLAlchemy code, same schema (the store's migrations), same pragmas (WAL, synchronous
FULL, temp_store MEMORY). The encrypted side is the real ``Store`` keyed with a raw 32-byte
key, as Warden opens it after unlocking. Prints medians of several runs and the ratio
encrypted/plain (target: at most 1.2x).

    .venv/bin/python bench/store.py [--rows 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, create_engine, event, func, insert, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.config import Paths  # noqa: E402
from app.store import Store, migrate  # noqa: E402
from app.store.db import apply_pragmas  # noqa: E402
from app.store.schema import Transfer  # noqa: E402

ACCOUNTS = [f"0x{i:040x}" for i in range(1, 11)]


def rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "chain_id": 1,
            "account": ACCOUNTS[i % len(ACCOUNTS)],
            "tx_hash": f"0x{i:064x}",
            "log_index": -1,
            "block_number": 1_000_000 + i,
            "direction": "in" if i % 3 else "out",
            "sender": ACCOUNTS[(i + 1) % len(ACCOUNTS)],
            "recipient": ACCOUNTS[i % len(ACCOUNTS)],
            "token": None,
            "amount": str(10**15 * (i + 1)),
            "status": "confirmed",
            "hidden": False,
            "note": "",
        }
        for i in range(n)
    ]


def insert_rows(engine: Engine, data: list[dict[str, Any]]) -> None:
    with Session(engine) as s, s.begin():
        s.execute(insert(Transfer), data)


def query_rows(engine: Engine) -> int:
    """Per-account history, newest first, plus a total: what the history view does."""
    seen = 0
    with Session(engine) as s:
        for account in ACCOUNTS:
            stmt = (
                select(Transfer)
                .where(Transfer.account == account, Transfer.chain_id == 1)
                .order_by(Transfer.block_number.desc())
            )
            seen += len(s.scalars(stmt).all())
        seen += s.scalar(select(func.count()).select_from(Transfer)) or 0
    return seen


def plain_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        apply_pragmas(dbapi_conn)

    migrate.upgrade(engine)
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = rows(args.rows)
    results: dict[str, dict[str, list[float]]] = {
        "encrypted": {"insert": [], "query": []},
        "plain": {"insert": [], "query": []},
    }
    with tempfile.TemporaryDirectory(prefix="warden-bench-") as tmp:
        for run in range(args.runs):
            # Alternate the order so neither side always runs on a warmer machine.
            order = ("encrypted", "plain") if run % 2 == 0 else ("plain", "encrypted")
            for kind in order:
                folder = Path(tmp) / f"{kind}-{run}"
                folder.mkdir()
                if kind == "encrypted":
                    paths = Paths(folder, folder, folder, folder)
                    store = Store(paths, os.urandom(32), verify=False)
                    engine, close = store.engine, store.close
                else:
                    engine = plain_engine(folder / "plain.db")
                    close = engine.dispose
                started = time.perf_counter()
                insert_rows(engine, data)
                results[kind]["insert"].append(time.perf_counter() - started)
                started = time.perf_counter()
                query_rows(engine)
                results[kind]["query"].append(time.perf_counter() - started)
                close()

    import sqlcipher3

    print(
        f"{args.rows} rows, {args.runs} runs; SQLCipher {sqlcipher3.sqlite_version} (encrypted) "
        f"vs SQLite {sqlite3.sqlite_version} (plain)"
    )
    print(f"{'':10} {'encrypted':>12} {'plain':>12} {'ratio':>7}")
    for op in ("insert", "query"):
        enc = statistics.median(results["encrypted"][op])
        plain = statistics.median(results["plain"][op])
        print(f"{op:10} {enc * 1000:10.1f}ms {plain * 1000:10.1f}ms {enc / plain:6.2f}x")
    enc_total = statistics.median(
        a + b
        for a, b in zip(results["encrypted"]["insert"], results["encrypted"]["query"], strict=True)
    )
    plain_total = statistics.median(
        a + b for a, b in zip(results["plain"]["insert"], results["plain"]["query"], strict=True)
    )
    print(
        f"{'total':10} {enc_total * 1000:10.1f}ms {plain_total * 1000:10.1f}ms "
        f"{enc_total / plain_total:6.2f}x  (target <= 1.20x)"
    )


if __name__ == "__main__":
    main()
