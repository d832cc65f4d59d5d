"""What a request's web origin says about the site: name heuristics that need no list.

Phishing sites are short-lived (lists go stale in weeks) but their names are not: they carry
the name of the dapp or chain they copy (``blur.markets``, ``sushi-swap.io``), bury a real
domain in a longer host (``opensea.io.offer.x.cl``), use look-alike letters (punycode), bait
words (``claim``, ``airdrop``) or a free site builder (``x.godaddysites.com``). Each sign comes
with a reason a person can check by reading the address.

A site whose registrable domain is one of a well-known dapp's (``known_dapps.json``) or of the
user's trusted origins gets no sign. Registrable domains come from the Public Suffix List
bundled with ``publicsuffixlist`` (never downloaded at run time).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.lookalike import MAX_HOST, edit_distance, host_of, skeleton
from app.review_types import Severity
from delegates.tx_review.known_dapps import KnownDapp, by_domain, known_dapps
from delegates.tx_review.threat_lists import bundled_domains, listed_domain

# Words phishing pages use to hurry people into signing, next to an unknown host.
BAIT_WORDS = (
    "airdrop", "claim", "reward", "giveaway", "bonus", "whitelist", "presale", "restore",
    "validate", "rectify", "mint", "free", "sync", "drop", "reclaim", "refund", "migrate",
    "recover", "unlock", "verify", "connect",
)  # fmt: skip
# Short bait words match only as a whole word or at a word's start or end ("freemint").
_SHORT_BAIT = 4

# Where anyone can publish a page in minutes: free hosting and site builders. Hosts under
# a PSL private suffix (vercel.app) and under a plain domain (x.godaddysites.com) alike.
SITE_BUILDERS = (
    "godaddysites.com", "webflow.io", "vercel.app", "netlify.app", "pages.dev", "github.io",
    "gitlab.io", "firebaseapp.com", "web.app", "weebly.com", "weeblysite.com", "wixsite.com",
    "wix.com", "glitch.me", "repl.co", "replit.app", "replit.dev", "herokuapp.com",
    "onrender.com", "fly.dev", "surge.sh", "gitbook.io", "blogspot.com", "wordpress.com",
    "square.site", "squarespace.com", "mystrikingly.com", "strikingly.com", "carrd.co",
    "ipfs.io", "dweb.link", "fleek.co", "on-fleek.app", "4everland.app", "webcindario.com",
    "000webhostapp.com", "azurewebsites.net", "cloudfront.net", "appspot.com",
    "r2.dev", "workers.dev", "framer.app", "framer.website", "tilda.ws", "sites.google.com",
    "ngrok.io", "ngrok-free.app", "codeanyway.com", "bubbleapps.io", "hpage.com",
    "webnode.page", "jimdosite.com", "yolasite.com", "site123.me", "odoo.com",
)  # fmt: skip

_LEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s"})


@dataclass(frozen=True)
class OriginSign:
    severity: Severity  # "caution" or "danger"
    reason: str


@cache
def _psl() -> Any:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()  # the bundled list; no download


def registrable(host: str) -> str | None:
    """The registrable domain (``x.cl`` of ``opensea.io.offer.x.cl``), or None for a public
    suffix or a bare name."""
    try:
        found = _psl().privatesuffix(host)
    except Exception:  # an odd host is no registrable domain
        return None
    return str(found) if found else None


def is_public_suffix(host: str) -> bool:
    try:
        return bool(_psl().is_public(host))
    except Exception:
        return False


def _ascii(host: str) -> str:
    """The host with non-ASCII labels as punycode (how DNS and the lists spell it)."""
    labels = []
    for label in host.split("."):
        if any(ord(c) > 127 for c in label):
            try:
                label = "xn--" + label.encode("punycode").decode("ascii")
            except (UnicodeError, ValueError):
                pass
        labels.append(label)
    return ".".join(labels)


@dataclass(frozen=True)
class _Names:
    """Brand names and words of the known dapps, for matching inside a host."""

    names: tuple[tuple[str, KnownDapp], ...]
    words: dict[str, KnownDapp]


@cache
def _names() -> _Names:
    names = [(n, d) for d in known_dapps() for n in d.names]
    names.sort(key=lambda item: -len(item[0]))  # the longest name wins ("pancakeswap")
    return _Names(tuple(names), {w: d for d in known_dapps() for w in d.words})


def _domains_text(dapp: KnownDapp) -> str:
    shown = ", ".join(dapp.domains[:3])
    return shown + (" …" if len(dapp.domains) > 3 else "")


def _bait(words: list[str], compact: list[str]) -> str | None:
    for bait in BAIT_WORDS:
        if len(bait) > _SHORT_BAIT:
            if any(bait in c for c in compact):
                return bait
        elif any(
            w == bait or (w.startswith(bait) or w.endswith(bait)) and len(w) <= 12 for w in words
        ):
            return bait
    return None


def _word_has(word: str, bait: str) -> bool:
    """A short bait word as the word itself or glued to its start or end ("freemint")."""
    return word == bait or (len(word) <= 12 and (word.startswith(bait) or word.endswith(bait)))


def _near(part: str, name: str) -> bool:
    """``part`` reads like ``name`` with a letter or two changed (or digits for letters)."""
    if part == name or len(name) < 5:
        return False
    if part.translate(_LEET) == name.translate(_LEET):
        return True
    limit = 2 if len(name) >= 9 else 1
    return edit_distance(part, name, limit) <= limit


class _Host:
    """One host, taken apart once for all the checks."""

    def __init__(self, host: str) -> None:
        self.host = _ascii(host)
        self.looks = skeleton(self.host)  # punycode decoded, look-alike letters mapped
        self.domain = registrable(self.host)
        self.looks_domain = registrable(self.looks) if self.looks != self.host else self.domain
        suffix = _public_suffix(self.looks)
        head = self.looks[: -len(suffix) - 1] if suffix and self.looks != suffix else self.looks
        self.labels = [x for x in head.split(".") if x]
        self.words = [w for label in self.labels for w in re.split(r"[^a-z0-9]+", label) if w]
        self.compact = [re.sub(r"[^a-z0-9]", "", label) for label in self.labels]


def _public_suffix(host: str) -> str:
    try:
        return str(_psl().publicsuffix(host) or "")
    except Exception:
        return ""


def _known_domains(trusted: Iterable[str]) -> dict[str, str]:
    """Registrable domain -> whose it is: the bundled dapps and the user's trusted origins."""
    out = {d: dapp.name for d, dapp in by_domain().items()}
    for origin in trusted:
        host = host_of(origin)
        if host and len(host) <= MAX_HOST:
            dom = registrable(_ascii(host))
            if dom:
                out.setdefault(dom, "a site you trust")
    return out


