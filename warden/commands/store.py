"""Store commands: backup create/restore, passwd, lock, unlock.

For scripts, ``WARDEN_PASSWORD`` stands for the store's password asked at the terminal, and
``WARDEN_NEW_PASSWORD`` for the new one in ``warden passwd``. A backup's password is never
taken from ``WARDEN_PASSWORD`` on its own: it is typed at the terminal, or read from the
variable a script names with ``--password-env NAME``, so a script cannot protect a backup
with the store's password without saying so.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

NEW_PASSWORD_ENV = "WARDEN_NEW_PASSWORD"  # noqa: S105 (the variable's name, not a password)


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help="encrypted backup of the whole store, and restore")
    bsub = p.add_subparsers(dest="backup_cmd", metavar="ACTION", required=True)
    b = bsub.add_parser("create", help="write an encrypted backup file (asks a backup password)")
    b.add_argument("file", metavar="FILE", type=Path)
    _password_env_arg(b)
    b.set_defaults(func=cmd_backup_create)
    b = bsub.add_parser("restore", help="replace the store with a backup (the old one is kept)")
    b.add_argument("file", metavar="FILE", type=Path)
    b.add_argument("--yes", action="store_true", help="do not ask before replacing the store")
    _password_env_arg(b)
    b.set_defaults(func=cmd_backup_restore)

    p = sub.add_parser("passwd", help="change the store password (the key stays the same)")
    p.set_defaults(func=cmd_passwd)
    p = sub.add_parser(
        "lock", help="remove the key from the OS keyring; commands then ask the password"
    )
    p.set_defaults(func=cmd_lock)
    p = sub.add_parser(
        "unlock", help="keep the key in the OS keyring so commands open without asking"
    )
    p.set_defaults(func=cmd_unlock)


def _password_env_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--password-env",
        metavar="NAME",
        help="for scripts: read the backup's password from the environment variable NAME "
        "(without it the password is typed at the terminal; WARDEN_PASSWORD, the store's "
        "password, is used for a backup only when named here)",
    )


def _backup_password(args: argparse.Namespace, *, new: bool) -> str:
    """The backup's password: from the variable named by ``--password-env``, else typed at
    the terminal (twice for a new one). Never ``WARDEN_PASSWORD`` unless named."""
    from app.errors import InvalidInput
    from warden.context import MIN_PASSWORD_LENGTH, PASSWORD_ENV

    if args.password_env:
        password = os.environ.get(args.password_env, "")
        if not password:
            raise InvalidInput(
                f"--password-env names {args.password_env}, which is not set or empty.",
                hint="Set it to the backup's password, or leave out --password-env to type it.",
            )
    elif sys.stdin is not None and sys.stdin.isatty():
        if os.environ.get(PASSWORD_ENV):
            print(
                f"{PASSWORD_ENV} is the store's password; it is not used for the backup.",
                file=sys.stderr,
            )
        prompt = "Password for the backup: " if new else "Password of the backup: "
        password = getpass.getpass(prompt)
        if new and getpass.getpass("Repeat it: ") != password:
            raise InvalidInput("The two passwords differ.", hint="Nothing was written; try again.")
    else:
        raise InvalidInput(
            "The backup's password is typed at the terminal, and there is none.",
            hint=f"In a script, name the variable that holds it: --password-env NAME. "
            f"{PASSWORD_ENV} (the store's password) is used for a backup only when named.",
        )
    if new and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The backup's password is too short (at least {MIN_PASSWORD_LENGTH} characters).",
            hint="Choose a longer password; a few unrelated words work well.",
        )
    return password


def _confirm(question: str) -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def cmd_backup_create(args: argparse.Namespace) -> int:
    from app.errors import InvalidInput
    from warden.context import open_store

    dest: Path = args.file.expanduser()
    if dest.exists():
        raise InvalidInput(
            f"{dest} already exists.", hint="Choose a new file name; nothing was written."
        )
    store = open_store(write=False)  # a consistent read; the app may keep running
    try:
        password = _backup_password(args, new=True)
        store.backup(dest, password)
    finally:
        store.close()
    print(f"Backup written to {dest}. Keep its password: it is needed to restore.")
    return 0


def cmd_backup_restore(args: argparse.Namespace) -> int:
    from app.config import default_paths
    from app.errors import InvalidInput
    from app.store import Store

    paths = default_paths()
    if Store.exists(paths) and not args.yes:
        if not _confirm(f"Replace the store at {paths.store_file} with {args.file}?"):
            raise InvalidInput(
                "Restore not confirmed; nothing was changed.",
                hint="Answer y at the question, or pass --yes.",
            )
    password = _backup_password(args, new=False)
    store = Store.restore(paths, args.file.expanduser(), password)
    store.close()
    print(f"Restored {paths.store_file} from {args.file}.")
    print("The store now opens with the backup's password.")
    print("Any previous store was kept beside it, named with '.replaced-' and the time.")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    from app.errors import StoreLocked
    from warden.context import PASSWORD_ENV, ask_new_password, ask_password, open_store

    store = open_store()
    try:
        old = ask_password("Current password: ")
        if old is None:
            raise StoreLocked(
                "The current password is needed and there is no terminal to ask for it.",
                hint=f"Run the command in a terminal, or set {PASSWORD_ENV} for a script.",
            )
        new = ask_new_password("New password: ", env_name=NEW_PASSWORD_ENV)
        store.change_password(old, new)
    finally:
        store.close()
    print("Password changed. Backups made earlier keep their own passwords.")
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    from app.config import default_paths
    from app.store import Store

    paths = default_paths()
    Store.forget_key(paths)
    print("Locked: the key is no longer in the keyring; Warden will ask for the password.")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    from app.config import default_paths
    from app.errors import StoreLocked
    from app.store import Store
    from warden.context import PASSWORD_ENV, ask_password

    password = ask_password("Warden password: ")
    if password is None:
        raise StoreLocked(
            "The password is needed and there is no terminal to ask for it.",
            hint=f"Run the command in a terminal, or set {PASSWORD_ENV} for a script.",
        )
    store = Store.open(default_paths(), password)
    try:
        kept = store.remember_key()
    finally:
        store.close()
    if not kept:
        print("No secure keyring is available; Warden will keep asking for the password.")
        return 1
    print("Unlocked: the key is in the OS keyring; commands open without asking.")
    return 0
