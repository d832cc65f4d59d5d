"""Migrations 0003 (sign_requests) and 0004 (threat_lists) on the stored 0001 file: upgraded,
empty, reversible."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import inspect, select

from app.config import Paths
from app.store import Store, migrate
from app.store.schema import ThreatList
from tests.app.store.test_migrations import DATA, KEY_0001


def test_a_0001_store_gains_an_empty_threat_lists_table_that_takes_rows(paths: Paths) -> None:
    paths.ensure()
    shutil.copyfile(DATA / "store-0001.db", paths.store_file)
    store = Store.open_with_key(paths, KEY_0001)
    try:
        assert {"threat_lists", "sign_requests"} <= set(inspect(store.engine).get_table_names())
        now = datetime.now(UTC)
        with store.session() as s:
            assert s.scalars(select(ThreatList)).all() == []
            s.add(
                ThreatList(
                    source="https://lists.example/x.json", fetched_at=now, checked_at=now,
                    sha256="0" * 64, domains=["evil.com"], addresses=[],
                )
            )  # fmt: skip
        with store.session() as s:
            assert s.get(ThreatList, "https://lists.example/x.json").domains == ["evil.com"]
    finally:
        store.close()


def test_0004_and_0003_downgrade_to_0002_and_back(tmp_path: Path) -> None:
    store = Store.throwaway(tmp_path)
    try:
        with store.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0003")
        assert "threat_lists" not in inspect(store.engine).get_table_names()
        assert "sign_requests" in inspect(store.engine).get_table_names()
        with store.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0002")
        assert "sign_requests" not in inspect(store.engine).get_table_names()
        migrate.upgrade(store.engine)
        names = inspect(store.engine).get_table_names()
        assert "threat_lists" in names and "sign_requests" in names
    finally:
        store.close()
