"""Shapes of a site's own name that copies of a project's site take, whoever the project is.

A project registers ``x.finance``, ``x.io`` or ``xnft.com``; whoever copies its site finds
those taken and registers the same words joined by a hyphen (``x-finance.net``, ``x-io.xyz``,
``valhalla-nft.com``), or writes the project's domain without its dot
(``harmonyonebridge.com`` for ``harmony.one``). These work for projects Warden has never
heard of, which is most of what drainers copy. Each check returns the part of the name a
person can look at.

Measured on the labelled set's tune half (2022 phishing hosts, real dapp hosts; see
``bench/data/phishing_origins/SOURCES.md``): a hyphen beside a project word, or any hyphen
on a bulk-registered ending, is in 135 of 600 phishing hosts and 0 of 241 real dapp hosts;
a glued "nft" ending in 46 and 0. Honest projects name themselves ``xswap`` or
``x.finance`` and rarely use a hyphen in the name they register.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Words a project puts after a dot or glues to its name, and that copies join with a hyphen:
# endings written as a word (io, xyz, fi), and what the site is for. Not "chain", "network",
# "coin" or "games": honest chains and studios may hyphenate those, and on the tune half they
# added nothing the other words had not caught.
PROJECT_WORDS = frozenset(
    "io xyz fi org co app apps dapp dapps defi finance protocol protocols labs dao exchange "
    "swap bridge stake staking wallet token tokens nft nfts mint minting airdrop claim "
    "official web3 eth btc usdt usdc".split()
)
_MIN_DOTLESS = 7  # "chainlink" of chain.link; shorter joins ("lifi") happen by chance
_LONGEST_FIRST = tuple(sorted(PROJECT_WORDS, key=len, reverse=True))


def hyphen_project_word(main: str) -> str | None:
    """The project word joined by a hyphen in the site's own name ("valhalla-nft" -> "nft")."""
    parts = main.split("-")
    if len(parts) < 2 or not all(parts):
        return None
    for part in parts:
        if part in PROJECT_WORDS:
            return part
    return None


def hyphen_on_cheap_ending(main: str, tld: str, cheap: Iterable[str]) -> bool:
    """A hyphenated name on an ending registered mostly in bulk ("rekt-skulls.xyz")."""
    return "-" in main.strip("-") and tld in frozenset(cheap)


def glued_nft(main: str) -> str | None:
    """The site's name with "nft" or "nfts" glued to its end ("kryptorianft", "yznfts")."""
    compact = re.sub(r"[^a-z0-9]", "", main)
    m = re.search(r"nfts?$", compact)
    if m is None or m.start() < 2:
        return None  # "nft.com" or "xnft" carries no project name to copy
    return compact[max(0, m.start() - 6) :]


def dotless_domain(host: str, known: Iterable[str]) -> str | None:
    """A known domain written without its dot, or with a hyphen for it, as a site's name
    (``harmonyonebridge.com``, ``revokecash-claim.xyz`` for harmony.one and revoke.cash).
    Only whole: letters around it other than project words ("riskymoney" holds
    "skymoney") do not count."""
    labels = [re.sub(r"[^a-z0-9]", "", label) for label in host.split(".")]
    for domain in known:
        joined = re.sub(r"[^a-z0-9]", "", domain)
        if len(joined) < _MIN_DOTLESS or host == domain or host.endswith("." + domain):
            continue
        for label in labels:
            at = label.find(joined)
            if at >= 0 and _filler(label[:at]) and _filler(label[at + len(joined) :]):
                return domain
    return None


def _filler(text: str) -> bool:
    """Whether ``text`` is nothing but project words and digits ("bridge", "app2")."""
    text = re.sub(r"[0-9]+", "", text)
    while text:
        for word in _LONGEST_FIRST:
            if text.startswith(word):
                text = text[len(word) :]
                break
            if text.endswith(word):
                text = text[: -len(word)]
                break
        else:
            return False
    return True
