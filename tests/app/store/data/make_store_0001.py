"""Writes ``store-0001.db``: an encrypted store at schema revision 0001 with a few rows.

Run once from the repo root (``.venv/bin/python tests/app/store/data/make_store_0001.py``)
when the file must be rebuilt; the test keeps the committed file, since the point is a
database made by the older schema, not by today's code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import text

from app.store.db import make_engine
from app.store.migrate import upgrade

KEY = hashlib.sha256(b"warden test store 0001").digest()
HERE = Path(__file__).resolve().parent
ALICE = "0x" + "a1" * 20
BOB = "0x" + "b0" * 20


def main() -> None:
    target = HERE / "store-0001.db"
    target.unlink(missing_ok=True)
    engine = make_engine(target, KEY)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO accounts (id, address, name, kind, hidden, created_at)"
                " VALUES (1, :a, 'Alice main', 'watch', 0, '2026-01-02 03:04:05+00:00')"
            ),
            {"a": ALICE},
        )
        conn.execute(
            text(
                "INSERT INTO address_book (id, address, name, note, created_at)"
                " VALUES (1, :b, 'Bob', 'rent', '2026-01-02 03:04:05+00:00')"
            ),
            {"b": BOB},
        )
        for i in range(3):
            conn.execute(
                text(
                    "INSERT INTO transfers (chain_id, account, tx_hash, log_index, direction,"
                    " sender, recipient, amount, status, hidden, note)"
                    " VALUES (1, :a, :h, -1, 'out', :a, :b, :amt, 'confirmed', 0, '')"
                ),
                {"a": ALICE, "b": BOB, "h": "0x" + f"{i:02x}" * 32, "amt": str(10**18 * (i + 1))},
            )
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
