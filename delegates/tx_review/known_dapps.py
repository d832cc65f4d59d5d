"""The bundled list of well-known dapps, wallets, explorers and chains and their real domains.

Every user starts with it: without it the origin checks would have nothing to compare a site
against, since the user's own ``trusted_origins`` table starts empty. Each entry carries the
URL where its domains can be checked (``known_dapps.json``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class KnownDapp:
    name: str
    category: str
    domains: tuple[str, ...]  # registrable domains: every subdomain belongs to the dapp
    names: tuple[str, ...]  # brand words no other site has a reason to carry
    words: tuple[str, ...]  # brand names that are also common words: whole words only
    source: str


@cache
def known_dapps() -> tuple[KnownDapp, ...]:
    raw = json.loads(resources.files(__package__).joinpath("known_dapps.json").read_text())
    return tuple(
        KnownDapp(
            name=e["name"],
            category=e["category"],
            domains=tuple(d.lower() for d in e["domains"]),
            names=tuple(n.lower() for n in e.get("names", ())),
            words=tuple(w.lower() for w in e.get("words", ())),
            source=e["source"],
        )
        for e in raw["dapps"]
    )


@cache
def by_domain() -> dict[str, KnownDapp]:
    """Registrable domain -> the dapp it belongs to."""
    return {d: dapp for dapp in known_dapps() for d in dapp.domains}


def dapp_of_domain(registrable: str) -> KnownDapp | None:
    return by_domain().get(registrable.lower())
