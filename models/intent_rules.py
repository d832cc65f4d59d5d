"""The deterministic layer: which action a sentence asks for, told from its words, and every
field filled from the sentence's own spans (``models.intent_spans``), never from a default.

``classify`` answers ``None`` when no rule fits; the model is then asked for the action only,
and ``fill`` reads the fields for it just the same.
"""

from __future__ import annotations

import re
from typing import Any

from models.intent_schema import REQUIRED, empty
from models.intent_spans import Span, Spans, occurs

_I = re.IGNORECASE
SECRET_RE = re.compile(
    r"\b(?:seed|recovery|secret|backup)\s+(?:phrase|words?)\b|\bmnemonic\b"
    r"|\bprivate\s+keys?\b|\bsecret\s+keys?\b|\bkeystore\b"
    r"|\b(?:12|24|twelve|twenty[- ]four)\s+words\b",
    _I,
)
_MOVE_RE = re.compile(r"\b(?:send|transfer|move|wire|pay|give)\b", _I)
PRESSURE_RE = re.compile(
    r"\b(?:urgent(?:ly)?|immediately|asap|right\s+now|now\s+or|quick(?:ly)?|hurry"
    r"|or\s+(?:you\s+)?lose|lose\s+(?:it|everything)|in\s+the\s+next\s+\d+"
    r"|before\s+(?:the|it|they|you)\b|locked|suspended|or\s+else|otherwise|drain\w*)\b",
    _I,
)
_EXPLAIN_RE = re.compile(r"\b(?:explain|decode)\b", _I)
_ASK_RE = re.compile(r"\b(?:what|why|how|tell\s+me\s+about|what's|whats)\b", _I)
_TX_RE = re.compile(r"\b(?:tx|txs|transactions?|transfer)\b", _I)
_REVOKE_RE = re.compile(r"\brevoke\w*\b|\b(?:approvals?|allowances?|permissions?)\b", _I)
_ALERT_RE = re.compile(
    r"\b(?:alert|notify|ping|remind|warn)\b|\blet\s+me\s+know\b|\btell\s+me\s+(?:when|if)\b", _I
)
_CONTACT_RE = re.compile(r"\b(?:contacts?|address\s+book)\b", _I)
_CONTACT_VERB_RE = re.compile(r"^\W*(?:please\s+)?(?:add|save|remember|store|put|create)\b", _I)
_SWAP_RE = re.compile(r"\b(?:swap|trade|exchange|convert|sell)\b|\bturn\b.*\binto\b", _I)
_SEND_RE = re.compile(r"\b(?:send|transfer|pay|give|wire|move|shoot)\b(?!\s+me\b)", _I)
_BALANCE_RE = re.compile(
    r"\bbalances?\b|\bhow\s+(?:much|many)\b|\bdo\s+i\s+(?:have|own|hold)\b"
    r"|\bwhat\s+do\s+i\s+(?:have|own|hold)\b|\bholdings\b|\bportfolio\b",
    _I,
)
_MARKET_RE = re.compile(
    r"\bmarkets?\b|\b(?:down|up)?trend\b|\bnews\b|\bbrief\b|\boutlook\b|\bdoing\b"
    r"|\bhappening\b|\bgoing\s+on\b|\bsentiment\b",
    _I,
)
_LAST_RE = re.compile(r"\b(?:last|latest|recent|previous|just)\b", _I)
_ABOVE_RE = re.compile(r"\b(?:above|over|exceeds?|rises?|higher|tops?|up)\b", _I)
_BELOW_RE = re.compile(r"\b(?:below|under|drops?|falls?|dips?|lower|sinks?|down)\b", _I)
# Words after "to", "for" or a verb that are no one's name.
NOT_NAMES = frozenset(
    "me my your you it its them him her us a an the some all any everything someone somebody "
    "money funds tokens token coins crypto this that there here wallet account please".split()
)


