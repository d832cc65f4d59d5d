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

from app.lookalike import MAX_HOST, edit_distance, host_of, skeleton
from app.review_types import Severity
from delegates.tx_review.known_dapps import KnownDapp, by_domain, known_dapps
from delegates.tx_review.name_shapes import (
    dotless_domain,
    glued_nft,
    hyphen_on_cheap_ending,
    hyphen_project_word,
)
from delegates.tx_review.suffixes import public_suffix as _public_suffix
from delegates.tx_review.suffixes import registrable
from delegates.tx_review.threat_lists import bundled_domains, listed_domain

# Words phishing pages use to hurry people into signing, next to an unknown host. Longer ones
# match anywhere in a label ("claimblur"); short ones as a word or glued to a word's start or
# end ("freemint"), so that "freedom" or "minter" stay clear.
BAIT_WORDS = (
    "airdrop", "claim", "reward", "giveaway", "bonus", "whitelist", "presale", "restore",
    "validate", "rectify", "mint", "free", "sync", "drop", "refund", "migrate", "recover",
    "unlock", "verify", "official", "event", "promo", "gift", "prize", "winner", "mining",
    "miner", "secure", "auth", "support", "account", "connect", "dapps", "revoke", "update",
    "upgrade", "reveal", "give", "eligible", "eligibility", "checker", "allocation",
)  # fmt: skip
_SHORT_BAIT = 4
# Weaker lures: on their own they say little ("nft" is in many honest names), so they count
# only on a top-level domain that phishing kits favour, or beside another sign.
WEAK_BAIT = ("nft", "nfts", "wallet")
# Top-level domains where most sites that ask for a wallet signature are scams (cheap, bulk
# registrations). Never a sign alone: honest dapps live on .xyz too.
ABUSED_TLDS = frozenset(
    "xyz top site online fun live click cfd sbs store shop space website club cloud icu buzz "
    "wtf art life link pro cc cf ga gq ml tk cyou bond lol rest cam monster quest pw ink "
    "one best us info claims mobi digital world today ltd".split()
)
# Endings registered mostly in bulk for scams (the most-abused lists of Spamhaus and
# Interisle's phishing reports); an unknown site there asking for a signature earns a caution.
# .xyz and .com are abused too, but too many honest dapps live there.
SCAM_TLDS = frozenset(
    "top site online fun live click cfd sbs store shop website cloud icu buzz wtf cyou "
    "bond lol rest cam monster quest pw ink claims cc tk ml ga cf gq club".split()
)
# What phishing domains glue to a chain's or brand's name ("maticbridge", "walletcelo").
# Not "swap", "finance" or "dex": honest dapps name themselves so ("baseswap").
AFFIXES = (
    "bridge", "wallet", "walet", "staker", "staking", "stake", "protocols", "protocol",
    "official", "ethereum", "eth", "usdt", "usdc", "game", "games", "nfts", "nft", "claim",
    "airdrop", "drop", "connect", "portal", "web3",
)  # fmt: skip
# Real words and names that lie within an edit or two of a brand ("bitcoin" ~ "gitcoin").
_COMMON = frozenset(
    "bitcoin bridge wallet finance protocol network exchange token coin swap staking "
    "ethereum polygon capital market markets money labs trade".split()
)

# Where anyone can publish a page in minutes: free hosting and site builders. Hosts under
# a PSL private suffix (vercel.app) and under a plain domain (x.godaddysites.com) alike.
SITE_BUILDERS = (
    "godaddysites.com", "webflow.io", "vercel.app", "netlify.app", "pages.dev", "github.io",
    "gitlab.io", "firebaseapp.com", "web.app", "weebly.com", "weeblysite.com", "wixsite.com",
    "wix.com", "glitch.me", "repl.co", "replit.app", "replit.dev", "herokuapp.com",
    "onrender.com", "fly.dev", "surge.sh", "gitbook.io", "blogspot.com", "wordpress.com",
    "square.site", "squarespace.com", "mystrikingly.com", "strikingly.com", "carrd.co",
    "ipfs.io", "dweb.link", "fleek.co", "on-fleek.app", "4everland.app", "webcindario.com",
    "000webhostapp.com", "azurewebsites.net", "cloudfront.net", "appspot.com", "1gb.ru",
    "r2.dev", "workers.dev", "framer.app", "framer.website", "tilda.ws", "sites.google.com",
    "ngrok.io", "ngrok-free.app", "codeanyway.com", "bubbleapps.io", "hpage.com",
    "webnode.page", "jimdosite.com", "yolasite.com", "site123.me", "odoo.com", "ucoz.net",
)  # fmt: skip
# Labels that end a real address ("com"); in the middle of a host they make a decoy.
_TLD_LABELS = frozenset("com org net io co".split())
DEEP_LABELS = 4  # more labels than this before the registrable domain: a decoy address

