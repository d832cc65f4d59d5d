"""The encrypted store: one SQLCipher database for every piece of personal data."""

from __future__ import annotations

import os
from pathlib import Path

from app.store.db import Database
from app.store.schema import Base


def open_throwaway(directory: Path) -> Database:
    """A fresh encrypted database with a random key held only in memory (demo, tests)."""
    db = Database(Path(directory) / "warden.db", os.urandom(32))
    Base.metadata.create_all(db.engine)
    return db


__all__ = ["Database", "open_throwaway"]