def assess_origin(
    origin: str | None,
    *,
    trusted: Iterable[str] = (),
    phishing: Mapping[str, str] | None = None,
) -> list[OriginSign]:
    """The signs that ``origin`` is not the site it seems to be, most severe first.

    ``phishing`` maps listed domains to the list's description; the bundled snapshot is
    always consulted as well. Never raises: an origin that cannot be read is a sign itself.
    """
    if origin is None or (isinstance(origin, str) and not origin.strip()):
        return []
    if not isinstance(origin, str):
        return [OriginSign("caution", "The request's origin is not a web address.")]
    raw_host = host_of(origin)
    if not raw_host or len(raw_host) > MAX_HOST:
        return [
            OriginSign(
                "caution",
                "The request's origin cannot be read as a web address, so Warden cannot tell "
                "which site is asking.",
            )
        ]
    if raw_host == "localhost" or raw_host.endswith(".localhost"):
        return []  # a dapp being built on this machine
    try:
        ip = ipaddress.ip_address(raw_host.strip("[]"))
    except ValueError:
        ip = None
    if ip is not None:
        if ip.is_loopback:
            return []
        return [
            OriginSign(
                "caution",
                f"The site has no name, only the numeric address {raw_host[:45]}: real dapps "
                "are reached by a domain name.",
            )
        ]
    return _assess_host(_Host(raw_host), _known_domains(trusted), phishing or {})


