"""Open the SQLCipher database with a raw 32-byte key (a passphrase key costs ~300 ms to open)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app.errors import StoreCorrupted, WrongPassword
from app.fileio import create_private_file, private_file

KEY_BYTES = 32


def _raw_key_url(path: Path, key: bytes) -> URL:
    """The dialect sends ``PRAGMA key="<password>"``; ``x'<hex>'`` there is SQLCipher's raw-key
    form, which skips the passphrase KDF. SQLAlchemy masks the password in every repr."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"the database key must be {KEY_BYTES} bytes, got {len(key)}")
    return URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(path))


def raw_key_literal(key: bytes) -> str:
    """The key as SQLCipher's raw-key string, for ``ATTACH ... KEY ?``."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"the database key must be {KEY_BYTES} bytes, got {len(key)}")
    return f"x'{key.hex()}'"


def apply_pragmas(dbapi_conn: Any) -> None:
    """Every connection: WAL with full sync (a committed row survives a kill), foreign keys,
    temporary tables and indices in memory (never a plaintext temp file), and a 16 MiB page
    cache, since every page SQLCipher reads again from disk is decrypted and checked again."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA temp_store = MEMORY")
    cur.execute("PRAGMA cache_size = -16000")
    cur.close()


def make_engine(path: Path, key: bytes, **kwargs: Any) -> Engine:
    """An engine whose every connection is keyed before use, with WAL and full sync.

    The dialect's default SingletonThreadPool keeps at most five per-thread connections and
    closes other threads' connections beyond that, which crashed a process with eight writer
    threads (delegates, scheduler, GUI workers). A QueuePool hands each connection to one
    thread at a time, so sharing them across threads is safe.
    """
    kwargs.setdefault("poolclass", QueuePool)
    if kwargs["poolclass"] is QueuePool:
        kwargs.setdefault("pool_size", 5)
        kwargs.setdefault("max_overflow", 10)
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("check_same_thread", False)
        kwargs["connect_args"] = connect_args
    # An error's text never carries the row it was writing (an address, a hash, an amount),
    # so neither does a log line or a crash report made from it.
    kwargs.setdefault("hide_parameters", True)
    engine = create_engine(_raw_key_url(Path(path), key), **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        # SQLCipher otherwise prints every failed page check to stderr.
        cur.execute("PRAGMA cipher_log_level = NONE")
        cur.close()
        apply_pragmas(dbapi_conn)

    return engine


def _reason(exc: DatabaseError) -> str:
    return str(exc.orig) if exc.orig is not None else str(exc)


def check_key(engine: Engine) -> None:
    """Read the schema once: a wrong key or a damaged file fails here, clearly."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except DatabaseError as exc:
        msg = _reason(exc)
        if "file is not a database" in msg:
            raise WrongPassword(
                "The store could not be decrypted: wrong key or password, or a damaged file."
            ) from None
        raise StoreCorrupted(f"The store file is damaged and could not be read ({msg}).") from None


def check_integrity(engine: Engine) -> None:
    """Every page's HMAC (SQLCipher) and the b-tree structure (SQLite): a flipped byte, a
    truncated file or a torn page raises ``StoreCorrupted``."""
    try:
        with engine.connect() as conn:
            problems = [r[0] for r in conn.execute(text("PRAGMA cipher_integrity_check"))]
            if not problems:
                rows = [r[0] for r in conn.execute(text("PRAGMA quick_check"))]
                problems = [r for r in rows if r != "ok"]
    except DatabaseError as exc:
        problems = [_reason(exc)]
    if problems:
        shown = "; ".join(problems[:3]) + (" …" if len(problems) > 3 else "")
        raise StoreCorrupted(f"The store file is damaged ({shown}).")


class Database:
    """An open, keyed database and its session factory."""

    def __init__(self, path: Path, key: bytes, *, verify: bool = False) -> None:
        self.path = Path(path)
        # Owner-only from the first byte: SQLite gives the -wal and -shm files the mode of
        # the database file, and a file an older version made readable is closed up here.
        create_private_file(self.path)
        for suffix in ("-wal", "-shm"):
            private_file(self.path.with_name(self.path.name + suffix))
        self.engine = make_engine(self.path, key)
        try:
            check_key(self.engine)
            if verify:
                check_integrity(self.engine)
        except BaseException:
            self.engine.dispose()
            raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error."""
        s = self._sessions()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def close(self) -> None:
        self.engine.dispose()
