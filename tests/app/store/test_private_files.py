"""Everything Warden writes about the user is owner-only: files 0600, folders 0700, whatever
the umask, and files an older version left readable are closed up when the store opens
(issue 11, item 5: warden.db and the .replaced-* copies were created 0644)."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Paths
from app.logs import setup_logging
from app.store import Store
from app.store.schema import Contact

PASSWORD = "pw-for-modes"  # noqa: S105


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The common default umask, under which a plain open() makes 0644 files."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for p in root.rglob("*"):
        found[str(p.relative_to(root))] = stat.S_IMODE(p.lstat().st_mode)
    return found


def _assert_private(root: Path) -> None:
    for name, mode in _modes(root).items():
        path = root / name
        wanted = 0o700 if path.is_dir() else 0o600
        assert mode == wanted, f"{path} is {oct(mode)}, not {oct(wanted)}"


def test_store_backup_restore_and_logs_are_owner_only(
    paths: Paths, tmp_path: Path, open_umask: None
) -> None:
    store = Store.create(paths, PASSWORD)
    with store.session() as s:
        s.add(Contact(address="0x" + "ab" * 20, name="Carol"))
    _assert_private(paths.data_dir)  # open: warden.db, -wal, -shm, key, lock
    assert (paths.data_dir / "warden.db-wal").exists()
    backup_dir = tmp_path / "new-backups"
    store.backup(backup_dir / "a.wbak", "backup-pw")
    store.close()
    _assert_private(backup_dir)

    restored = Store.restore(paths, backup_dir / "a.wbak", "backup-pw")
    restored.close()
    assert list(paths.data_dir.glob("warden.db.replaced-*"))
    _assert_private(paths.data_dir)  # the restored store and the .replaced-* copies

    root = logging.getLogger()
    before = list(root.handlers)
    try:
        log_file = setup_logging(log_dir=paths.log_dir)
        logging.getLogger("test").warning("a line")
    finally:
        for h in list(root.handlers):
            if h not in before:
                root.removeHandler(h)
                h.close()
    assert log_file.exists()
    _assert_private(paths.log_dir)


def test_files_an_older_version_left_open_are_closed_up(paths: Paths, open_umask: None) -> None:
    Store.create(paths, PASSWORD).close()
    paths.data_dir.chmod(0o755)
    for p in paths.data_dir.iterdir():
        p.chmod(0o644)
    assert _modes(paths.data_dir)["warden.db"] == 0o644  # the check below can fail
    Store.open(paths, PASSWORD).close()
    modes = _modes(paths.data_dir)
    assert modes["."] == 0o700 and modes["warden.db"] == 0o600
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    paths.log_dir.chmod(0o755)
    (paths.log_dir / "warden.log.1").write_text("old\n")
    (paths.log_dir / "warden.log.1").chmod(0o644)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        setup_logging(log_dir=paths.log_dir)
    finally:
        for h in list(root.handlers):
            if h not in before:
                root.removeHandler(h)
                h.close()
    _assert_private(paths.log_dir)
