"""Explorer APIs for what the node cannot answer: optional, off by default, per network.

Two adapters speak the same ``module=account`` API: a Blockscout instance (``/api``, no key)
and an Etherscan-compatible one (the user's own key, kept in the encrypted store). A scan asks
one only where the node falls short: past state it does not keep (the fallback path of
``app.wallet.history_scan``) and native coin a contract sent inside a transaction (internal
transfers) where the node has no traces. What an explorer is sent is this account's address
and a block range (and the key), nothing else, and the scan report says so.

An explorer is an outsider: its answers are checked like a node's (``answers``), a wrong one
is refused whole, and its rows never count as transactions the user signed (``fill``).
"""

from __future__ import annotations

from app.wallet.explorers.api import Explorer, explorer_for
from app.wallet.explorers.settings import ExplorerSettings, check, load, save, turn_off

__all__ = ["Explorer", "ExplorerSettings", "check", "explorer_for", "load", "save", "turn_off"]