# Letter pairs that read as one letter at a glance ("kubersvvap", "elernent").
_ASCII_LOOKALIKES = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_LEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s"})


@dataclass(frozen=True)
class OriginSign:
    severity: Severity  # "caution" or "danger"
    reason: str


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


class _Host:
    """One host, taken apart once for all the checks."""

    def __init__(self, host: str) -> None:
        self.host = _ascii(host)
        self.looks = skeleton(self.host)  # punycode decoded, look-alike letters mapped
        self.domain = registrable(self.host)
        self.looks_domain = registrable(self.looks) if self.looks != self.host else self.domain
        self.suffix = _public_suffix(self.looks)
        head = (
            self.looks[: -len(self.suffix) - 1]
            if self.suffix and self.looks != self.suffix
            else self.looks
        )
        labels = [x for x in head.split(".") if x]
        self.labels = labels
        # the label that makes the registrable domain ("blur" of blur.markets), and the rest
        self.main = labels[-1:] if labels else []
        self.subs = labels[:-1]

    @staticmethod
    def words_of(labels: list[str]) -> list[str]:
        """Words of labels, split at hyphens and between letters and digits ("bayc444")."""
        return [w for label in labels for w in re.findall(r"[a-z]+|[0-9]+", label)]

    @staticmethod
    def compact_of(labels: list[str]) -> list[str]:
        return [re.sub(r"[^a-z0-9]", "", label) for label in labels]


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
    signs = _assess_host(_Host(raw_host), _known_domains(trusted), phishing or {})
    signs.sort(key=lambda s: s.severity != "danger")
    return signs


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
    if h.domain is None or h.domain in known:
        return signs  # a known dapp, or a gateway host (x.eth.link) with no domain of its own
    imitation = _imitation(h, known)
    if imitation:
        return [*signs, imitation]
    bait = _bait(h)
    weak = _weak_bait(h)
    tld = h.suffix.rsplit(".", 1)[-1]
    cheap = tld in ABUSED_TLDS
    builder = _builder(h)
    decoy = _decoy_shape(h)
    shape = _name_shape(h, tld)
    brand = _brand(h)
    if brand is not None:
        dapp, strong, exact, in_main = brand
        others = bool(bait or builder or decoy or shape or (weak and cheap))
        if in_main or others:
            severity: Severity = "danger" if (strong or bait) else "caution"
            also = f" and the bait word '{bait}'" if bait else ""
            how = f"carries the name of {dapp.name}" if exact else f"reads like {dapp.name}"
            signs.append(
                OriginSign(
                    severity,
                    f"The site {shown} {how}{also}, but it is not one of {dapp.name}'s sites "
                    f"({_domains_text(dapp)}); its domain is {_shown(h.domain)}.",
                )
            )
    if bait and not any(s.severity == "danger" for s in signs):
        signs.append(
            OriginSign(
                "caution",
                f"The site {shown} uses the bait word '{bait}' (airdrops, claims, rewards and "
                "free mints are how drainers lure people) and is not a dapp Warden knows.",
            )
        )
    elif shape and not signs:
        signs.append(OriginSign("caution", f"The site {shown} {shape}."))
    elif tld in SCAM_TLDS and not signs:
        signs.append(
            OriginSign(
                "caution",
                f"The site {shown} is not a dapp Warden knows, and its address ends in .{tld}, "
                "an ending registered mostly in bulk for scams.",
            )
        )
    elif weak and cheap and not signs:
        signs.append(
            OriginSign(
                "caution",
                f"The site {shown} pairs the word '{weak}' with a .{h.suffix.rsplit('.', 1)[-1]} "
                "address, the kind bulk-registered for wallet drainers, and is not a dapp "
                "Warden knows.",
            )
        )
    stretched = _stretched(h) if not signs else None
    if stretched:
        signs.append(
            OriginSign(
                "caution",
                f"The site {shown} spells a project word with a doubled letter ('{stretched}'), "
                "the way look-alike names are registered, and is not a dapp Warden knows.",
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
    if decoy:
        signs.append(OriginSign("caution", f"The site {shown} {decoy}."))
    if builder:
        signs.append(
            OriginSign(
                "caution",
                f"The site {shown} is hosted on {builder}, where anyone can publish a page in "
                "minutes; established dapps have a domain of their own.",
            )
        )
    return signs


def _imitation(h: _Host, known: Mapping[str, str]) -> OriginSign | None:
    """A known domain spelled with look-alike letters, or buried in a longer host."""
    shown = _shown(h.host)
    if h.looks != h.host and h.looks_domain in known:
        return OriginSign(
            "danger",
            f"The site {shown} uses look-alike letters to pass for {h.looks_domain} "
            f"({known[h.looks_domain or '']}).",
        )
    padded = "." + h.looks + "."
    for dom, whose in known.items():
        # the host's own domain is not known, so a known domain inside it is a decoy
        if f".{dom}." in padded or f".{dom}-" in padded:
            return OriginSign(
                "danger",
                f"The site {shown} contains {dom} ({whose}) but is really a page of "
                f"{_shown(h.domain or '')}: the real {dom} is only what ends the address.",
            )
    spelled = dotless_domain(h.looks, known)
    if spelled:
        return OriginSign(
            "danger",
            f"The site {shown} spells {spelled} ({known[spelled]}) without its dot, but it "
            f"is really a page of {_shown(h.domain or '')}.",
        )
    return None


def _name_shape(h: _Host, tld: str) -> str | None:
    """How the site's own name is shaped like a copy's (see ``name_shapes``), as a phrase."""
    main = h.main[0] if h.main else ""
    word = hyphen_project_word(main)
    if word:
        return (
            f"joins '{word}' to a name with a hyphen ('{main[:40]}'), the way copies of a "
            "project's site are registered when its own name is taken, and is not a dapp "
            "Warden knows"
        )
    if hyphen_on_cheap_ending(main, tld, ABUSED_TLDS):
        return (
            f"has a hyphenated name on a .{tld} address, the kind registered in bulk for "
            "wallet drainers, and is not a dapp Warden knows"
        )
    glued = glued_nft(main)
    if glued:
        return (
            f"glues 'nft' to the end of its name ('{glued}'), the way copies of a collection's "
            "site are named, and is not a dapp Warden knows"
        )
    return None


def _bait(h: _Host) -> str | None:
    words = _Host.words_of(h.labels)
    compact = _Host.compact_of(h.labels)
    if any("mint" in c and "nft" in c for c in compact):
        return "mint"  # "livemintnfts": a mint next to "nft" is a drop, wherever it sits
    for bait in BAIT_WORDS:
        if len(bait) > _SHORT_BAIT:
            if any(bait in c for c in compact):
                return bait
        elif any(_word_has(w, bait) for w in words):
            return bait
    return None


def _weak_bait(h: _Host) -> str | None:
    if any("nft" in c for c in _Host.compact_of(h.labels)):
        return "nft"
    words = _Host.words_of(h.labels)
    for bait in WEAK_BAIT:
        if any(_word_has(w, bait) for w in words):
            return bait
    return None


# Words of the projects phishing kits copy; a doubled letter in one ("nfft", "cluub", "ciity")
# is how a look-alike of a project's name gets registered (tuned on the labelled set's 2022
# half: 12 more of 600 phishing hosts, none of 241 real dapps).
STRETCHED_WORDS = (
    "nft", "nfts", "club", "city", "apes", "ape", "swap", "punks", "land", "doge", "finance",
    "mint", "dao", "verse", "meta", "token", "coin", "wallet", "stake", "bridge", "game",
    "games", "labs", "world", "town", "pass", "cats", "eggs", "squad", "genesis", "society",
    "pills", "skulls", "space", "kicks",
)  # fmt: skip


def _stretched(h: _Host) -> str | None:
    """A project word written with a doubled letter in the site's own name ("nfft")."""
    label = (h.domain or h.host).split(".")[0]
    for m in re.finditer(r"([a-z])\1+", label):
        fixed = label[: m.start()] + m.group(1) + label[m.end() :]
        for word in STRETCHED_WORDS:
            if word in fixed and word not in label:
                return label[max(0, m.start() - 3) : m.end() + 3]
    return None


def _word_has(word: str, bait: str) -> bool:
    """A short bait word as the word itself or glued to its start or end ("freemint")."""
    return word == bait or (len(word) <= 12 and (word.startswith(bait) or word.endswith(bait)))


def _near(part: str, name: str) -> bool:
    """``part`` reads like ``name`` with a letter or two changed (or digits for letters)."""
    if part == name or len(name) < 5 or part in _COMMON:
        return False
    if part.translate(_LEET) == name.translate(_LEET):
        return True
    folded = _fold(part)
    return _few_edits(part, name) or (folded != part and _few_edits(folded, _fold(name)))


def _few_edits(part: str, name: str) -> bool:
    if part[:1] != name[:1]:
        return False  # "zyberswap" is another dapp, not a typo of "kyberswap"
    limit = 2 if len(name) >= 10 else 1
    return edit_distance(part, name, limit) <= limit


def _fold(text: str) -> str:
    for pair, letter in _ASCII_LOOKALIKES:
        text = text.replace(pair, letter)
    return text


def _near_inside(label: str, name: str) -> bool:
    """A stretch of ``label`` reads like ``name`` ("meebiitsnfts" ~ "meebits")."""
    if len(name) < 7 or len(label) <= len(name) + 1:
        return False
    for word in _COMMON:  # "eternalfinance" holds "inance", one edit from "binance"
        label = label.replace(word, "-")
    grams = {name[i : i + 2] for i in range(len(name) - 1)}
    if sum(1 for i in range(len(label) - 1) if label[i : i + 2] in grams) < len(grams) * 0.6:
        return False
    for size in (len(name) - 1, len(name), len(name) + 1):
        for i in range(len(label) - size + 1):
            if _near(label[i : i + size], name):
                return True
    return False


def _brand(h: _Host) -> tuple[KnownDapp, bool, bool, bool] | None:
    """The known dapp whose name the host carries: (dapp, strong match, spelled exactly,
    in the label that makes the domain rather than only in a subdomain)."""
    names = _names()
    for labels, in_main in ((h.main, True), (h.subs, False)):
        compact = _Host.compact_of(labels)
        words = _Host.words_of(labels)
        for name, dapp in names.names:
            if any(name in c for c in compact):
                return dapp, True, True, in_main
        parts = set(words) | set(compact)
        for name, dapp in names.names:
            if any(_near(p, name) for p in parts) or any(_near_inside(c, name) for c in compact):
                return dapp, True, False, in_main
        for word in words:
            if word in names.words:
                return names.words[word], False, True, in_main
        for label in compact:
            for word, dapp in names.words.items():
                if len(word) >= 4 and word in label and _only_affixes(label.replace(word, "", 1)):
                    return dapp, False, True, in_main
    return _doubled_brand(h)


def _doubled_brand(h: _Host) -> tuple[KnownDapp, bool, bool, bool] | None:
    """A known dapp's name written with a letter doubled in the site's own name ("currve",
    "oppenseq"): undoubled, it carries or reads like the name."""
    names = _names()
    for label in h.main:
        for m in re.finditer(r"([a-z])\1+", label):
            fixed = label[: m.start()] + m.group(1) + label[m.end() :]
            parts = {*fixed.split("-"), fixed.replace("-", "")}
            for name, dapp in names.names:
                if any((len(name) >= 4 and name in p) or _near(p, name) for p in parts):
                    return dapp, True, False, True
            for word, dapp in names.words.items():
                if any(
                    len(word) >= 4 and word in p and _only_affixes(p.replace(word, "", 1))
                    for p in parts
                ):
                    return dapp, False, False, True
    return None


def _only_affixes(rest: str) -> bool:
    """Whether ``rest`` is nothing but affixes and digits ("bridge", "staker", "v3")."""
    rest = re.sub(r"[0-9]+|v[0-9]+", "", rest)
    while rest:
        for affix in AFFIXES:
            if rest.startswith(affix):
                rest = rest[len(affix) :]
                break
            if rest.endswith(affix):
                rest = rest[: -len(affix)]
                break
        else:
            return False
    return True


def _decoy_shape(h: _Host) -> str | None:
    """An address shaped to hide where it leads: a ".com" in its middle, or many labels."""
    for label in h.subs + h.main:
        if label in _TLD_LABELS or any(label.startswith(t + "-") for t in ("com", "org", "io")):
            real = _shown(h.domain or "")
            return f"has '{label}' in the middle of its address, so its real domain is {real}"
    if len(h.subs) > DEEP_LABELS:
        return f"hides its real domain {_shown(h.domain or '')} behind {len(h.subs)} other names"
    return None


def _builder(h: _Host) -> str | None:
    for builder in SITE_BUILDERS:
        if h.host.endswith("." + builder):
            return builder
    return None


def _shown(host: str) -> str:
    from delegates.tx_review.fmt import clean

    return clean(host, 80)
