"""The store's password, backups and restore, on the store worker."""

from __future__ import annotations

from pathlib import Path

from ui.ops.core import Op
from ui.services import AppServices, not_available, require


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


def restore(sv: AppServices, backup_file: Path, password: str) -> Op[None]:
    return Op(lambda: require(sv.restore, "Restore")(backup_file, password), lane="store")
