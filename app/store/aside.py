"""Keeping an old file beside its replacement (``NAME.WHY-TIMESTAMP``), never deleting it.

Shared by the store (orphaned key files, schema upgrades) and the restore, which is why it
lives here and not in either of them.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from app.fileio import private_file

log = logging.getLogger(__name__)


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def set_aside(path: Path, why: str) -> Path | None:
    """Rename ``path`` (and its -wal/-shm companions) to ``NAME.WHY-TIMESTAMP``; never delete.
    The kept copy is owner-only, whatever mode an older version gave it."""
    if not path.exists():
        return None
    stamp = timestamp()
    target = path.with_name(f"{path.name}.{why}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{why}-{stamp}-{n}")
    os.replace(path, target)
    private_file(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
            private_file(target.with_name(target.name + suffix))
    log.info("kept a %s copy of the %s", why, "key file" if path.suffix == ".key" else "store")
    return target
