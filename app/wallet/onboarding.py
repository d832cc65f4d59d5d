"""Onboarding, written once: create a wallet (a new recovery phrase, shown once and confirmed),
import one (a phrase or a private key), or watch an address. After Electrum's wizard: the flow
lives here, outside any GUI; ``warden init`` and the first-run dialog only draw it and collect
the answers.

A front end checks each answer as it is given (``check_secret``, ``NewPhrase.confirm``,
``check_password``, ``check_networks``), builds a ``WalletPlan`` (which checks everything again,
so a plan that exists is a valid plan), and hands it to ``create_wallet``. That one call makes
the encrypted store (password, and the OS keyring if chosen), the first account, the network
presets and the enabled networks, in one transaction.

Double submission is refused, never merged: a lock on the data folder serialises creators
(two windows, two ``warden init``), and a home that already has a store is left untouched.
"""

from __future__ import annotations

import secrets
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, get_args

from sqlalchemy.orm import Session

from app import preferences
from app.config import Paths
from app.errors import InvalidInput, StoreError
from app.logs import register_secret
from app.store import Store, keys
from app.store.schema import Preference
from app.store.store import set_aside
from app.store.writer_lock import WriterLock
from app.wallet import accounts, networks
from app.wallet.addresses import validate_address

Mode = Literal["create", "phrase", "key", "watch"]
MODES: Final[tuple[str, ...]] = get_args(Mode)
MIN_PASSWORD: Final = 8
CHECK_WORDS: Final = 3
MAX_NAME: Final = 64
DEFAULT_NETWORKS: Final[tuple[str, ...]] = ("Ethereum",)
DEFAULT_NAMES: Final[dict[str, str]] = {
    "create": "Main",
    "phrase": "Main",
    "key": "Imported",
    "watch": "Watched",
}
# The preferences the rest of the app reads (ui/compose.py reads network.current).
NETWORKS_ENABLED: Final = "networks.enabled"
NETWORK_CURRENT: Final = "network.current"
LOCK_WAIT_S: Final = 5.0


class NewPhrase:
    """A new recovery phrase: shown to the user once, then confirmed by typing some of its
    words back. ``create_wallet`` forgets it once the wallet holds it."""

    def __init__(self, *, words: int = 12, checks: int = CHECK_WORDS) -> None:
        phrase = accounts.new_phrase(words)
        register_secret(phrase)
        self._phrase: str | None = phrase
        rng = secrets.SystemRandom()
        self.check_positions: tuple[int, ...] = tuple(sorted(rng.sample(range(words), checks)))
        self._confirmed = False

    def __repr__(self) -> str:  # never the words
        return f"NewPhrase(confirmed={self._confirmed}, used={self._phrase is None})"

    @property
    def words(self) -> tuple[str, ...]:
        """The words to show, in order."""
        return tuple(self._require().split())

    @property
    def confirmed(self) -> bool:
        return self._confirmed

    def confirm(self, answers: Sequence[str]) -> None:
        """Check the words typed back, one per ``check_positions`` entry, in that order."""
        words = self.words
        answers = list(answers)
        if len(answers) != len(self.check_positions):
            raise InvalidInput(
                f"Type the {len(self.check_positions)} words asked for.",
                hint="Each one comes from your written copy of the phrase.",
            )
        for pos, answer in zip(self.check_positions, answers, strict=True):
            if not isinstance(answer, str) or answer.strip().lower() != words[pos]:
                self._confirmed = False
                raise InvalidInput(
                    f"Word {pos + 1} does not match.",
                    hint="Check your written copy of the phrase, word by word.",
                )
        self._confirmed = True

    def accept_without_check(self) -> None:
        """Confirm without asking words back: only on the user's explicit request (a script
        with no terminal, ``warden init --skip-word-check``), never as a default."""
        self._require()
        self._confirmed = True

    def _require(self) -> str:
        if self._phrase is None:
            raise InvalidInput(
                "This recovery phrase is already in a wallet and is not shown again here.",
                hint="To see it, use 'Show recovery phrase' (or 'warden accounts "
                "reveal-phrase'), which asks for your password.",
            )
        return self._phrase

    def _forget(self) -> None:
        self._phrase = None


