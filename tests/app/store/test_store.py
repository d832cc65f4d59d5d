from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import Paths
from app.errors import InvalidInput, StoreCorrupted, StoreError, StoreLocked, WrongPassword
from app.store import Store, open_throwaway
from app.store.schema import Account, AppMeta, Contact, Secret

PHRASE = "legal winner thank year wave sausage worth useful legal winner thank yellow"
NAME = "Zebulon Quaxworth"
ADDRESS = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"


def _plant(store: Store) -> None:
    with store.session() as s:
        secret = Secret(kind="mnemonic", value=PHRASE)
        s.add(secret)
        s.flush()
        s.add(Account(address=ADDRESS, name=NAME, kind="hd", hd_index=0, secret_id=secret.id))
        s.add(Contact(address="0x" + "c4" * 20, name=NAME + " (rent)", note=PHRASE))


def _files(paths: Paths) -> dict[str, bytes]:
    found = {}
    for p in sorted(paths.data_dir.iterdir()):
        if p.is_file():
            found[p.name] = p.read_bytes()
    return found


def _assert_no_plaintext(files: dict[str, bytes]) -> None:
    needles = [PHRASE, "legal winner thank", NAME, "Zebulon", ADDRESS, ADDRESS[2:].lower()]
    for name, data in files.items():
        lowered = data.lower()
        for needle in needles:
            assert needle.lower().encode() not in lowered, f"{needle!r} in plaintext in {name}"
        assert b"SQLite format 3" not in data, f"{name} has a plain SQLite header"


def test_nothing_on_disk_is_plaintext_while_open_and_after_close(paths: Paths) -> None:
    store = Store.create(paths, "pw-for-tests")
    _plant(store)
    with store.session() as s:  # the rows are there, through the key
        assert s.scalars(select(Secret.value)).one() == PHRASE
    open_files = _files(paths)
    assert "warden.db-wal" in open_files and len(open_files["warden.db-wal"]) > 0
    _assert_no_plaintext(open_files)
    store.close()
    closed = _files(paths)
    # warden.lock is the writer lock's (empty) file; it stays so that waiters share its inode
    assert set(closed) == {"warden.db", "warden.key", "warden.lock"}
    assert closed["warden.lock"] == b""
    _assert_no_plaintext(closed)
    assert (paths.key_file.stat().st_mode & 0o777) == 0o600


def test_the_search_would_find_plaintext(tmp_path: Path) -> None:
    """The check above can fail: an unencrypted SQLite file with the same rows is caught."""
    import sqlite3

    con = sqlite3.connect(tmp_path / "plain.db")
    con.execute("CREATE TABLE t (v TEXT)")
    con.execute("INSERT INTO t VALUES (?)", (PHRASE,))
    con.commit()
    con.close()
    with pytest.raises(AssertionError, match="plaintext"):
        _assert_no_plaintext({"plain.db": (tmp_path / "plain.db").read_bytes()})


def test_create_open_and_keep_rows(paths: Paths) -> None:
    assert not Store.exists(paths)
    store = Store.create(paths, "pw-for-tests")
    assert Store.exists(paths)
    _plant(store)
    store.close()
    again = Store.open(paths, "pw-for-tests")
    with again.session() as s:
        assert s.scalars(select(Account.name)).one() == NAME
        meta = {k: v for k, v in s.execute(select(AppMeta.key, AppMeta.value))}
    assert meta["format"] == "warden-store"
    again.close()


def test_create_never_overwrites(paths: Paths) -> None:
    Store.create(paths, "pw-for-tests").close()
    before = paths.store_file.read_bytes()
    with pytest.raises(StoreError, match="already exists"):
        Store.create(paths, "another-pw")
    assert paths.store_file.read_bytes() == before


def test_empty_password_is_refused(paths: Paths) -> None:
    with pytest.raises(InvalidInput):
        Store.create(paths, "")
    assert not Store.exists(paths)


def test_wrong_password_is_clear_and_changes_nothing(paths: Paths) -> None:
    store = Store.create(paths, "pw-for-tests")
    _plant(store)
    store.close()
    before = _files(paths)
    with pytest.raises(WrongPassword) as caught:
        Store.open(paths, "not-the-password")
    assert "Nothing was changed" in caught.value.user_message()
    assert _files(paths) == before


def test_without_keyring_or_password_the_store_is_locked(paths: Paths) -> None:
    Store.create(paths, "pw-for-tests").close()
    with pytest.raises(StoreLocked):
        Store.open(paths)


def test_missing_store_says_how_to_make_one(paths: Paths) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(paths, "pw")
    assert "warden init" in caught.value.user_message()


def test_change_password(paths: Paths) -> None:
    store = Store.create(paths, "old-password")
    _plant(store)
    db_before = paths.store_file.read_bytes()
    with pytest.raises(WrongPassword):
        store.change_password("not-old", "new-password")
    store.change_password("old-password", "new-password")
    assert store.verify_password("new-password") and not store.verify_password("old-password")
    store.close()
    with pytest.raises(WrongPassword):
        Store.open(paths, "old-password")
    reopened = Store.open(paths, "new-password")
    with reopened.session() as s:
        assert s.scalars(select(Account.name)).one() == NAME
    reopened.close()
    assert paths.store_file.read_bytes()[:16] == db_before[:16]  # same database, same salt


def test_lock_and_unlock(paths: Paths) -> None:
    store = Store.create(paths, "pw-for-tests")
    _plant(store)
    store.lock()
    assert store.locked
    with pytest.raises(StoreLocked):
        with store.session():
            pass
    with pytest.raises(WrongPassword):
        store.unlock("wrong")
    assert store.locked
    store.unlock("pw-for-tests")
    with store.session() as s:
        assert s.scalars(select(Account.name)).one() == NAME
    store.close()


def test_session_rolls_back_on_error(paths: Paths) -> None:
    store = Store.create(paths, "pw-for-tests")
    with pytest.raises(RuntimeError):
        with store.session() as s:
            s.add(Contact(address="0x" + "11" * 20, name="gone"))
            s.flush()
            raise RuntimeError("boom")
    with store.session() as s:
        assert s.scalars(select(Contact)).all() == []
    store.close()


def test_throwaway(tmp_path: Path) -> None:
    store = open_throwaway(tmp_path / "demo")
    assert isinstance(store, Store)
    _plant(store)
    assert not store.verify_password("anything")
    assert not (tmp_path / "demo" / "warden.key").exists()
    _assert_no_plaintext({"db": (tmp_path / "demo" / "warden.db").read_bytes()})
    store.close()

    guarded = Store.throwaway(tmp_path / "guarded", password="demo-pass")
    assert guarded.verify_password("demo-pass") and not guarded.verify_password("nope")
    guarded.lock()
    guarded.unlock("demo-pass")
    guarded.close()


def test_damaged_key_file_is_reported_not_taken_for_a_wrong_password(paths: Paths) -> None:
    Store.create(paths, "pw-for-tests").close()
    paths.key_file.write_bytes(paths.key_file.read_bytes()[:40])
    with pytest.raises(StoreCorrupted) as caught:
        Store.open(paths, "pw-for-tests")
    assert "key file" in str(caught.value) and "backup" in caught.value.user_message()
