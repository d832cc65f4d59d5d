"""The store's password, backups and restore, on the store worker."""

from __future__ import annotations

from pathlib import Path

from app.errors import InvalidInput, WardenError
from ui.ops.core import Op
from ui.services import AppServices, not_available


def change_password(sv: AppServices, old: str, new: str) -> Op[None]:
    def work() -> None:
        change = getattr(sv.store, "change_password", None)
        if change is None:
            raise not_available("Changing the password")
        change(old, new)

    return Op(work, lane="store")


def backup(sv: AppServices, dest: Path | str, password: str) -> Op[None]:
    def work() -> None:
        write = getattr(sv.store, "backup", None)
        if write is None:
            raise not_available("Backup")
        write(dest, password)

    return Op(work, lane="store")


def restore_unavailable() -> WardenError:
    """Only the user's own wallet can be restored over; the demo's is rebuilt at each start."""
    return WardenError(
        "Restoring a backup is not possible in the demo: its wallet is rebuilt each time.",
        hint="Start Warden on your own wallet (without --demo) and restore there, or run "
        "'warden backup restore FILE'.",
    )


def restore(sv: AppServices, backup_file: Path, password: str) -> Op[None]:
    """Replace the store with ``backup_file``; every failure is a ``WardenError`` that says
    what happened and what to do, never a bare OS error."""

    def work() -> None:
        if sv.restore is None:
            raise restore_unavailable()
        try:
            sv.restore(backup_file, password)
        except WardenError:
            raise
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            raise InvalidInput(
                f"The backup could not be restored: a file could not be read or written ({why}).",
                hint="Check that the backup file can be read and that Warden's data folder has "
                "free space, then try again.",
            ) from None

    return Op(work, lane="store")
