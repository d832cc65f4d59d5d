"""Look-alike addresses and look-alike web origins: pure functions, no I/O.

Used by the transaction review, the wallet's send screen and the incoming-transfer watcher.
Address poisoning relies on people checking only the first and last few characters of an
address; phishing sites rely on hosts that read like a trusted one at a glance.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

# Poisoners grind vanity addresses that match what wallets show (0x1234…abcd); matching
# three characters at each end and six in all is already a 1 in 16^6 coincidence.
MIN_PREFIX = 3
MIN_SUFFIX = 3
MIN_TOTAL = 6

MAX_EDITS = 2
# DNS limits: a longer host or label is no real host, and the costlier comparisons
# (punycode, edit distance) never see more than this.
MAX_HOST = 253
MAX_LABEL = 63

# Characters that render like ASCII letters in common fonts (Cyrillic, Greek, Latin
# extensions). Enough for the homographs used against wallet users; NFKD handles accents.
_CONFUSABLES = {
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "һ": "h", "і": "i",
    "ї": "i", "ј": "j", "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p",
    "ԛ": "q", "ѕ": "s", "т": "t", "у": "y", "ѵ": "v", "ԝ": "w", "х": "x", "ү": "y",
    "ɑ": "a", "ɡ": "g", "ɩ": "i", "ı": "i", "ɪ": "i", "ʟ": "l", "ո": "n", "ս": "u",
    "օ": "o", "ց": "g", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k",
    "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ℓ": "l",
    "０": "0", "１": "1", "ⅰ": "i", "ⅼ": "l",
}  # fmt: skip


def _hex_body(address: str) -> str:
    a = address.strip().lower()
    return a[2:] if a.startswith("0x") else a


def common_ends(a: str, b: str) -> tuple[int, int]:
    """How many leading and trailing hex characters two addresses share (0x ignored)."""
    x, y = _hex_body(a), _hex_body(b)
    prefix = 0
    for c, d in zip(x, y, strict=False):
        if c != d:
            break
        prefix += 1
    suffix = 0
    for c, d in zip(reversed(x), reversed(y), strict=False):
        if c != d:
            break
        suffix += 1
    return prefix, suffix


def is_lookalike_address(candidate: str, known: str) -> bool:
    """Same leading and trailing characters as ``known`` but a different address."""
    if _hex_body(candidate) == _hex_body(known):
        return False
    prefix, suffix = common_ends(candidate, known)
    return prefix >= MIN_PREFIX and suffix >= MIN_SUFFIX and prefix + suffix >= MIN_TOTAL


def lookalike_of(candidate: str, known: Iterable[str]) -> str | None:
    """The first known address that ``candidate`` imitates, or None."""
    for k in known:
        if is_lookalike_address(candidate, k):
            return k
    return None


def host_of(origin: str | None) -> str:
    """The lower-case host of an origin or URL ('' when there is none)."""
    if not origin:
        return ""
    text = origin.strip()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


def _userinfo(origin: str) -> str:
    text = origin.strip()
    if "//" not in text:
        text = "//" + text
    try:
        netloc = urlsplit(text).netloc
    except ValueError:
        return ""
    return netloc.rpartition("@")[0].lower() if "@" in netloc else ""


def skeleton(host: str) -> str:
    """The host as it looks: punycode decoded, confusable letters mapped to ASCII."""
    labels = []
    for label in host[:MAX_HOST].split("."):
        if label.startswith("xn--") and len(label) <= MAX_LABEL:  # punycode is quadratic
            try:
                # raw punycode, without IDNA's round-trip checks that attackers can trip
                label = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                pass
        labels.append(label)
    text = ".".join(labels).lower()
    out = []
    for ch in text:
        ch = _CONFUSABLES.get(ch, ch)
        if ord(ch) > 127:
            ch = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 128)
        out.append(ch)
    return "".join(out)


def edit_distance(a: str, b: str, limit: int = MAX_EDITS) -> int:
    """Optimal string alignment distance (a swap of neighbours counts as one edit).

    Returns ``limit + 1`` as soon as the distance is known to exceed ``limit``.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def lookalike_origin(origin: str | None, trusted: Iterable[str]) -> tuple[str, str] | None:
    """(trusted origin imitated, how) when ``origin`` imitates one of ``trusted``, else None.

    An origin whose host is itself trusted imitates nothing.
    """
    if not origin:
        return None
    host = host_of(origin)
    trusted_hosts = [(t, host_of(t)) for t in trusted]
    trusted_hosts = [(t, h) for t, h in trusted_hosts if h]
    if not host or any(host == h for _, h in trusted_hosts):
        return None
    too_long = len(host) > MAX_HOST
    seen = skeleton(host) if not too_long else host
    userinfo = _userinfo(origin)
    for t, h in trusted_hosts:
        if host.startswith(h + ".") or host.startswith(h + "-"):
            return t, f"it starts with {h} but belongs to another domain"
        if userinfo and h in userinfo:
            return t, f"it shows {h} before an '@' but leads to {host[:80]}"
        if too_long or len(h) > MAX_HOST:
            continue  # within two edits of a real host it cannot be
        if seen != host and (seen == h or edit_distance(seen, h) <= MAX_EDITS):
            return t, f"it uses look-alike characters to imitate {h}"
        if edit_distance(host, h) <= MAX_EDITS:
            return t, f"it differs from {h} by one or two characters"
    return None


def is_trusted_origin(origin: str | None, trusted: Iterable[str]) -> bool:
    """True when the origin's host is exactly one of the trusted hosts."""
    host = host_of(origin)
    return bool(host) and any(host == host_of(t) for t in trusted)
