from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from app.config import Paths
from app.errors import StoreError
from app.store import Store, migrate
from app.store.db import make_engine
from app.store.schema import Account, Base, Contact, Transfer

DATA = Path(__file__).resolve().parent / "data"
# The fixed key store-0001.db was written with (see data/make_store_0001.py).
KEY_0001 = hashlib.sha256(b"warden test store 0001").digest()


def _copy_0001(paths: Paths) -> None:
    paths.ensure()
    shutil.copyfile(DATA / "store-0001.db", paths.store_file)


def test_stored_0001_file_is_at_0001(paths: Paths) -> None:
    _copy_0001(paths)  # never open the committed file itself: WAL would write beside it
    engine = make_engine(paths.store_file, KEY_0001)
    try:
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == "0001"
    finally:
        engine.dispose()


def test_opening_a_0001_store_upgrades_to_head_and_keeps_rows(paths: Paths) -> None:
    _copy_0001(paths)
    store = Store.open_with_key(paths, KEY_0001)
    assert migrate.current_revision(store.engine) == migrate.head_revision() != "0001"
    with store.session() as s:
        assert s.scalars(select(Account.name)).all() == ["Alice main"]
        assert s.scalars(select(Contact.note)).all() == ["rent"]
        amounts = s.scalars(select(Transfer.amount).order_by(Transfer.id)).all()
    assert amounts == [str(10**18 * n) for n in (1, 2, 3)]
    indexes = {i["name"] for i in inspect(store.engine).get_indexes("transfers")}
    assert "ix_transfers_account_chain" in indexes
    store.close()
    # The file as it was before the upgrade is kept beside the store.
    kept = list(paths.data_dir.glob("warden.db.schema-0001-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == (DATA / "store-0001.db").read_bytes()


def test_migrations_match_the_schema(tmp_path: Path) -> None:
    """A column added to schema.py without a migration fails here."""
    store = Store.throwaway(tmp_path)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    store.close()
    assert diff == []


def test_each_revision_downgrades_and_upgrades(tmp_path: Path) -> None:
    store = Store.throwaway(tmp_path)
    from alembic import command

    with store.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0001")
    assert migrate.current_revision(store.engine) == "0001"
    migrate.upgrade(store.engine)
    assert migrate.current_revision(store.engine) == migrate.head_revision()
    store.close()


def test_a_store_from_a_newer_warden_is_refused(paths: Paths) -> None:
    _copy_0001(paths)
    engine = make_engine(paths.store_file, KEY_0001)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer Warden"):
        Store.open_with_key(paths, KEY_0001)
