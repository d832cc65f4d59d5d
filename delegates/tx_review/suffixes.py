"""Registrable domains and public suffixes, from ``publicsuffixlist``'s bundled copy of the
Public Suffix List (never downloaded). Both the origin checks and the list checks use them."""

from __future__ import annotations

from functools import cache
from typing import Any


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


def public_suffix(host: str) -> str:
    try:
        return str(_psl().publicsuffix(host) or "")
    except Exception:
        return ""
