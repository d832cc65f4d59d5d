"""Updatable phishing lists: the user's sources, fetching, checking and the encrypted store.

``warden lists update`` and the daily ``phishing_lists`` delegate call ``update``; every
review reads the stored lists through ``threat_facts``. A list is fetched over HTTPS (plain
HTTP only from this machine), bounded in size and time, checked by ``threat_lists.parse_list``
and only then replaces the stored copy of that source. Whatever fails (offline, a bad list),
the copy stored before stays in use, and ``status`` shows how old it is.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from app.errors import InvalidInput, NetworkError
from delegates.tx_review.threat_lists import MAX_BYTES, ListRejected, parse_list

log = logging.getLogger(__name__)

# MetaMask's eth-phishing-detect config, the list its extension uses.
DEFAULT_SOURCE = (
    "https://raw.githubusercontent.com/MetaMask/eth-phishing-detect/main/src/config.json"
)
SOURCES_KEY = "threat_lists.sources"  # Preference row: the user's list of source URLs
DEADLINE_S = 60.0  # one whole fetch, however slowly the server sends
CONNECT_TIMEOUT_S = 10.0
STALE_DAYS = 7  # older than this, ``status`` says the list is stale
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class UpdateResult:
    source: str
    ok: bool
    domains: int = 0
    addresses: int = 0
    error: str = ""


@dataclass(frozen=True)
class ListStatus:
    source: str
    fetched_at: datetime | None
    checked_at: datetime | None
    domains: int
    addresses: int
    last_error: str | None

    def age_days(self, now: datetime) -> float | None:
        if self.fetched_at is None:
            return None
        fetched = self.fetched_at
        if fetched.tzinfo is None:  # SQLite hands back naive datetimes: they were UTC
            fetched = fetched.replace(tzinfo=UTC)
        return max(0.0, (now - fetched).total_seconds() / 86_400)


def check_source(url: str) -> str:
    """The URL, stripped, if Warden may fetch a list from it; else ``InvalidInput``."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if parts is None or not host or len(text) > 2048:
        raise InvalidInput(
            f"{text[:80]!r} is not a URL.", hint="Give the list's full address, https://…"
        )
    if parts.scheme != "https" and not (parts.scheme == "http" and host in _LOOPBACK):
        raise InvalidInput(
            "Lists are fetched over HTTPS only (plain HTTP only from this machine).",
            hint="Use the https:// address of the list.",
        )
    return text


def sources(db: Any) -> list[str]:
    """The user's list sources; MetaMask's config until the user changes them."""
    from app.store.schema import Preference

    with db.session() as s:
        row = s.get(Preference, SOURCES_KEY)
        value = row.value if row is not None else None
    if not isinstance(value, list):
        return [DEFAULT_SOURCE]
    return [v for v in value if isinstance(v, str)]


def _save_sources(db: Any, urls: list[str]) -> None:
    from app.store.schema import Preference

    with db.session() as s:
        row = s.get(Preference, SOURCES_KEY)
        if row is None:
            s.add(Preference(key=SOURCES_KEY, value=urls))
        else:
            row.value = urls


def add_source(db: Any, url: str) -> list[str]:
    url = check_source(url)
    current = sources(db)
    if url not in current:
        current.append(url)
        _save_sources(db, current)
    return current


def remove_source(db: Any, url: str) -> list[str]:
    """Stop using a source; its stored list is deleted with it."""
    from app.store.schema import ThreatList

    url = url.strip()
    current = sources(db)
    if url not in current:
        raise InvalidInput(
            f"{url[:80]} is not one of your list sources.",
            hint="See them with 'warden lists status'.",
        )
    current.remove(url)
    _save_sources(db, current)
    with db.session() as s:
        row = s.get(ThreatList, url)
        if row is not None:
            s.delete(row)
    return current


def fetch(url: str, *, deadline_s: float = DEADLINE_S, max_bytes: int = MAX_BYTES) -> bytes:
    """The body at ``url``: HTTPS (or HTTP from this machine), status 200, at most
    ``max_bytes``, within ``deadline_s`` in all. Raises ``NetworkError`` or ``ListRejected``."""
    import requests

    url = check_source(url)
    host = urlsplit(url).hostname or ""
    start = time.monotonic()
    try:
        with requests.get(
            url,
            stream=True,
            timeout=(CONNECT_TIMEOUT_S, min(deadline_s, 30.0)),
            headers={"Accept": "application/json, text/plain"},
        ) as resp:
            check_source(resp.url)  # a redirect must not leave HTTPS
            if resp.status_code != 200:
                raise NetworkError(
                    f"The list server {host} answered HTTP {resp.status_code}.",
                    hint="Check the source's URL; the lists you already had stay in use.",
                )
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise ListRejected(f"The list is larger than {max_bytes // (1024 * 1024)} MB.")
            body = bytearray()
            for chunk in resp.iter_content(chunk_size=None):  # as it arrives: no long wait
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise ListRejected(f"The list is larger than {max_bytes // (1024 * 1024)} MB.")
                if time.monotonic() - start > deadline_s:
                    raise NetworkError(
                        f"The list server {host} sent too slowly (over {deadline_s:.0f} s).",
                        hint="Try again later; the lists you already had stay in use.",
                    )
            return bytes(body)
    except InvalidInput:
        raise
    except NetworkError:
        raise
    except requests.RequestException as exc:
        raise NetworkError(
            f"Could not fetch the list from {host} ({type(exc).__name__}).",
            hint="Check the connection; the lists you already had stay in use.",
        ) from None


