from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import Paths
from app.errors import InvalidInput, StoreCorrupted, WrongPassword
from app.store import Store
from app.store.schema import Contact

NAME = "Quentin Backupworth"


def _store_with_rows(paths: Paths, n: int = 300) -> Store:
    store = Store.create(paths, "pw-for-tests")
    with store.session() as s:
        s.add_all(
            Contact(address=f"0x{i:040x}", name=f"{NAME} {i}", note="n" * 200) for i in range(n)
        )
    return store


def _names(store: Store) -> list[str]:
    with store.session() as s:
        return list(s.scalars(select(Contact.name).order_by(Contact.id)))


def _flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_backup_is_encrypted_and_restores(paths: Paths, tmp_path: Path) -> None:
    store = _store_with_rows(paths)
    expected = _names(store)
    store.backup(tmp_path / "b.wbk", "backup-pass")
    data = (tmp_path / "b.wbk").read_bytes()
    assert NAME.encode() not in data and b"SQLite format 3" not in data
    with store.session() as s:  # a change after the backup is undone by the restore
        s.add(Contact(address="0x" + "99" * 20, name="after backup"))
    store.close()

    restored = Store.restore(paths, tmp_path / "b.wbk", "backup-pass")
    assert _names(restored) == expected
    assert restored.verify_password("backup-pass")
    restored.close()
    kept = sorted(p.name for p in paths.data_dir.glob("*.replaced-*"))
    assert [k.split(".replaced-")[0] for k in kept] == ["warden.db", "warden.key"]
    Store.open(paths, "backup-pass").close()  # the restored store opens with the backup's pw


@pytest.mark.parametrize("damage", ["flip", "truncate_page", "truncate_mid"])
def test_corrupted_or_truncated_store_is_detected_and_backup_restores(
    paths: Paths, tmp_path: Path, damage: str
) -> None:
    store = _store_with_rows(paths)
    expected = _names(store)
    store.backup(tmp_path / "b.wbk", "backup-pass")
    store.close()
    size = paths.store_file.stat().st_size
    assert size >= 8 * 4096
    if damage == "flip":
        _flip_byte(paths.store_file, size // 2)
    else:
        cut = (size // 4096 // 2) * 4096 + (0 if damage == "truncate_page" else 1000)
        with paths.store_file.open("r+b") as fh:
            fh.truncate(cut)
    damaged = paths.store_file.read_bytes()

    with pytest.raises(StoreCorrupted) as caught:
        Store.open(paths, "pw-for-tests")
    assert "damaged" in str(caught.value)
    assert "warden backup restore" in caught.value.user_message()
    assert paths.store_file.read_bytes() == damaged  # detection changes nothing

    restored = Store.restore(paths, tmp_path / "b.wbk", "backup-pass")
    assert _names(restored) == expected
    restored.close()
    kept = list(paths.data_dir.glob("warden.db.replaced-*"))
    assert [k.read_bytes() for k in kept if not k.name.endswith(("-wal", "-shm"))] == [damaged]


def test_empty_store_file_is_corruption(paths: Paths) -> None:
    Store.create(paths, "pw-for-tests").close()
    paths.store_file.write_bytes(b"")
    with pytest.raises(StoreCorrupted, match="empty"):
        Store.open(paths, "pw-for-tests")


def test_restore_refuses_bad_backups_and_changes_nothing(paths: Paths, tmp_path: Path) -> None:
    store = _store_with_rows(paths, 20)
    backup = tmp_path / "b.wbk"
    store.backup(backup, "backup-pass")
    store.close()
    before = {p.name: p.read_bytes() for p in paths.data_dir.iterdir()}

    with pytest.raises(WrongPassword):
        Store.restore(paths, backup, "wrong-pass")
    truncated = tmp_path / "t.wbk"
    truncated.write_bytes(backup.read_bytes()[:-5000])
    with pytest.raises(StoreCorrupted, match="damaged or truncated"):
        Store.restore(paths, truncated, "backup-pass")
    flipped = tmp_path / "f.wbk"
    flipped.write_bytes(backup.read_bytes())
    _flip_byte(flipped, flipped.stat().st_size - 100)
    with pytest.raises(StoreCorrupted):
        Store.restore(paths, flipped, "backup-pass")
    other = tmp_path / "not-a-backup.txt"
    other.write_text("hello")
    with pytest.raises(InvalidInput, match="not a Warden backup"):
        Store.restore(paths, other, "backup-pass")
    with pytest.raises(InvalidInput, match="No backup file"):
        Store.restore(paths, tmp_path / "missing.wbk", "backup-pass")

    assert {p.name: p.read_bytes() for p in paths.data_dir.iterdir()} == before


def test_restore_into_an_empty_home(paths: Paths, tmp_path: Path) -> None:
    store = Store.throwaway(tmp_path / "demo")
    with store.session() as s:
        s.add(Contact(address="0x" + "42" * 20, name=NAME))
    store.backup(tmp_path / "b.wbk", "backup-pass")
    store.close()
    restored = Store.restore(paths, tmp_path / "b.wbk", "backup-pass")
    assert _names(restored) == [NAME]
    restored.close()
