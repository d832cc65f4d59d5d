"""The larger-host settings: URL and model in the encrypted store, the API key in the keyring.

Remote use is off unless the user turns it on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from app.errors import KeyringUnavailable
from app.store.schema import Account, Contact, Label, Preference
from models.remote import RemoteModel, check_url

PREF_KEY = "model.remote"
KEYRING_SERVICE = "warden-larger-host"


class _Store(Protocol):
    def session(self) -> Any: ...


@dataclass(frozen=True)
class RemoteSettings:
    enabled: bool = False
    url: str = ""
    model: str = "default"
    json_schema: bool = True  # the host accepts response_format json_schema


def load_settings(store: _Store) -> RemoteSettings:
    with store.session() as s:
        row = s.get(Preference, PREF_KEY)
        data = dict(row.value) if row is not None and isinstance(row.value, dict) else {}
    return RemoteSettings(**{k: v for k, v in data.items() if k in RemoteSettings.__annotations__})


def save_settings(store: _Store, settings: RemoteSettings) -> None:
    if settings.enabled or settings.url:
        check_url(settings.url)
    with store.session() as s:
        s.merge(Preference(key=PREF_KEY, value=asdict(settings)))


def set_api_key(url: str, key: str) -> None:
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, check_url(url), key)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(
            f"The API key could not be saved in the system keyring: {exc}",
            hint="Unlock or install a keyring (Secret Service, macOS Keychain); "
            "Warden does not keep API keys anywhere else.",
        ) from None


def get_api_key(url: str) -> str | None:
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(KEYRING_SERVICE, check_url(url))
    except keyring.errors.KeyringError:
        return None


def known_names(store: _Store) -> list[str]:
    """Account names, labels and address-book names: the anonymizer hides them too."""
    with store.session() as s:
        names = [a.name for a in s.query(Account).all()]
        names += [c.name for c in s.query(Contact).all()]
        names += [lbl.label for lbl in s.query(Label).all()]
    return [n for n in names if n]


def build_remote(store: _Store, names: Iterable[str] | None = None) -> RemoteModel | None:
    """The configured host, or ``None`` while remote use is off (the default).

    ``names`` defaults to every account, label and contact name in the store.
    """
    settings = load_settings(store)
    if not settings.enabled:
        return None
    if names is None:
        names = known_names(store)
    return RemoteModel(
        settings.url,
        model=settings.model,
        api_key=get_api_key(settings.url),
        names=names,
        json_schema=settings.json_schema,
    )