def _assess_host(
    h: _Host, known: Mapping[str, str], phishing: Mapping[str, str]
) -> list[OriginSign]:
    signs: list[OriginSign] = []
    shown = _shown(h.host)
    hit = listed_domain(h.host, phishing)
    source = phishing.get(hit, "") if hit else ""
    if hit is None and listed_domain(h.host, bundled_domains()):
        hit, source = h.host, "the phishing list bundled with Warden"
    if hit:
        signs.append(
            OriginSign(
                "danger",
                f"The site {shown} is on {source or 'a phishing list'} as a phishing site.",
            )
        )
    if h.domain is None:
        signs.append(
            OriginSign("caution", f"The site {shown} has no registrable domain name of its own.")
        )
        return signs
    if h.domain in known:
        return signs
    signs.extend(_imitations(h, known))
    bait = _bait(h.words, h.compact)
    brand = _brand(h)
    if brand is not None:
        dapp, strong, exact = brand
        severity: Severity = "danger" if strong or bait else "caution"
        also = f" and the bait word '{bait}'" if bait else ""
        how = f"carries the name of {dapp.name}" if exact else f"reads like {dapp.name}"
        signs.append(
            OriginSign(
                severity,
                f"The site {shown} {how}{also}, but it is not one of {dapp.name}'s sites "
                f"({_domains_text(dapp)}); its domain is {_shown(h.domain)}.",
            )
        )
    elif bait:
        signs.append(
            OriginSign(
                "caution",
                f"The site {shown} uses the bait word '{bait}' (airdrops, claims and free mints "
                "are how drainers lure people) and is not a dapp Warden knows.",
            )
        )
    if h.looks != h.host and not any(s.severity == "danger" for s in signs):
        signs.append(
            OriginSign(
                "caution",
                f"The site's name is written with international letters ({shown} reads as "
                f"{_shown(h.looks)}): such names can imitate another site letter for letter.",
            )
        )
    builder = _builder(h)
    if builder:
        signs.append(
            OriginSign(
                "caution",
                f"The site {shown} is hosted on {builder}, where anyone can publish a page in "
                "minutes; established dapps have a domain of their own.",
            )
        )
    signs.sort(key=lambda s: s.severity != "danger")
    return signs


def _imitations(h: _Host, known: Mapping[str, str]) -> list[OriginSign]:
    """A known domain buried in the host, or spelled with look-alike letters."""
    shown = _shown(h.host)
    if h.looks != h.host and h.looks_domain in known:
        return [
            OriginSign(
                "danger",
                f"The site {shown} uses look-alike letters to pass for {h.looks_domain} "
                f"({known[h.looks_domain or '']}).",
            )
        ]
    padded = "." + h.looks + "."
    for dom, whose in known.items():
        # the host's own domain is not known, so a known domain inside it is a decoy
        if f".{dom}." in padded or f".{dom}-" in padded:
            return [
                OriginSign(
                    "danger",
                    f"The site {shown} contains {dom} ({whose}) but is really a page of "
                    f"{_shown(h.domain or '')}: the real {dom} is only what ends the address.",
                )
            ]
    return []


def _brand(h: _Host) -> tuple[KnownDapp, bool, bool] | None:
    """The known dapp whose name the host carries: (dapp, strong match, spelled exactly)."""
    names = _names()
    for name, dapp in names.names:
        if any(name in c for c in h.compact):
            return dapp, True, True
    parts = set(h.words) | set(h.compact)
    for name, dapp in names.names:
        if any(_near(p, name) for p in parts):
            return dapp, True, False
    for word in h.words:
        if word in names.words:
            return names.words[word], False, True
    return None


def _builder(h: _Host) -> str | None:
    for builder in SITE_BUILDERS:
        if h.host.endswith("." + builder):
            return builder
    return None


def _shown(host: str) -> str:
    from delegates.tx_review.fmt import clean

    return clean(host, 80)
