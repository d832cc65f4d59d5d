"""Owner-only files and folders, and atomic writes (temp file, fsync, rename), as Electrum's
storage does. Everything Warden writes about the user goes through here: 0600 files, 0700
folders, whatever the umask."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed; the folder itself ends up 0700, also when
    an older version or the umask made it readable by others."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    _restrict(path, DIR_MODE)
    return path


def private_file(path: Path) -> None:
    """Make an existing file owner-only (0600); a missing one is left missing."""
    _restrict(Path(path), FILE_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty owner-only file if none is there (a database SQLite opens next: its
    -wal and -shm files copy this file's mode)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    private_file(path)


def _restrict(path: Path, mode: int) -> None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    if stat.S_IMODE(st.st_mode) & ~mode and (not hasattr(os, "getuid") or st.st_uid == os.getuid()):
        path.chmod(mode)


def fsync_dir(path: Path) -> None:
    if os.name == "nt":  # folders cannot be opened for fsync there; NTFS journals the rename
        return
    dir_fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_atomic(
    path: Path,
    data: bytes,
    *,
    mode: int = FILE_MODE,
    on_temp: Callable[[Path], None] | None = None,
) -> None:
    """Write ``data`` to ``path`` all or nothing. ``on_temp`` learns the hidden temporary
    file's name before anything is written, so a caller can clean it up after a kill."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        if on_temp is not None:
            on_temp(Path(tmp))
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
