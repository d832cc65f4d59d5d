"""Open the SQLCipher database with a raw 32-byte key.

A passphrase key costs ~300 ms a connection; the raw form skips that KDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import StoreCorrupted, WrongPassword

KEY_BYTES = 32


def _raw_key_url(path: Path, key: bytes) -> URL:
    """The dialect sends ``PRAGMA key="<password>"``; ``x'<hex>'`` there is SQLCipher's raw-key
    form, which skips the passphrase KDF. SQLAlchemy masks the password in every repr."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"the database key must be {KEY_BYTES} bytes, got {len(key)}")
    return URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(path))


def make_engine(path: Path, key: bytes, **kwargs: Any) -> Engine:
    """An engine whose every connection is keyed before use, with WAL and full sync."""
    engine = create_engine(_raw_key_url(Path(path), key), **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    return engine


def check_key(engine: Engine) -> None:
    """Read the schema once: a wrong key or a damaged file fails here, clearly."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except DatabaseError as exc:
        msg = str(exc.orig) if exc.orig is not None else str(exc)
        if "file is not a database" in msg:
            raise WrongPassword(
                "The store could not be decrypted: wrong key or password, or a damaged file."
            ) from None
        raise StoreCorrupted(f"The store could not be read: {msg}") from None


class Database:
    """An open, keyed database and its session factory."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = Path(path)
        self.engine = make_engine(self.path, key)
        check_key(self.engine)
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
