"""``warden backup``, ``warden passwd`` and ``warden lock`` run as the user runs them: in a
process of their own, with WARDEN_HOME pointing at a test folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import Paths
from app.errors import WrongPassword
from app.store import Store
from app.store.schema import Contact
from tests.support.terminal import run_at_terminal

ROOT = Path(__file__).resolve().parents[3]
# A script names the variable that holds a backup's password (never WARDEN_PASSWORD by itself).
BACKUP_ENV = ("--password-env", "BACKUP_PW")
BACKUP = {"BACKUP_PW": "backup-pw-1"}


def _warden(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    full_env.update(WARDEN_HOME=str(home), PYTHONPATH=str(ROOT), **env)
    done = subprocess.run(
        [sys.executable, "-m", "warden", *args],
        env=full_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _contacts(paths: Paths, password: str) -> list[str]:
    store = Store.open(paths, password)
    with store.session() as s:
        names = list(s.scalars(select(Contact.name)))
    store.close()
    return names


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def user_paths(home: Path) -> Paths:
    paths = Paths(home / "data", home / "config", home / "cache", home / "logs")
    store = Store.create(paths, "pw-for-tests")
    with store.session() as s:
        s.add(Contact(address="0x" + "ab" * 20, name="Carol"))
    store.close()
    return paths


def test_backup_passwd_restore_from_the_command_line(
    home: Path, user_paths: Paths, tmp_path: Path
) -> None:
    backup = tmp_path / "warden.backup"
    done = _warden(
        home, "backup", "create", str(backup), *BACKUP_ENV, WARDEN_PASSWORD="pw-for-tests", **BACKUP
    )
    assert done.returncode == 0, done.stderr
    assert backup.exists() and "Backup written" in done.stdout

    again = _warden(
        home, "backup", "create", str(backup), *BACKUP_ENV, WARDEN_PASSWORD="pw-for-tests", **BACKUP
    )
    assert again.returncode == 2 and "already exists" in again.stderr

    wrong = _warden(home, "passwd", WARDEN_PASSWORD="not-it", WARDEN_NEW_PASSWORD="x" * 12)
    assert wrong.returncode == 2 and "Wrong password" in wrong.stderr
    done = _warden(home, "passwd", WARDEN_PASSWORD="pw-for-tests", WARDEN_NEW_PASSWORD="new-pw-123")
    assert done.returncode == 0, done.stderr
    assert _contacts(user_paths, "new-pw-123") == ["Carol"]
    with pytest.raises(WrongPassword):
        _contacts(user_paths, "pw-for-tests")

    # Damage the store: opening says so and points at the restore command.
    data = bytearray(user_paths.store_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    user_paths.store_file.write_bytes(bytes(data))
    broken = _warden(home, "backup", "create", str(tmp_path / "b2"), WARDEN_PASSWORD="new-pw-123")
    assert broken.returncode == 2 and "warden backup restore" in broken.stderr

    unconfirmed = _warden(home, "backup", "restore", str(backup), WARDEN_PASSWORD="pw-for-tests")
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    done = _warden(home, "backup", "restore", str(backup), "--yes", *BACKUP_ENV, **BACKUP)
    assert done.returncode == 0, done.stderr
    assert _contacts(user_paths, "backup-pw-1") == ["Carol"]
    assert list(user_paths.data_dir.glob("warden.db.replaced-*"))


def test_the_store_password_never_silently_protects_a_backup(
    home: Path, user_paths: Paths, tmp_path: Path
) -> None:
    backup = tmp_path / "b.wbak"
    done = _warden(home, "backup", "create", str(backup), WARDEN_PASSWORD="pw-for-tests")
    assert done.returncode == 2 and "--password-env" in done.stderr
    assert "store's password" in done.stderr and not backup.exists()
    empty = _warden(
        home, "backup", "create", str(backup), *BACKUP_ENV, WARDEN_PASSWORD="pw-for-tests"
    )
    assert empty.returncode == 2 and "BACKUP_PW, which is not set" in empty.stderr
    assert not backup.exists()
    short = _warden(
        home,
        "backup",
        "create",
        str(backup),
        *BACKUP_ENV,
        BACKUP_PW="short",
        WARDEN_PASSWORD="pw-for-tests",
    )
    assert short.returncode == 2 and "too short" in short.stderr and not backup.exists()


def test_at_a_terminal_the_backup_password_is_typed_even_with_warden_password_set(
    home: Path, user_paths: Paths, tmp_path: Path
) -> None:
    """A real pseudo-terminal (tests/support/terminal.py) answers the prompts."""
    backup = tmp_path / "typed.wbak"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env.update(WARDEN_HOME=str(home), PYTHONPATH=str(ROOT), WARDEN_PASSWORD="pw-for-tests")
    code, shown = run_at_terminal(
        [sys.executable, "-m", "warden", "backup", "create", str(backup)],
        [("Password for the backup: ", "typed-backup-pw"), ("Repeat it: ", "typed-backup-pw")],
        env=env,
        cwd=ROOT,
    )
    assert code == 0, shown
    assert "not used for the backup" in shown and "typed-backup-pw" not in shown  # no echo
    other = Paths(*(tmp_path / "other" / d for d in ("data", "config", "cache", "logs")))
    with pytest.raises(WrongPassword):
        Store.restore(other, backup, "pw-for-tests", use_keyring=False)
    Store.restore(other, backup, "typed-backup-pw", use_keyring=False).close()
    assert _contacts(other, "typed-backup-pw") == ["Carol"]


def test_short_new_password_is_refused(home: Path, user_paths: Paths) -> None:
    done = _warden(home, "passwd", WARDEN_PASSWORD="pw-for-tests", WARDEN_NEW_PASSWORD="short")
    assert done.returncode == 2 and "too short" in done.stderr
    assert _contacts(user_paths, "pw-for-tests") == ["Carol"]


def test_no_password_and_no_terminal_gives_a_hint(home: Path, user_paths: Paths) -> None:
    done = _warden(home, "passwd")
    assert done.returncode == 2 and "WARDEN_PASSWORD" in done.stderr


def test_lock_removes_nothing_but_the_keyring_entry(home: Path, user_paths: Paths) -> None:
    before = user_paths.store_file.read_bytes()
    done = _warden(home, "lock")
    assert done.returncode == 0 and "Locked" in done.stdout
    assert user_paths.store_file.read_bytes() == before