# ---- checks, one per answer -----------------------------------------------------------------


def check_secret(mode: str, text: str) -> str:
    """An imported phrase, private key or watched address, normalised; InvalidInput if wrong."""
    if not isinstance(text, str):
        raise InvalidInput("Nothing usable was typed.", hint="Paste or type it again.")
    if mode == "phrase":
        phrase = accounts.normalize_phrase(text)
        register_secret(phrase)
        return phrase
    if mode == "key":
        return accounts.normalize_private_key(text)[0]
    if mode == "watch":
        return validate_address(text)
    raise InvalidInput(
        f"There is nothing to type for {mode!r}.",
        hint="Choose to import a phrase, import a key, or watch an address.",
    )


def check_password(password: str, repeat: str | None = None) -> str:
    """A new password: long enough, and typed the same twice when ``repeat`` is given."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"The password needs at least {MIN_PASSWORD} characters.",
            hint="A few unrelated words work well.",
        )
    if repeat is not None and repeat != password:
        raise InvalidInput("The two passwords differ.", hint="Type the same password twice.")
    return password


def network_choices() -> tuple[str, ...]:
    """The networks a new wallet may start with (others are added later)."""
    return tuple(p.name for p in networks.PRESETS)


def check_networks(names: Iterable[str]) -> tuple[str, ...]:
    """At least one known network, each once, in the order given; the first is the current."""
    if isinstance(names, str):
        names = [names]
    known = network_choices()
    chosen: list[str] = []
    for name in names:
        if not isinstance(name, str) or name.strip() not in known:
            raise InvalidInput(
                f"Unknown network {name!r}.",
                hint=f"Start with some of: {', '.join(known)}. Others can be added later.",
            )
        if name.strip() not in chosen:
            chosen.append(name.strip())
    if not chosen:
        raise InvalidInput("Pick at least one network.", hint="Ethereum is a good start.")
    return tuple(chosen)


def check_name(name: str | None) -> str | None:
    """The first account's name, or None for the default."""
    if name is None:
        return None
    if not isinstance(name, str):
        raise InvalidInput("The account name must be text.")
    text = name.strip()
    if len(text) > MAX_NAME:
        raise InvalidInput(f"The account name is longer than {MAX_NAME} characters.")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        raise InvalidInput(
            "The account name contains control or invisible characters.",
            hint="Use letters, digits, spaces and punctuation only.",
        )
    return text or None


# ---- the plan and its execution -------------------------------------------------------------


@dataclass(frozen=True)
class WalletPlan:
    """Everything a new wallet needs, checked on construction (InvalidInput if anything is
    wrong). ``secret`` is the phrase, key or address for the three imports; ``create`` takes a
    confirmed ``new_phrase`` instead."""

    mode: str
    secret: str = field(default="", repr=False)
    password: str = field(default="", repr=False)
    networks: Sequence[str] = DEFAULT_NETWORKS
    use_keyring: bool = True
    name: str | None = None
    new_phrase: NewPhrase | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InvalidInput(
                f"Unknown way to start a wallet: {self.mode!r}.",
                hint="Create a wallet, import a phrase or a key, or watch an address.",
            )
        if self.mode == "create":
            if self.secret:
                raise InvalidInput(
                    "A new wallet makes its own recovery phrase.",
                    hint="To use a phrase you have, import it instead.",
                )
            if not isinstance(self.new_phrase, NewPhrase) or not self.new_phrase.confirmed:
                raise InvalidInput(
                    "The new recovery phrase has not been confirmed.",
                    hint="Type back the words asked for, from your written copy.",
                )
        else:
            if self.new_phrase is not None:
                raise InvalidInput("Only a new wallet has a new recovery phrase.")
            object.__setattr__(self, "secret", check_secret(self.mode, self.secret))
        check_password(self.password)
        object.__setattr__(self, "networks", check_networks(self.networks))
        if not isinstance(self.use_keyring, bool):
            raise InvalidInput("The keyring choice must be yes or no.")
        object.__setattr__(self, "name", check_name(self.name) or DEFAULT_NAMES[self.mode])


