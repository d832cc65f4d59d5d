"""Synthetic feedback for the local federated simulation: each simulated user gets a different
seed, so different sentences, names, amounts and addresses (the addresses let the test see
that anonymization happens before training). Written here rather than drawn from
``models/data/intents.jsonl``: that set is the runtime's evaluation set and must stay unseen.
"""

from __future__ import annotations

import random
from typing import Any

NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]
ASSETS = ["ETH", "USDC", "DAI", "WBTC", "USDT"]
CHAINS = ["ethereum", "base", "arbitrum", "optimism", "polygon"]


def synthetic_feedback(user: int, n: int = 6, *, seed: int = 7) -> list[tuple[str, dict[str, Any]]]:
    """``n`` (kind, payload) feedback rows for simulated user ``user``: corrected intent parses."""
    rng = random.Random(seed * 1000 + user)
    rows: list[tuple[str, dict[str, Any]]] = []
    for i in range(n):
        name, asset = rng.choice(NAMES), rng.choice(ASSETS)
        amount = str(rng.choice([1, 2, 5, 10, 25, 0.5, 0.25]))
        chain = rng.choice([*CHAINS, None])
        kind = i % 3
        if kind == 0:
            text = f"send {amount} {asset} to {name}" + (f" on {chain}" if chain else "")
            intent: dict[str, Any] = {
                "action": "send",
                "amount": amount,
                "asset": asset,
                "to": name,
                "chain": chain,
            }
        elif kind == 1:
            other = rng.choice([a for a in ASSETS if a != asset])
            text = f"swap {amount} {asset} for {other}" + (f" on {chain}" if chain else "")
            intent = {
                "action": "swap",
                "amount": amount,
                "from_asset": asset,
                "to_asset": other,
                "chain": chain,
            }
        else:
            address = "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(40))
            text = f"save {address} as {name}"
            intent = {"action": "add_contact", "name": name, "address": address}
        rows.append(("intent", {"text": text, "intent": intent}))
    return rows