def update(
    db: Any, *, only: list[str] | None = None, now: datetime | None = None
) -> list[UpdateResult]:
    """Fetch, check and store each source's list; a failure leaves that source's stored
    list as it was (only its check time and error are recorded)."""
    from app.store.schema import ThreatList

    results = []
    for url in only or sources(db):
        stamp = now or datetime.now(UTC)
        try:
            raw = fetch(url)
            parsed = parse_list(raw)
        except (NetworkError, InvalidInput) as exc:
            log.info("list update from %s failed: %s", urlsplit(url).hostname, type(exc).__name__)
            with db.session() as s:
                row = s.get(ThreatList, url)
                if row is not None:
                    row.checked_at = stamp
                    row.last_error = str(exc)[:500]
            results.append(UpdateResult(url, False, error=str(exc)))
            continue
        with db.session() as s:
            row = s.get(ThreatList, url)
            if row is None:
                row = ThreatList(source=url)
                s.add(row)
            row.fetched_at = row.checked_at = stamp
            row.sha256 = hashlib.sha256(raw).hexdigest()
            row.domains = sorted(parsed.domains)
            row.addresses = sorted(parsed.addresses)
            row.last_error = None
        results.append(UpdateResult(url, True, len(parsed.domains), len(parsed.addresses)))
    return results


def status(db: Any) -> list[ListStatus]:
    """One line per source the user has, whether or not a list was ever fetched from it."""
    from sqlalchemy import select

    from app.store.schema import ThreatList

    out = []
    with db.session() as s:
        rows = {
            r.source: r
            for r in s.execute(
                select(
                    ThreatList.source,
                    ThreatList.fetched_at,
                    ThreatList.checked_at,
                    ThreatList.domains,
                    ThreatList.addresses,
                    ThreatList.last_error,
                )
            )
        }
    for url in sources(db):
        r = rows.get(url)
        if r is None:
            out.append(ListStatus(url, None, None, 0, 0, None))
        else:
            out.append(
                ListStatus(
                    url, r.fetched_at, r.checked_at, len(r.domains), len(r.addresses), r.last_error
                )
            )
    return out


# Lists are read once per change, not once per review: (source, sha256) -> parsed rows.
_cache: dict[tuple[str, str], tuple[dict[str, str], frozenset[str]]] = {}


def threat_facts(db: Any) -> tuple[dict[str, str], frozenset[str]]:
    """(listed domain -> which list, scam addresses) from the stored lists of the user's
    current sources. Never raises: a store that cannot be read gives no list facts."""
    if db is None:
        return {}, frozenset()
    try:
        from sqlalchemy import select

        from app.store.schema import ThreatList

        wanted = set(sources(db))
        with db.session() as s:
            stamps = [
                (r.source, r.sha256, r.fetched_at)
                for r in s.execute(
                    select(ThreatList.source, ThreatList.sha256, ThreatList.fetched_at)
                )
                if r.source in wanted
            ]
        domains: dict[str, str] = {}
        addresses: set[str] = set()
        for source, sha, fetched in stamps:
            key = (source, sha)
            if key not in _cache:
                with db.session() as s:
                    row = s.get(ThreatList, source)
                    listed = list(row.domains) if row is not None else []
                    scams = list(row.addresses) if row is not None else []
                when = fetched.date().isoformat() if fetched else "an unknown date"
                label = f"the phishing list from {urlsplit(source).hostname} (fetched {when})"
                _cache[key] = ({d: label for d in listed}, frozenset(scams))
            listed_map, scams_set = _cache[key]
            for d, label in listed_map.items():
                domains.setdefault(d, label)
            addresses |= scams_set
        return domains, frozenset(addresses)
    except Exception as exc:  # the review goes on with the bundled lists and the heuristics
        log.warning("stored phishing lists unreadable: %s", type(exc).__name__)
        return {}, frozenset()
