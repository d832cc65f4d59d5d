"""The check every free-text answer of the model passes before anyone sees it.

The model may only say what the facts the code computed say: an answer is rejected when it
holds a number, an address or hash, an ENS name, a token symbol or a named person that is
neither in the facts nor in the user's question, or when it claims an action (something was
sent, revoked, approved, set...) — the assistant never acts, so any such claim is false.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_HEX = re.compile(r"0x[0-9a-fA-F]{6,}")
_ENS = re.compile(r"\b[a-z0-9-]+\.eth\b", re.IGNORECASE)
_SYMBOL = re.compile(r"(?<![\w$])\$?[A-Z][A-Z0-9]{1,7}\b")
_NAMED = re.compile(r"\b(?:to|from|with|by|for)\s+([A-Z][a-z]{2,})\b")
# Words in capitals that name no asset, and the symbols any answer about money may use.
_COMMON_CAPS = frozenset(
    "I OK USD EUR ETH BTC NFT NFTS DEX ENS EVM RPC ERC API DAPP DAPPS AI GAS ID PIN URL FAQ "
    "L1 L2 ERC20 ERC721 EIP TX UTC".split()
)
_ACTION_CLAIM = re.compile(
    r"\b(?:I|I've|I'll|we|we've|Warden|the wallet|the assistant|it)\s+(?:have\s+|has\s+|just\s+|"
    r"already\s+|now\s+|successfully\s+)*(?:sent|revoked|approved|signed|transferred|swapped|"
    r"saved|added|created|bought|sold|cancel+ed|executed|completed|submitted|set up|set)\b"
    r"|\b(?:has|have|had)\s+been\s+(?:\w+\s+)?(?:sent|revoked|approved|signed|transferred|"
    r"swapped|executed|completed|saved|added|set|submitted|cancel+ed)\b"
    r"|\b(?:is|are)\s+now\s+(?:revoked|approved|sent|set|saved|done)\b"
    # "the company has revoked ...": a perfect tense of an action by anyone but the user
    # (what the user did is history: "you have sent 0.25 ETH" is a fact, checked above).
    r"|(?<!\byou )(?<!\bYou )\b(?:has|have|had)\s+(?:just\s+|already\s+|now\s+)*(?:revoked|"
    r"approved|signed|swapped|executed|cancel+ed|submitted)\b",
    re.IGNORECASE,
)
FALLBACK = (
    "I can only tell what Warden itself computed, and that answer could not be checked "
    "against your wallet's facts, so I left it out. Ask about your balance, your last "
    "transaction or the market brief, or say what to do: send, revoke an approval, set a "
    "price alert, add a contact."
)


@dataclass(frozen=True)
class Checked:
    ok: bool
    text: str  # the answer when ok, else the fallback
    reasons: tuple[str, ...] = ()


def _norm_number(raw: str) -> str:
    text = raw.replace(",", "")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _numbers(text: str) -> set[str]:
    return {_norm_number(m.group()) for m in _NUMBER.finditer(text)}


def check_answer(answer: str, facts: str, question: str = "") -> Checked:
    """``answer`` if every value in it is in ``facts`` or ``question`` and it claims no
    action; otherwise the fallback, with the reasons (for logs without the values)."""
    known = f"{facts}\n{question}"
    low_known = known.lower()
    reasons: list[str] = []
    known_numbers = _numbers(known)
    if any(n not in known_numbers for n in _numbers(answer)):
        reasons.append("a number not in the facts")
    if any(h.group().lower() not in low_known for h in _HEX.finditer(answer)):
        reasons.append("an address or hash not in the facts")
    if any(e.group().lower() not in low_known for e in _ENS.finditer(answer)):
        reasons.append("an ENS name not in the facts")
    for m in _SYMBOL.finditer(answer):
        word = m.group().lstrip("$")
        if word not in _COMMON_CAPS and word.lower() not in low_known:
            reasons.append("a token symbol not in the facts")
            break
    for m in _NAMED.finditer(answer):
        if m.group(1).lower() not in low_known:
            reasons.append("a name not in the facts")
            break
    if _ACTION_CLAIM.search(answer):
        reasons.append("a claim that an action was carried out")
    if reasons:
        return Checked(False, FALLBACK, tuple(reasons))
    return Checked(True, answer, ())