@dataclass(frozen=True)
class Onboarded:
    """A new wallet: its open store (the caller closes it), its first account, and whether the
    OS keyring keeps the store's key (False: the password alone unlocks it)."""

    store: Store
    account: accounts.AccountInfo
    keyring_used: bool


def refuse_existing(paths: Paths) -> None:
    """Raise if this home already has a wallet; nothing is touched."""
    if Store.exists(paths):
        raise StoreError(
            f"A Warden wallet already exists in {paths.data_dir}.",
            hint="Open it with your password; nothing was changed. To start over, move that "
            "folder away first: Warden never replaces a wallet.",
        )


_CREATING = threading.Lock()


def create_wallet(paths: Paths, plan: WalletPlan, *, wait_s: float = LOCK_WAIT_S) -> Onboarded:
    """Carry out ``plan``: the store, the first account, presets and enabled networks.

    Runs on a worker (slow: a memory-hard KDF and the disk). A second call for the same home,
    from this process or another, waits for the first (at most ``wait_s``) and is then refused.
    """
    if not isinstance(plan, WalletPlan):
        raise TypeError("create_wallet needs a WalletPlan")
    paths.ensure()
    # The data folder's one writer lock (the same one the app, the daemon and every
    # writing command hold): a second creator waits, then is refused or finds the wallet.
    # The writer lock is shared by the threads of one process; creators in this process
    # also take turns here, so the second one finds the wallet and is refused.
    if not _CREATING.acquire(timeout=wait_s):
        raise StoreError(
            "Warden is setting up a wallet in this folder right now.",
            hint="Wait for it to finish, then open Warden; nothing was changed.",
        )
    try:
        lock = WriterLock(paths.data_dir).acquire(wait_s)  # AlreadyRunning names the holder
    except BaseException:
        _CREATING.release()
        raise
    try:
        refuse_existing(paths)
        phrase = plan.new_phrase._require() if plan.new_phrase is not None else None
        store = Store.create(paths, plan.password, use_keyring=plan.use_keyring)
        try:
            with store.session() as s:
                networks.ensure_presets(s)
                account = _first_account(s, plan, phrase)
                s.merge(Preference(key=NETWORKS_ENABLED, value=list(plan.networks)))
                preferences.set(s, NETWORK_CURRENT, plan.networks[0])
        except BaseException:
            keyring_used = store.keyring_used
            store.close()
            _set_aside_unfinished(paths, keyring_used=keyring_used)
            raise
    finally:
        lock.release()
        _CREATING.release()
    if plan.new_phrase is not None:
        plan.new_phrase._forget()
    return Onboarded(store, account, store.keyring_used)


def _first_account(session: Session, plan: WalletPlan, phrase: str | None) -> accounts.AccountInfo:
    if plan.mode in ("create", "phrase"):
        _, info = accounts.create_hd_wallet(session, phrase or plan.secret, name=plan.name)
        return info
    if plan.mode == "key":
        return accounts.import_private_key(session, plan.secret, name=plan.name)
    return accounts.add_watch(session, plan.secret, name=plan.name)


def _set_aside_unfinished(paths: Paths, *, keyring_used: bool) -> None:
    """The store made a moment ago holds nothing (its one transaction rolled back): keep it
    aside, never deleted, so that the next attempt starts clean instead of being refused."""
    set_aside(paths.store_file, "unfinished")
    set_aside(paths.key_file, "unfinished")
    if keyring_used:
        keys.keyring_delete(paths.store_file)


__all__ = [
    "CHECK_WORDS",
    "DEFAULT_NETWORKS",
    "MIN_PASSWORD",
    "MODES",
    "NewPhrase",
    "Onboarded",
    "WalletPlan",
    "check_name",
    "check_networks",
    "check_password",
    "check_secret",
    "create_wallet",
    "network_choices",
    "refuse_existing",
]
