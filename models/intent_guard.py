"""The last check before an action leaves ``models``: every value must occur in the sentence
(or, for a name, among the wallet's names as written there). A value that does not is dropped,
and a required field left empty turns the action into a question back."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from models.intent_rules import missing_fields, question_for
from models.intent_schema import FIELDS, empty
from models.intent_spans import Spans, occurs

_NUMBERS = ("amount", "price")
_SYMBOLS = ("asset", "from_asset", "to_asset")
_WORDS = ("recipient", "name", "spender")


def _same_number(a: str, b: str) -> bool:
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


def grounded(key: str, value: Any, sp: Spans) -> bool:
    """``value`` for field ``key`` is read from this sentence."""
    if value is None:
        return True
    text = str(value)
    if key in _NUMBERS:
        return any(_same_number(text, a.value) for a in sp.amounts)
    if key in _SYMBOLS:
        return any(text.upper() == a.value for a in sp.assets)
    if key == "chain":
        return text == sp.chain
    if key == "address":
        return any(text.lower() == s.value.lower() for s in sp.addresses + sp.ens)
    if key == "which":
        return text == "last" or any(text.lower() == h.value.lower() for h in sp.hashes)
    if key in _WORDS:
        return occurs(sp.text, text)
    return key in ("direction", "reason", "missing", "question")


def check(action: dict[str, Any], sp: Spans) -> dict[str, Any]:
    """``action`` with only grounded values; a clarify when a required one is then missing."""
    kind = str(action.get("action"))
    if kind not in FIELDS:
        return empty("clarify", missing=["action"], question=question_for("clarify", ["action"]))
    if kind == "clarify":
        missing = [str(m) for m in action.get("missing") or ["action"]]
        return empty(kind, missing=missing, question=question_for(kind, missing))
    kept = {k: v for k, v in action.items() if k in FIELDS[kind] and grounded(k, v, sp)}
    out = empty(kind, **kept)
    missing = missing_fields(out)
    if missing:
        return empty("clarify", missing=missing, question=question_for(kind, missing))
    return out
