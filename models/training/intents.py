"""Intent-parsing examples in the first schema, kept for the older ``warden train data``.

The action schema (ten actions) has its own generator: ``models.training.intent_actions``.
Here: a sentence a user types, and the wallet action it means.

Actions follow the runtime's ``models.intents.INTENT_SCHEMA`` (send, swap, add_contact,
check_balance, explain_last_tx, clarify; ``chain`` is null when the sentence names none).

Built from templates with random names, amounts, assets and chains, and kept disjoint from
the runtime's labelled evaluation set (``models/data/intents.jsonl``): any generated sentence
that also appears there is dropped.
"""

from __future__ import annotations

import random
from typing import Any

NAMES = [
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "mallory",
    "nina",
    "oscar",
    "peggy",
    "rupert",
    "sybil",
    "trent",
    "victor",
    "wendy",
]
ASSETS = ["ETH", "USDC", "USDT", "DAI", "WETH", "LINK", "UNI", "ARB", "OP", "POL", "WBTC"]
CHAINS = {
    "ethereum": "ethereum",
    "base": "base",
    "arbitrum": "arbitrum",
    "optimism": "optimism",
    "polygon": "polygon",
}

SEND = [
    "send {amount} {asset} to {name}",
    "please send {amount} {asset} to {name}{on}",
    "transfer {amount} {asset} to {name}{on}",
    "pay {name} {amount} {asset}{on}",
    "can you send {name} {amount} {asset}{on}?",
    "move {amount} {asset} over to {name}{on}",
    "give {name} {amount} {asset}",
]
SWAP = [
    "swap {amount} {asset} for {asset2}{on}",
    "trade {amount} {asset} into {asset2}{on}",
    "exchange {amount} {asset} to {asset2}",
    "convert {amount} {asset} to {asset2}{on}",
    "i want to swap {amount} {asset} for some {asset2}",
]
CONTACT = [
    "add {name} as a contact with address {address}",
    "save {address} as {name}",
    "new contact {name}: {address}",
    "remember {address} as {name} in my address book",
]
BALANCE = [
    "what's my {asset} balance{on}?",
    "how much {asset} do I have{on}",
    "show my balance{on}",
    "check my {asset} balance",
    "balance?",
]
EXPLAIN = [
    "explain my last transaction",
    "what did my last transaction do?",
    "why did my last transaction cost so much",
    "tell me about the last tx",
]
AMBIGUOUS = [
    ("send some {asset} to {name}", "How much {asset} should I send to {name}?"),
    ("send {amount} to {name}", "Which asset should I send: {amount} of what?"),
    ("send {amount} {asset}", "Who should receive the {amount} {asset}?"),
    ("swap my {asset}", "How much {asset} should I swap, and for which asset?"),
    ("pay {name}", "How much, and in which asset, should I pay {name}?"),
]


def _amount(rng: random.Random) -> str:
    return rng.choice(
        [
            str(rng.randint(1, 500)),
            f"{rng.randint(0, 20)}.{rng.randint(1, 99)}",
            f"0.{rng.randint(1, 9)}{rng.randint(0, 9)}",
        ]
    )


def make_intent(rng: random.Random) -> tuple[str, dict[str, Any]]:
    """One sentence and its action (``clarify`` with a question when it is ambiguous)."""
    name = rng.choice(NAMES)
    asset, asset2 = rng.sample(ASSETS, 2)
    amount = _amount(rng)
    chain_word = rng.choice([None, None, *CHAINS])
    on = f" on {chain_word}" if chain_word else ""
    chain = CHAINS[chain_word] if chain_word else None
    address = f"0x{rng.getrandbits(160):040x}"
    kind = rng.choices(
        ["send", "swap", "contact", "balance", "explain", "ambiguous"],
        weights=[4, 3, 1.5, 1.5, 1, 2],
    )[0]
    fill = {
        "amount": amount,
        "asset": asset,
        "asset2": asset2,
        "name": name,
        "on": on,
        "address": address,
    }
    if kind == "send":
        action: dict[str, Any] = {"action": "send", "amount": amount, "asset": asset, "to": name}
        action["chain"] = None
        text = rng.choice(SEND)
    elif kind == "swap":
        action = {"action": "swap", "amount": amount, "from_asset": asset, "to_asset": asset2}
        action["chain"] = None
        text = rng.choice(SWAP)
    elif kind == "contact":
        action = {"action": "add_contact", "name": name, "address": address}
        text, chain = rng.choice(CONTACT), None
    elif kind == "balance":
        text = rng.choice(BALANCE)
        action = {"action": "check_balance", "asset": asset if "{asset}" in text else None}
        action["chain"] = None
    elif kind == "explain":
        text, chain = rng.choice(EXPLAIN), None
        action = {"action": "explain_last_tx"}
    else:
        text, question = rng.choice(AMBIGUOUS)
        action = {"action": "clarify", "question": question.format(**fill)}
        chain = None
    if chain and "{on}" in text:
        action["chain"] = chain
    elif "{on}" not in text:
        fill["on"] = ""
    sentence = text.format(**fill)
    if rng.random() < 0.3:
        sentence = sentence[0].upper() + sentence[1:]
    return sentence, action