def classify(sp: Spans) -> str | None:
    """The action the words ask for, or ``None`` when no rule fits."""
    t = sp.masked
    if SECRET_RE.search(t):
        return "refuse"
    if _MOVE_RE.search(t) and PRESSURE_RE.search(t):
        return "refuse"
    if _EXPLAIN_RE.search(t) or (sp.hashes and not _REVOKE_RE.search(t)):
        return "explain_tx"
    if _ASK_RE.search(t) and _TX_RE.search(t) and not _SEND_RE.match(t.strip()):
        return "explain_tx"
    if _REVOKE_RE.search(t):
        return "revoke"
    if _ALERT_RE.search(t):
        return "price_alert"
    if _CONTACT_RE.search(t) or (_CONTACT_VERB_RE.search(t) and not _SEND_RE.search(t)):
        return "add_contact"
    if _SWAP_RE.search(t):
        return "swap"
    if _SEND_RE.search(t):
        return "send"
    if _BALANCE_RE.search(t):
        return "balance"
    if _MARKET_RE.search(t):
        return "market_brief"
    return None


def refuse_reason(sp: Spans) -> str:
    return "secret" if SECRET_RE.search(sp.masked) else "pressure"


def _name_word(word: str | None, sp: Spans) -> str | None:
    if not word:
        return None
    low = word.lower().strip(".,!?:;")
    if not low or low in NOT_NAMES or low.isdigit():
        return None
    if any(occurs(word, a.value) for a in sp.assets) or low in (
        "ethereum base arbitrum optimism polygon sepolia mainnet".split()
    ):
        return None
    return word.strip(".,!?:;")


def _first(spans: list[Span]) -> str | None:
    return spans[0].value if spans else None


def _recipient(sp: Spans) -> str | None:
    if sp.addresses:
        return sp.addresses[0].value
    if sp.ens:
        return sp.ens[0].value
    if sp.names:
        return sp.names[0].value
    t = sp.masked
    verb = _SEND_RE.search(t)  # "i'd like to send 1 ETH to sofia": the "to" after the verb
    m = re.search(r"\bto\s+(?:the\s+)?([A-Za-z][\w-]*)", t[verb.end() :] if verb else t)
    if m and (name := _name_word(m.group(1), sp)):
        return name
    m = re.search(r"\b(?:pay|give|send|shoot|wire)\s+([A-Za-z][\w-]*)", t, _I)
    return _name_word(m.group(1), sp) if m else None


def _amount_and_asset(sp: Spans) -> tuple[str | None, str | None]:
    if not sp.amounts:
        return None, _first(sp.assets)
    amount = sp.amounts[0]
    following = sp.first_asset_after(amount.end)
    asset = following.value if following else _first(sp.assets)
    return amount.value, asset


def _swap_assets(sp: Spans) -> tuple[str | None, str | None]:
    verb = _SWAP_RE.search(sp.masked)
    start = verb.start() if verb else 0
    link = re.compile(r"\b(?:for|to|into|in)\b|->|→", _I).search(sp.masked, start)
    if link is None:
        return _first(sp.assets), None
    before = [a for a in sp.assets if a.end <= link.start()]
    after = [a for a in sp.assets if a.start >= link.end()]
    return (before[-1].value if before else None), (after[0].value if after else None)


def _contact_name(sp: Spans) -> str | None:
    t = sp.masked
    patterns = [
        r"^\W*(?:please\s+)?(?:add|save)\s+([A-Za-z][\w-]*)\s+as\s+(?:a\s+)?(?:new\s+)?contact",
        r"\bas\s+(?!a\s+contact)([A-Za-z][\w -]*?)\s*(?:in\s+my\s+(?:address\s+book|contacts)"
        r"|to\s+my\s+contacts)?\s*[.!?]*\s*$",
        r"\bunder\s+the\s+name\s+([A-Za-z][\w-]*)",
        r"\b(?:called|named)\s+([A-Za-z][\w-]*)",
        r"\bcontact\s+([A-Za-z][\w-]*)",
    ]
    for pattern in patterns:
        m = re.search(pattern, t, _I)
        if m and (name := _name_word(m.group(1).strip(), sp)):
            if name.lower() not in ("with", "for", "called", "named", "to", "as"):
                return name
    return None


