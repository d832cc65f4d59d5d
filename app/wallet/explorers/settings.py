"""Which explorer a network uses: a record in the encrypted store's preferences table.

One record per chain id (``explorer.chain.<id>``): the kind, the API URL and, for an
Etherscan-compatible API, the user's key. The whole store is encrypted (SQLCipher), so the key
is never written anywhere in the clear. No record: no explorer (the default).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.store.schema import Preference

Kind = Literal["blockscout", "etherscan"]
KINDS: tuple[Kind, ...] = ("blockscout", "etherscan")
MAX_URL = 300
MAX_KEY = 200


@dataclass(frozen=True)
class ExplorerSettings:
    kind: Kind
    url: str
    api_key: str = ""

    def __repr__(self) -> str:  # the key never reaches a log through a repr
        return f"ExplorerSettings(kind={self.kind!r}, url={self.url!r})"


def pref_key(chain_id: int) -> str:
    return f"explorer.chain.{int(chain_id)}"


def check_url(url: str) -> str:
    """An https URL, or http only to this machine (a key must not travel in the clear)."""
    text = (url or "").strip()
    parts = urlsplit(text)
    if len(text) > MAX_URL or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(
            "That is not an explorer API URL.",
            hint="Give the explorer's address, e.g. https://eth.blockscout.com or "
            "https://api.etherscan.io/v2/api.",
        )
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise InvalidInput(
            "An explorer must be reached over https (http only on this machine).",
            hint="Use the https:// address of the explorer's API.",
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise InvalidInput(
            "The explorer URL must not carry a user name, a query or a fragment.",
            hint="Give the plain API address; Warden adds the query (and the key) itself.",
        )
    return text.rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check(kind: str, url: str, api_key: str = "") -> ExplorerSettings:
    if kind not in KINDS:
        raise InvalidInput(
            f"There is no explorer kind {kind[:20]!r}.", hint="Use one of: blockscout, etherscan."
        )
    key = (api_key or "").strip()
    if kind == "etherscan" and not key:
        raise InvalidInput(
            "An Etherscan-compatible API needs your own API key.",
            hint="Put it in an environment variable and name it with --key-env VAR.",
        )
    if kind == "blockscout" and key:
        raise InvalidInput(
            "A Blockscout instance is asked without a key.",
            hint="Leave out --key-env, or use --etherscan for an API that needs one.",
        )
    if len(key) > MAX_KEY or not all(c.isascii() and (c.isalnum() or c in "-_") for c in key):
        raise InvalidInput(
            "That API key has characters an API key does not have.",
            hint="Copy the key again from the explorer's account page.",
        )
    return ExplorerSettings(kind, check_url(url), key)  # type: ignore[arg-type]


def load(session: Session, chain_id: int) -> ExplorerSettings | None:
    """The chain's explorer, or None (none set, or a record this version cannot read)."""
    row = session.get(Preference, pref_key(chain_id))
    value: Any = row.value if row is not None else None
    if not isinstance(value, dict):
        return None
    try:
        return check(str(value.get("kind")), str(value.get("url")), str(value.get("api_key") or ""))
    except InvalidInput:
        return None  # fails closed: no explorer rather than a wrong one


def save(session: Session, chain_id: int, settings: ExplorerSettings) -> None:
    checked = check(settings.kind, settings.url, settings.api_key)
    session.merge(
        Preference(
            key=pref_key(chain_id),
            value={"kind": checked.kind, "url": checked.url, "api_key": checked.api_key},
        )
    )


def turn_off(session: Session, chain_id: int) -> None:
    row = session.get(Preference, pref_key(chain_id))
    if row is not None:
        session.delete(row)
        session.flush()  # a later read in the same session sees it gone
