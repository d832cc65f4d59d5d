"""One writer per data folder: an OS file lock (``filelock``) that the app, the daemon and
every command that changes the store hold while they work.

The lock is per process and re-entrant: the app holds it for its whole life, and a restore or
a first-run creation inside the app takes it again without waiting on itself. Another process
waits ``WAIT_S`` seconds, then gets ``AlreadyRunning`` with the holder's pid. The kernel drops
the lock when its holder dies, so a crash never leaves a stale lock; the pid file beside it is
only a note for the message, rewritten by each holder.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from app.errors import AlreadyRunning
from app.fileio import private_dir, write_atomic

log = logging.getLogger(__name__)

LOCK_NAME = "warden.lock"
PID_NAME = "warden.pid"
# Long enough for another command's short write to finish, short enough to answer a person.
WAIT_S = 5.0


def _file_lock(data_dir: Path) -> FileLock:
    # One instance per path in this process (is_singleton), shared by all its threads
    # (thread_local=False): a worker thread of the app re-enters the app's own hold.
    return FileLock(data_dir / LOCK_NAME, mode=0o600, thread_local=False, is_singleton=True)


def holder_pid(data_dir: Path) -> int | None:
    """The pid the current holder wrote down, if it did (None while it is starting)."""
    try:
        text = (Path(data_dir) / PID_NAME).read_text("ascii").strip()
        return int(text) if text.isdigit() else None
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def running_message(data_dir: Path) -> AlreadyRunning:
    pid = holder_pid(data_dir)
    who = f"pid {pid}" if pid is not None else "another process"
    return AlreadyRunning(
        f"Warden is already running ({who}) on this data folder; close it first.", pid=pid
    )


class WriterLock:
    """One hold of the data folder's writer lock. ``acquire`` waits at most ``wait`` seconds;
    ``release`` is idempotent. Use it as a context manager, or keep it as long as you write."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._lock: FileLock | None = None  # a hold keeps its instance alive: filelock
        # releases an instance's holds when it is garbage-collected

    @property
    def held(self) -> bool:
        return self._lock is not None

    def acquire(self, wait: float = WAIT_S) -> WriterLock:
        if self._lock is not None:
            return self
        private_dir(self.data_dir)
        lock = _file_lock(self.data_dir)
        try:
            lock.acquire(timeout=max(0.0, wait))
        except Timeout:
            raise running_message(self.data_dir) from None
        self._lock = lock
        if lock.lock_counter == 1:  # the first hold in this process: say who holds it
            try:
                write_atomic(self.data_dir / PID_NAME, f"{os.getpid()}\n".encode("ascii"))
            except OSError as exc:  # the note is a courtesy; the lock itself holds
                log.warning("could not write the lock's pid file: %s", type(exc).__name__)
        return self

    def release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is None:
            return
        if lock.lock_counter == 1:
            (self.data_dir / PID_NAME).unlink(missing_ok=True)
        lock.release()

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(
        self,
        _kind: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.release()


def held_here(data_dir: Path) -> bool:
    """True when this process holds the data folder's writer lock."""
    return _file_lock(Path(data_dir)).is_locked