def _spender(sp: Spans) -> str | None:
    if sp.addresses:
        return sp.addresses[0].value
    if sp.ens:
        return sp.ens[0].value
    t = sp.masked
    m = re.search(r"\b([A-Za-z][\w-]*)'s\b", t)
    if m and m.group(1).lower() not in ("it", "that", "what", "who", "there", "here"):
        return m.group(1)
    m = re.search(r"\b(?:for|to|from)\s+(?:the\s+)?([A-Za-z][\w-]*)", t, _I)
    return _name_word(m.group(1), sp) if m else None


def _direction(sp: Spans) -> str | None:
    above, below = bool(_ABOVE_RE.search(sp.masked)), bool(_BELOW_RE.search(sp.masked))
    return "above" if above and not below else "below" if below and not above else None


def fill(action: str, sp: Spans) -> dict[str, Any]:
    """``action`` with every field read from the sentence (``None`` where it gives none)."""
    if action == "send":
        amount, asset = _amount_and_asset(sp)
        return empty(action, amount=amount, asset=asset, recipient=_recipient(sp), chain=sp.chain)
    if action == "swap":
        from_asset, to_asset = _swap_assets(sp)
        return empty(
            action,
            amount=_first(sp.amounts),
            from_asset=from_asset,
            to_asset=to_asset,
            chain=sp.chain,
        )
    if action == "balance":
        return empty(action, asset=_first(sp.assets), chain=sp.chain)
    if action == "add_contact":
        address = _first(sp.addresses) or _first(sp.ens)
        return empty(action, name=_contact_name(sp), address=address)
    if action == "explain_tx":
        which = _first(sp.hashes) or ("last" if _LAST_RE.search(sp.masked) else None)
        return empty(action, which=which)
    if action == "revoke":
        return empty(action, asset=_first(sp.assets), spender=_spender(sp))
    if action == "price_alert":
        return empty(
            action, asset=_first(sp.assets), direction=_direction(sp), price=_first(sp.amounts)
        )
    if action == "market_brief":
        return empty(action, asset=_first(sp.assets))
    if action == "refuse":
        return empty(action, reason=refuse_reason(sp))
    return empty("clarify", missing=["action"], question=question_for("clarify", ["action"]))


_ASKS = {
    "action": "what would you like me to do",
    "amount": "how much (as a number)",
    "asset": "which token",
    "recipient": "to whom (a contact, an ENS name or an address)",
    "from_asset": "which token to give",
    "to_asset": "which token to get",
    "name": "under which name",
    "address": "which address (0x… or an ENS name)",
    "which": "which transaction (your last one, or its hash)",
    "price": "at what price",
}
_VERBS = {
    "send": "send anything",
    "swap": "swap anything",
    "add_contact": "save a contact",
    "explain_tx": "explain a transaction",
    "price_alert": "set an alert",
}


def question_for(action: str, missing: list[str]) -> str:
    asks = ", ".join(_ASKS.get(m, m) for m in missing)
    if action in _VERBS:
        return f"Before I {_VERBS[action]}: {asks}?"
    return f"Sorry, I did not understand: {asks}?"


def missing_fields(action: dict[str, Any]) -> list[str]:
    return [f for f in REQUIRED.get(str(action["action"]), ()) if action.get(f) is None]


def parse_by_rules(sp: Spans) -> dict[str, Any] | None:
    """The action and its fields, or ``None`` when no rule tells the action."""
    kind = classify(sp)
    return None if kind is None else fill(kind, sp)
