"""``Store``: the encrypted database with its key management, lock, password and backups.

Opening order: the key comes from the OS keyring or from the key file unwrapped by the password;
the database is keyed with it, every page is checked (HMAC and b-tree), and the schema is
brought to the newest revision (an older file is first copied aside, never rewritten blind).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.config import Paths
from app.errors import InvalidInput, StoreCorrupted, StoreError, StoreLocked, WrongPassword
from app.fileio import private_dir, private_file, write_atomic
from app.store import keys, migrate
from app.store.aside import set_aside, timestamp
from app.store.backup import restore_backup, write_backup
from app.store.db import Database
from app.store.scratch import clean_leftovers, scratch
from app.store.writer_lock import WriterLock

log = logging.getLogger(__name__)


def _check_new_password(password: str) -> None:
    if not password:
        raise InvalidInput("The password must not be empty.", hint="Choose a password.")


class Store:
    """An open (or locked) encrypted store. Build it with ``create``, ``open`` or ``throwaway``."""

    def __init__(
        self,
        paths: Paths,
        key: bytes,
        *,
        db_file: Path | None = None,
        persistent: bool = True,
        keyring_used: bool = False,
        verify: bool = True,
    ) -> None:
        self.paths = paths
        self.db_file = Path(db_file or paths.store_file)
        self.persistent = persistent
        self.keyring_used = keyring_used
        self._key: bytes | None = key
        self._memory_wrapped: bytes | None = None  # throwaway stores: key wrapped in memory
        self._writer: WriterLock | None = None  # released by close()
        self._db: Database | None = Database(self.db_file, key, verify=verify)
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    # ---- construction -------------------------------------------------------------------

    @staticmethod
    def exists(paths: Paths) -> bool:
        return paths.store_file.exists()

    @classmethod
    def create(cls, paths: Paths, password: str, *, use_keyring: bool = True) -> Store:
        """A new store: random key, key file wrapped by ``password``, keyring entry if a
        secure keyring works (else a ``KeyringUnavailable`` warning and the password alone).

        Done under the data folder's writer lock (re-entered if the caller holds it): of two
        creations at once, one waits and then finds the store the other made."""
        _check_new_password(password)
        paths.ensure()
        private_dir(paths.data_dir)
        with WriterLock(paths.data_dir):
            if cls.exists(paths):
                raise StoreError(
                    f"A Warden store already exists at {paths.store_file}.",
                    hint="Open it with your password, or move it away first; Warden never "
                    "overwrites a store.",
                )
            clean_leftovers(paths.data_dir)
            set_aside(paths.key_file, "orphan")  # a key file without its database is kept
            key = keys.new_key()
            # Build the database in a work folder, so a crash never leaves half a store at
            # its final name.
            with scratch(paths.data_dir, "create") as run:
                staging = run.path / paths.store_file.name
                staged = cls(paths, key, db_file=staging, verify=False)
                staged.close()
                keys.write_key_file(paths.key_file, key, password)
                os.replace(staging, paths.store_file)
            keyring_used = keys.keyring_store(paths.store_file, key) if use_keyring else False
            return cls(paths, key, keyring_used=keyring_used, verify=False)

    @classmethod
    def open(cls, paths: Paths, password: str | None = None) -> Store:
        """Open with the keyring (``password`` None) or with the password."""
        cls._check_file(paths)
        if password is None:
            key = keys.keyring_load(paths.store_file)
            if key is None or not cls._matches_key_file(paths, key):
                raise StoreLocked("The store is locked and the keyring holds no key for it.")
            return cls._open_keyed(paths, key, keyring_used=True)
        key = keys.unwrap_key(keys.read_key_file(paths.key_file), password)
        return cls._open_keyed(paths, key)

    @classmethod
    def open_with_key(cls, paths: Paths, key: bytes) -> Store:
        """Open with the raw database key (benchmarks, tests of stored files, restore)."""
        cls._check_file(paths)
        return cls._open_keyed(paths, key)

    @classmethod
    def throwaway(cls, directory: Path, *, password: str | None = None) -> Store:
        """A fresh store whose random key lives only in memory: no keyring, no key file.
        With ``password``, ``verify_password`` and ``lock``/``unlock`` work as usual."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        paths = Paths(directory, directory, directory, directory)
        if paths.store_file.exists():
            raise StoreError(
                f"{paths.store_file} already exists; a throwaway store needs a new one."
            )
        store = cls(paths, keys.new_key(), persistent=False, verify=False)
        if password:
            store._memory_wrapped = keys.wrap_key(store._require_key(), password)
        return store

    @staticmethod
    def _check_file(paths: Paths) -> None:
        path = paths.store_file
        if not path.exists():
            raise StoreError(
                f"No Warden store at {path}.",
                hint="Create one with 'warden init', or restore one with "
                "'warden backup restore FILE'.",
            )
        if path.stat().st_size == 0:
            raise StoreCorrupted(f"The store file {path} is empty.")

    @staticmethod
    def _matches_key_file(paths: Paths, key: bytes) -> bool:
        """A keyring entry left by an older store at the same path must not be used."""
        if not paths.key_file.exists():
            return True
        return keys.parse_key_file(paths.key_file.read_bytes()).key_id == keys.key_id(key)

    @classmethod
    def _open_keyed(cls, paths: Paths, key: bytes, *, keyring_used: bool = False) -> Store:
        private_dir(paths.data_dir)
        clean_leftovers(paths.data_dir)  # work folders of a backup or restore that was killed
        try:
            return cls(paths, key, keyring_used=keyring_used)
        except WrongPassword:
            # The key itself was verified (key file or key id), so the file is what is wrong.
            raise StoreCorrupted(
                f"The store file {paths.store_file} is damaged: its pages do not decrypt."
            ) from None

    def _migrate(self) -> None:
        engine = self.engine
        with engine.connect() as conn:
            tables = conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
        current = migrate.current_revision(engine)
        head = migrate.head_revision()
        if current == head:
            return
        if current is None and tables:
            raise StoreCorrupted(f"{self.db_file} is not a Warden store (no schema version).")
        if current is not None and not migrate.is_known(current):
            raise StoreError(
                f"The store was written by a newer Warden (schema {current}).",
                hint="Update Warden to open it.",
            )
        if current is not None and self.persistent:
            self._copy_before_upgrade(current)
        migrate.upgrade(engine)
        log.info("store schema upgraded from %s to %s", current, head)

    def _copy_before_upgrade(self, revision: str) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        copy = self.db_file.with_name(f"{self.db_file.name}.schema-{revision}-{timestamp()}")
        shutil.copy2(self.db_file, copy)
        private_file(copy)

    # ---- use ----------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self._db is None

    @property
    def engine(self) -> Engine:
        return self._require_db().engine

    def _require_db(self) -> Database:
        if self._db is None:
            raise StoreLocked("The store is locked.")
        return self._db

    def _require_key(self) -> bytes:
        if self._key is None:
            raise StoreLocked("The store is locked.")
        return self._key

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error."""
        from app.store import changes  # announces what this unit of work commits

        with self._require_db().session() as s:
            changes.track(s, self)
            yield s

    def keep_writer_lock(self, lock: WriterLock) -> None:
        """Hold ``lock`` (the data folder's writer lock) until ``close``."""
        if self._writer is not None and self._writer is not lock:
            self._writer.release()
        self._writer = lock

    def close(self) -> None:
        """Close every connection (the WAL is folded into the file), forget the key, and let
        go of the writer lock if this store holds it."""
        self._close_db()
        if self._writer is not None:
            self._writer.release()
            self._writer = None

    def _close_db(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db = None
        self._key = None

    def lock(self) -> None:
        """Closes the database and forgets the key (the writer lock stays held); ``unlock``
        opens again with the keyring or the password."""
        if self._db is None:
            return
        if not self.persistent and self._memory_wrapped is None:
            raise StoreError("A throwaway store without a password cannot be locked.")
        self._close_db()

    def unlock(self, password: str | None = None) -> None:
        if self._db is not None:
            return
        if not self.persistent:
            if self._memory_wrapped is None or password is None:
                raise StoreLocked("This store opens only with its password.")
            key = keys.unwrap_key(self._memory_wrapped, password)
        elif password is None:
            key = Store.open(self.paths)._detach_key()
        else:
            key = keys.unwrap_key(keys.read_key_file(self.paths.key_file), password)
        self._db = Database(self.db_file, key, verify=False)
        self._key = key

    def _detach_key(self) -> bytes:
        key = self._require_key()
        self.close()
        return key

    # ---- keyring ------------------------------------------------------------------------

    def remember_key(self) -> bool:
        """Put the key in the OS keyring (False, with a warning, if none is usable)."""
        if not self.persistent:
            raise StoreError("A throwaway store is never put in the keyring.")
        self.keyring_used = keys.keyring_store(self.paths.store_file, self._require_key())
        return self.keyring_used

    @staticmethod
    def forget_key(paths: Paths) -> None:
        """Remove the key from the OS keyring: from then on the store needs the password."""
        keys.keyring_delete(paths.store_file)

    # ---- password -----------------------------------------------------------------------

    def _wrapped_key(self) -> bytes | None:
        if not self.persistent:
            return self._memory_wrapped
        try:
            return self.paths.key_file.read_bytes()
        except FileNotFoundError:
            return None

    def verify_password(self, password: str) -> bool:
        """True if ``password`` unlocks this store (asked before revealing a phrase)."""
        wrapped = self._wrapped_key()
        if wrapped is None or not password:
            return False
        try:
            key = keys.unwrap_key(wrapped, password)
        except WrongPassword:
            return False
        return key == self._require_key()

    def change_password(self, old: str, new: str) -> None:
        """Rewrap the same key under ``new``; the database and the keyring are untouched."""
        _check_new_password(new)
        wrapped = self._wrapped_key()
        if wrapped is None:
            raise StoreError("This store has no password to change.")
        key = keys.unwrap_key(wrapped, old)
        if key != self._require_key():
            raise StoreCorrupted("The key file belongs to another store.")
        if self.persistent:
            write_atomic(self.paths.key_file, keys.wrap_key(key, new))
        else:
            self._memory_wrapped = keys.wrap_key(key, new)
        log.info("store password changed")

    # ---- backup -------------------------------------------------------------------------

    def backup(self, dest: Path, password: str) -> None:
        """One encrypted file holding the whole store, its key wrapped by ``password``."""
        _check_new_password(password)
        write_backup(
            self.engine, self._require_key(), Path(dest), password, work_dir=self.paths.data_dir
        )

    @classmethod
    def restore(
        cls, paths: Paths, backup_file: Path, password: str, *, use_keyring: bool = True
    ) -> Store:
        """Replace the store with a backup, after checking the backup fully. The old store
        (damaged or not) is kept beside it with a timestamp; the restored store then opens
        with the backup's password.

        It holds the data folder's writer lock: while the app or the daemon of another
        process has the store open, it refuses with ``AlreadyRunning`` and changes nothing."""
        with WriterLock(paths.data_dir):
            key = restore_backup(paths, Path(backup_file), password)
            keyring_used = keys.keyring_store(paths.store_file, key) if use_keyring else False
            return cls._open_keyed(paths, key, keyring_used=keyring_used)
