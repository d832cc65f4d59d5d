"""Hidden work folders for the steps that build a file before swapping it in: a backup's
consistent copy, a restore's staged database, a new store before it gets its name.

Each is ``.warden-PURPOSE-XXXX`` in the data folder (0700), holds a file lock while its run is
alive, and is removed when the run ends, on error as well. A run killed outright (kill -9, a
power cut) leaves it behind with its lock free: ``clean_leftovers``, called whenever a store
opens, removes those, and the half-written file outside the folder that the run named (a
backup's ``.NAME.wbak.XXXX`` beside its destination).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from app.errors import StoreError
from app.fileio import private_dir

log = logging.getLogger(__name__)

PREFIX = ".warden-"
PURPOSES = ("backup", "restore", "create")
_LOCK = ".in-use"
_OUTSIDE = ".outside"  # one path per line: temporary files this run made outside the folder


class Scratch:
    def __init__(self, path: Path) -> None:
        self.path = path

    def note_outside(self, temp: Path) -> None:
        """Remember a hidden temporary file outside the folder, to remove if the run dies."""
        with (self.path / _OUTSIDE).open("a", encoding="utf-8") as fh:
            fh.write(str(Path(temp).resolve()) + "\n")
            fh.flush()


@contextlib.contextmanager
def scratch(data_dir: Path, purpose: str) -> Iterator[Scratch]:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown scratch purpose {purpose!r}")
    private_dir(data_dir)
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{purpose}-", dir=data_dir))
    lock = FileLock(path / _LOCK, mode=0o600)
    try:
        lock.acquire(timeout=0)
        if not path.is_dir():  # another process's clean-up took it in the instant before
            raise Timeout(str(path))
    except (Timeout, OSError):
        raise StoreError(
            "Another Warden process was cleaning up the data folder.", hint="Try again."
        ) from None
    run = Scratch(path)
    try:
        yield run
    finally:
        _remove_outside(path)
        lock.release()
        shutil.rmtree(path, ignore_errors=True)


def _remove_outside(path: Path) -> None:
    try:
        names = (path / _OUTSIDE).read_text("utf-8").splitlines()
    except OSError:
        return
    for name in names:
        temp = Path(name)
        # Only the hidden temporary files write_atomic makes; a damaged note deletes nothing else.
        if temp.name.startswith(".") and temp.is_file():
            temp.unlink(missing_ok=True)


def clean_leftovers(data_dir: Path) -> int:
    """Remove the work folders (and their outside temporary files) of runs that died;
    a live run's folder is locked and stays. Returns how many were removed."""
    removed = 0
    try:
        candidates = [
            p
            for p in Path(data_dir).iterdir()
            if p.is_dir() and any(p.name.startswith(f"{PREFIX}{x}-") for x in PURPOSES)
        ]
    except OSError:
        return 0
    for path in candidates:
        lock = FileLock(path / _LOCK, mode=0o600)
        try:
            lock.acquire(timeout=0)
        except (Timeout, OSError):
            continue  # a live run
        try:
            _remove_outside(path)
        finally:
            lock.release()
            shutil.rmtree(path, ignore_errors=True)
        removed += 1
    if removed:
        log.info("removed %d unfinished work folder(s) of an interrupted run", removed)
    return removed
