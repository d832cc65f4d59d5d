"""How CLI commands get the store: keyring first, then the password from the environment
(for scripts) or from the terminal.

``WARDEN_PASSWORD``: when set, commands use it instead of prompting. It is meant for scripts
and tests; on a shared machine prefer the keyring or the prompt, since other processes of the
same user can read a process's environment.

The writer lock: a command that changes the store (``open_store()``, the default) holds the
data folder's writer lock from before the store opens until it closes, so the app, the daemon,
``init``, ``send``, a history scan and a restore never write at once; another process waits a
few seconds, then gets ``AlreadyRunning`` ("Warden is already running (pid N) …").
Read-only commands pass ``write=False`` and may run beside a writer: SQLite gives them a
consistent snapshot.
"""

from __future__ import annotations

import getpass
import os
import sys

from app.config import Paths, default_paths
from app.errors import InvalidInput, StoreError, StoreLocked
from app.store import Store
from app.store.writer_lock import WriterLock

PASSWORD_ENV = "WARDEN_PASSWORD"  # noqa: S105 (the variable's name, not a password)
MIN_PASSWORD_LENGTH = 8


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def ask_password(prompt: str = "Password: ") -> str | None:
    """The password from ``WARDEN_PASSWORD`` or the terminal; None when neither exists."""
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    if _interactive():
        return getpass.getpass(prompt)
    return None


def ask_new_password(prompt: str = "New password: ", *, env_name: str = PASSWORD_ENV) -> str:
    """A new password: from the environment (``env_name``), or typed twice at the terminal."""
    env = os.environ.get(env_name)
    if env:
        password = env
    elif _interactive():
        password = getpass.getpass(prompt)
        if getpass.getpass("Repeat it: ") != password:
            raise InvalidInput("The two passwords differ.", hint="Nothing was changed; try again.")
    else:
        raise InvalidInput(
            "A password is needed and there is no terminal to ask for it.",
            hint=f"Run the command in a terminal, or set {env_name} for a script.",
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password is too short (at least {MIN_PASSWORD_LENGTH} characters).",
            hint="Choose a longer password; a few unrelated words work well.",
        )
    return password


def hold_writer_lock(paths: Paths | None = None) -> WriterLock:
    """The data folder's writer lock, held until ``release`` (the app holds it for its life)."""
    return WriterLock((paths or default_paths()).data_dir).acquire()


def open_store(
    paths: Paths | None = None, *, password: str | None = None, write: bool = True
) -> Store:
    """The user's store, unlocked by the keyring, else ``WARDEN_PASSWORD``, else a prompt.
    With ``write`` (the default) the store holds the writer lock until it is closed."""
    paths = paths or default_paths()
    if not write:
        return _open(paths, password)
    lock = hold_writer_lock(paths)
    try:
        store = _open(paths, password)
    except BaseException:
        lock.release()
        raise
    store.keep_writer_lock(lock)
    return store


def open_store_if_any(paths: Paths | None = None) -> Store | None:
    """The user's store to read, when there is one and it unlocks (keyring, environment or
    terminal); None when there is no wallet or it stays locked. For commands that work
    without a wallet and use it when there is one (``warden intent``, ``warden ask``)."""
    paths = paths or default_paths()
    if not Store.exists(paths):
        return None
    try:
        return open_store(paths, write=False)
    except StoreLocked:
        return None


def _open(paths: Paths, password: str | None) -> Store:
    if password is not None:
        return Store.open(paths, password)
    try:
        return Store.open(paths)
    except StoreLocked:
        pass
    typed = ask_password("Warden password: ")
    if typed is None:
        raise StoreLocked(
            "The store is locked: no keyring entry and no terminal to ask for the password.",
            hint=f"Run the command in a terminal, or set {PASSWORD_ENV} for a script.",
        )
    return Store.open(paths, typed)


def create_store(
    paths: Paths | None = None, *, password: str | None = None, use_keyring: bool = True
) -> Store:
    """A new store for ``warden init``: the password is asked twice at a terminal. The
    writer lock is held from the check below until the store is closed, so a second
    ``init`` at the same time waits, then finds this store (or gives up with
    ``AlreadyRunning``); it never makes a second wallet."""
    paths = paths or default_paths()
    _refuse_existing(paths)  # say so before asking for a password
    if password is None:
        password = ask_new_password("Choose a password for Warden: ")
    lock = hold_writer_lock(paths)
    try:
        _refuse_existing(paths)  # another init may have finished while we asked
        store = Store.create(paths, password, use_keyring=use_keyring)
    except BaseException:
        lock.release()
        raise
    store.keep_writer_lock(lock)
    return store


def _refuse_existing(paths: Paths) -> None:
    if Store.exists(paths):
        raise StoreError(
            f"A Warden store already exists at {paths.store_file}.",
            hint="Use it as it is, or move it away first; Warden never overwrites a store.",
        )
