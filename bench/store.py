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


def plain_engine(path: Path, module: Any = None) -> Engine:
    """Unencrypted SQLite: Python's own sqlite3, or (``module``) sqlcipher3 without a key,
    which is the same SQLite build as the encrypted side with encryption off."""
    engine = create_engine(f"sqlite:///{path}", **({"module": module} if module else {}))

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
    import sqlcipher3

    kinds = ("encrypted", "plain", "plain-same")
    results: dict[str, dict[str, list[float]]] = {k: {"insert": [], "query": []} for k in kinds}
    with tempfile.TemporaryDirectory(prefix="warden-bench-") as tmp:
        for run in range(args.runs):
            # Rotate the order so no side always runs on a warmer machine.
            order = kinds[run % 3 :] + kinds[: run % 3]
            for kind in order:
                folder = Path(tmp) / f"{kind}-{run}"
                folder.mkdir()
                if kind == "encrypted":
                    paths = Paths(folder, folder, folder, folder)
                    store = Store(paths, os.urandom(32), verify=False)
                    engine, close = store.engine, store.close
                else:
                    module = sqlcipher3 if kind == "plain-same" else None
                    engine = plain_engine(folder / "plain.db", module)
                    close = engine.dispose
                started = time.perf_counter()
                insert_rows(engine, data)
                results[kind]["insert"].append(time.perf_counter() - started)
                started = time.perf_counter()
                query_rows(engine)
                results[kind]["query"].append(time.perf_counter() - started)
                close()

    print(
        f"{args.rows} rows, {args.runs} runs."
        f" encrypted: SQLCipher (SQLite {sqlcipher3.sqlite_version});"
        f" plain: Python sqlite3 (SQLite {sqlite3.sqlite_version});"
        " plain-same: sqlcipher3 with no key (same SQLite build, encryption off)"
    )

    def series(kind: str, op: str) -> list[float]:
        r = results[kind]
        if op == "total":
            return [a + b for a, b in zip(r["insert"], r["query"], strict=True)]
        return r[op]

    def paired(op: str, base: str) -> float:
        """Median of the ratios of runs made back to back: steadier on a busy machine."""
        pairs = zip(series("encrypted", op), series(base, op), strict=True)
        return statistics.median(e / b for e, b in pairs)

    print(f"{'':8}" + "".join(f"{k:>13}" for k in kinds) + "  enc/plain  enc/plain-same")
    for op in ("insert", "query", "total"):
        med = {k: statistics.median(series(k, op)) for k in kinds}
        cells = "".join(f"{med[k] * 1000:11.1f}ms" for k in kinds)
        print(
            f"{op:8}{cells}  {med['encrypted'] / med['plain']:8.2f}x"
            f"  {med['encrypted'] / med['plain-same']:12.2f}x"
            f"   (paired: {paired(op, 'plain'):.2f}x, {paired(op, 'plain-same'):.2f}x)"
        )
    print("target: encrypted at most 1.20x plain")


if __name__ == "__main__":
    main()
