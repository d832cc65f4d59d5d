"""A bundled list of well-known, source-verified contracts.

The app reviews against the user's own RPC node, which cannot say whether a contract's source
is verified; without this list every approval to Permit2 or a DEX router would read as an
approval to an unverified contract. Only verification comes from here: code and age are still
read from the node, so an address on a chain where it has no code gains nothing.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def _table() -> dict[str, dict[str, str]]:
    raw = json.loads(resources.files(__package__).joinpath("known_contracts.json").read_text())
    return {
        chain: {addr.lower(): label for addr, label in entries.items()}
        for chain, entries in raw.items()
        if not chain.startswith("_")
    }


def known_contract(chain_id: int | None, address: str) -> str | None:
    """The label of a well-known verified contract at ``address`` on ``chain_id``, or None."""
    table = _table()
    key = address.lower()
    if chain_id is not None and key in table.get(str(chain_id), {}):
        return table[str(chain_id)][key]
    return table["*"].get(key)


def all_entries() -> dict[str, dict[str, str]]:
    return _table()
