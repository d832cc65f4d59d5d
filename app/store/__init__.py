"""The encrypted store: one SQLCipher database for every piece of personal data."""

from __future__ import annotations

from pathlib import Path

from app.store import redaction  # noqa: F401  (registers secrets with the log filter)
from app.store.db import Database
from app.store.store import Store


def open_throwaway(directory: Path) -> Store:
    """A fresh encrypted store with a random key held only in memory (demo, tests)."""
    return Store.throwaway(Path(directory))


__all__ = ["Database", "Store", "open_throwaway"]
