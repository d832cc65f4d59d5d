"""Phishing-domain and scam-address lists: reading, checking and matching. No I/O here.

A list arrives as bytes from a source the user chose (``list_update`` fetches and stores it)
or is the snapshot bundled with Warden. Before it is used it must look like a list: bounded
size and count, entries that are host names or addresses, and no entry that would block a
whole public suffix (``github.io``, ``com``) or a well-known dapp: such a list is broken or
hostile, and it is refused whole so that the lists already stored stay in use.

Formats read: MetaMask's eth-phishing-detect config (``blacklist`` less ``whitelist``), an
object with ``domains``/``addresses`` (or ``deny``) arrays, a JSON array of strings, or text
with one entry a line (``#`` comments, hosts-file lines).
"""

from __future__ import annotations

import json
import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from app.errors import InvalidInput

MAX_BYTES = 32 * 1024 * 1024  # MetaMask's current list is about 10 MB
MAX_ENTRIES = 1_000_000
MAX_KNOWN_DAPPS = 3  # more well-known dapps than this on a "phishing" list: it is broken
MAX_BAD_SHARE = 0.2  # more entries than this that are no host or address: not a list

BUNDLED_FILE = "eth_phishing_detect.json"
BUNDLED_SOURCE = "eth-phishing-detect 1.2.0 (bundled with Warden)"

_LABEL = r"(?!-)[a-z0-9_-]{1,63}(?<!-)"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})+$")
_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


class ListRejected(InvalidInput):
    """A fetched list failed the checks; the lists stored before stay in use."""

    hint = (
        "Check the source's URL, or remove it with 'warden lists remove URL'. "
        "The lists you already had stay in use."
    )


@dataclass(frozen=True)
class ParsedList:
    domains: frozenset[str]
    addresses: frozenset[str]
    dropped: int  # entries left out: malformed, a public suffix, or a well-known dapp


def normalize_host(entry: str) -> str | None:
    """A list entry as a lower-case ASCII host name (punycode for IDN), or None."""
    text = entry.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = re.split(r"[/?#]", text, maxsplit=1)[0].rsplit("@", 1)[-1]
    text = re.sub(r":\d{1,5}$", "", text).rstrip(".")
    if text.startswith("*."):
        text = text[2:]
    if text.startswith("www."):
        text = text[4:]
    if any(ord(c) > 127 for c in text):
        try:
            text = ".".join(
                "xn--" + label.encode("punycode").decode("ascii")
                if any(ord(c) > 127 for c in label)
                else label
                for label in text.split(".")
            )
        except (UnicodeError, ValueError):
            return None
    return text if _HOST.match(text) else None


def _entries(raw: bytes) -> tuple[list[Any], list[Any], bool]:
    """(domain-ish entries, address entries, whether they were told apart by the format)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ListRejected("The list is not UTF-8 text.") from None
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise ListRejected("The list is not valid JSON.") from None
        if isinstance(data, list):
            return data, [], False
        if isinstance(data, dict):
            if isinstance(data.get("blacklist"), list):  # MetaMask's config
                allowed = {
                    str(w).lower() for w in data.get("whitelist") or [] if isinstance(w, str)
                }
                return [d for d in data["blacklist"] if str(d).lower() not in allowed], [], True
            domains = data.get("domains", data.get("deny", []))
            addresses = data.get("addresses", [])
            if isinstance(domains, list) and isinstance(addresses, list) and (domains or addresses):
                return domains, addresses, True
        raise ListRejected(
            "The list's format is not one Warden reads (a MetaMask config, an object with "
            "'domains' or 'addresses', an array of strings, or one entry a line)."
        )
    lines = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        lines.append(parts[-1])  # hosts-file lines: "0.0.0.0 bad.example"
    return lines, [], False


def parse_list(
    raw: bytes, *, is_public: Any = None, known: Mapping[str, Any] | None = None
) -> ParsedList:
    """Read and check a list; raises ``ListRejected`` with the reason when it is not usable."""
    if len(raw) > MAX_BYTES:
        raise ListRejected(f"The list is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    domain_entries, address_entries, typed = _entries(raw)
    total = len(domain_entries) + len(address_entries)
    if total == 0:
        raise ListRejected("The list is empty.")
    if total > MAX_ENTRIES:
        raise ListRejected(f"The list has more than {MAX_ENTRIES:,} entries.")
    if is_public is None:
        from delegates.tx_review.suffixes import is_public_suffix as is_public
    if known is None:
        from delegates.tx_review.known_dapps import by_domain

        known = by_domain()
    domains: set[str] = set()
    addresses: set[str] = set()
    bad = 0
    known_hits: list[str] = []
    for entry in domain_entries:
        if not isinstance(entry, str):
            bad += 1
            continue
        if not typed and _ADDRESS.match(entry.strip()):
            addresses.add(entry.strip().lower())
            continue
        host = normalize_host(entry)
        if host is None:
            bad += 1
            continue
        if is_public(host):
            raise ListRejected(
                f"The list blocks the whole public suffix {host}: it is broken or hostile."
            )
        if _under(host, known):
            known_hits.append(host)
            continue
        domains.add(host)
    for entry in address_entries:
        if isinstance(entry, str) and _ADDRESS.match(entry.strip()):
            addresses.add(entry.strip().lower())
        else:
            bad += 1
    if len(known_hits) > MAX_KNOWN_DAPPS:
        shown = ", ".join(sorted(known_hits)[:3])
        raise ListRejected(
            f"The list names {len(known_hits)} well-known dapps as phishing ({shown}, …): "
            "it is broken or hostile."
        )
    if bad > MAX_BAD_SHARE * total:
        raise ListRejected(f"{bad:,} of the list's {total:,} entries are no host name or address.")
    if not domains and not addresses:
        raise ListRejected("The list holds no usable entry.")
    return ParsedList(frozenset(domains), frozenset(addresses), bad + len(known_hits))


def _under(host: str, domains: Mapping[str, Any] | Iterable[str]) -> bool:
    """Whether ``host`` is one of ``domains`` or a subdomain of one."""
    labels = host.split(".")
    return any(".".join(labels[i:]) in domains for i in range(len(labels) - 1))


def listed_domain(host: str, domains: Container[str]) -> str | None:
    """The entry of ``domains`` that ``host`` is or lies under, or None."""
    labels = host.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in domains:
            return candidate
    return None


@cache
def bundled_domains() -> frozenset[str]:
    """The phishing domains of the snapshot bundled at build time. A test runs the full
    checks on it; here it is only normalised, so a review reading it costs milliseconds."""
    raw = json.loads(resources.files(__package__).joinpath(BUNDLED_FILE).read_bytes())
    allowed = {w.lower() for w in raw.get("whitelist", [])}
    hosts = set()
    for entry in raw["blacklist"]:
        if not isinstance(entry, str):
            continue
        host: str | None = entry.lower()
        if host is None or host.startswith("www.") or not _HOST.match(host):  # the rare odd one
            host = normalize_host(entry)
        if host and host not in allowed:
            hosts.add(host)
    return frozenset(hosts)
