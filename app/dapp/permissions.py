"""Which sites the user connected, and to which accounts (EIP-2255 permissions, per origin).

Kept in the encrypted store (one ``preferences`` row holding a JSON object, so no schema
change is needed). A site that is not listed sees no account; revoking removes it at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from app.errors import InvalidInput
from app.store.schema import Account, Preference
from app.wallet.ports import SessionSource

CONNECTIONS_KEY = "dapp.connections"
PAIRING_KEY = "dapp.pairing_token"
MAX_ORIGIN_CHARS = 255


def normalize_origin(origin: object) -> str:
    """``scheme://host[:port]`` in lower case, or InvalidInput for anything else (a path, a
    user name, an opaque origin such as ``null`` or a file page)."""
    if not isinstance(origin, str) or not origin or len(origin) > MAX_ORIGIN_CHARS:
        raise InvalidInput("The site's origin is missing or too long.")
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        raise InvalidInput("The site's origin is not a web address.") from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        raise InvalidInput("The site's origin is not an http(s) origin.")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise InvalidInput("The site's origin carries a path; only scheme, host and port count.")
    if not all(c.isalnum() or c in "-._[]:" for c in host):
        raise InvalidInput("The site's origin has characters a host name cannot have.")
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


@dataclass(frozen=True)
class Connection:
    origin: str
    accounts: tuple[str, ...]
    connected_at: str


class Permissions:
    """Connected sites in the store. Every call is one short session (store lane)."""

    def __init__(self, store: SessionSource) -> None:
        self.store = store

    def _load(self, s: Any) -> dict[str, Any]:
        row = s.get(Preference, CONNECTIONS_KEY)
        value = row.value if row is not None else None
        return dict(value) if isinstance(value, dict) else {}

    def get(self, origin: str) -> Connection | None:
        with self.store.session() as s:
            entry = self._load(s).get(origin)
        return _connection(origin, entry)

    def all(self) -> list[Connection]:
        with self.store.session() as s:
            data = self._load(s)
        found = (_connection(o, e) for o, e in sorted(data.items()))
        return [c for c in found if c is not None]

    def connect(self, origin: str, accounts: list[str]) -> Connection:
        """Connect ``origin`` to ``accounts`` (each must be an account of this wallet)."""
        origin = normalize_origin(origin)
        if not accounts:
            raise InvalidInput("Choose at least one account to connect the site to.")
        with self.store.session() as s:
            own = {a.lower(): a for a in s.scalars(select(Account.address))}
            chosen = []
            for a in accounts:
                if a.lower() not in own:
                    raise InvalidInput("Only this wallet's own accounts can be connected.")
                chosen.append(own[a.lower()])
            data = self._load(s)
            data[origin] = {
                "accounts": chosen,
                "connected_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            s.merge(Preference(key=CONNECTIONS_KEY, value=data))
        return Connection(origin, tuple(chosen), data[origin]["connected_at"])

    def limit(self, origin: str, accounts: list[str]) -> Connection:
        """Limit a connected ``origin`` to ``accounts`` (this wallet's own; at least one).
        InvalidInput when the site is not connected: connecting is the site's to ask."""
        if self.get(origin) is None:
            raise InvalidInput(
                "That site is not connected.",
                hint="A site asks to connect from the browser; then its accounts can be limited.",
            )
        return self.connect(origin, accounts)

    def own_accounts(self) -> list[str]:
        """The accounts a site can be connected to: this wallet's, not hidden, not watch-only."""
        with self.store.session() as s:
            return [
                a.address
                for a in s.scalars(select(Account).where(Account.hidden.is_(False)))
                if a.kind != "watch"
            ]

    def revoke(self, origin: str) -> bool:
        """Forget ``origin``; True when it was connected."""
        with self.store.session() as s:
            data = self._load(s)
            gone = data.pop(origin, None) is not None
            if gone:
                s.merge(Preference(key=CONNECTIONS_KEY, value=data))
        return gone

    def pairing_token(self, *, renew: bool = False) -> str:
        """The token the extension sends with every request; made once, kept in the store."""
        with self.store.session() as s:
            row = s.get(Preference, PAIRING_KEY)
            if (
                row is not None
                and isinstance(row.value, str)
                and len(row.value) >= 32
                and not renew
            ):
                return row.value
            token = secrets.token_urlsafe(32)
            s.merge(Preference(key=PAIRING_KEY, value=token))
            return token


def _connection(origin: str, entry: Any) -> Connection | None:
    if not isinstance(entry, dict):
        return None
    accounts = entry.get("accounts")
    if not isinstance(accounts, list) or not all(isinstance(a, str) for a in accounts):
        return None  # unreadable: the site is treated as not connected
    return Connection(origin, tuple(accounts), str(entry.get("connected_at", "")))
