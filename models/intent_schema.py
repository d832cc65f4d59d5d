"""One action schema for everything the wallet can do, and how two actions are compared.

Every action carries exactly its fields; a field the sentence does not give is ``None``. The
schema is what the model's decoding is constrained to (a llama.cpp grammar) and what every
answer, from the rules or the model, is validated against before it leaves ``models``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import jsonschema

CHAINS = ("ethereum", "base", "arbitrum", "optimism", "polygon", "sepolia")

# action -> its fields, in the order they are shown
FIELDS: dict[str, tuple[str, ...]] = {
    "send": ("amount", "asset", "recipient", "chain"),
    "swap": ("amount", "from_asset", "to_asset", "chain"),
    "balance": ("asset", "chain"),
    "add_contact": ("name", "address"),
    "explain_tx": ("which",),
    "revoke": ("asset", "spender"),
    "price_alert": ("asset", "direction", "price"),
    "market_brief": ("asset",),
    "clarify": ("missing", "question"),
    "refuse": ("reason",),
}
ACTIONS = tuple(FIELDS)
# Without these the action cannot be carried out: a sentence that lacks one is a question back.
REQUIRED: dict[str, tuple[str, ...]] = {
    "send": ("amount", "asset", "recipient"),
    "swap": ("amount", "from_asset", "to_asset"),
    "add_contact": ("name", "address"),
    "explain_tx": ("which",),
    "price_alert": ("asset", "price"),
}
REFUSE_REASONS = ("secret", "pressure")

# Patterns use [.] for a dot: llama.cpp's grammar parser rejects the escape "\\.".
_DECIMAL = {"type": "string", "pattern": "^[0-9]+([.][0-9]+)?$"}
_SYMBOL = {"type": "string", "pattern": "^[A-Z][A-Z0-9]{1,9}$"}
_TEXT = {"type": "string", "minLength": 1}
_CHAIN = {"enum": [*CHAINS, None]}
_ADDRESS = {"type": "string", "pattern": "^(0x[0-9a-fA-F]{40}|[a-z0-9][a-z0-9-]*[.]eth)$"}
_SLOTS = {f for fields in FIELDS.values() for f in fields} - {"missing", "question", "reason"}
_FIELD_NAMES = sorted(_SLOTS | {"action"})


def _opt(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_PROPS: dict[str, dict[str, dict[str, Any]]] = {
    "send": {
        "amount": _opt(_DECIMAL),
        "asset": _opt(_SYMBOL),
        "recipient": _opt(_TEXT),
        "chain": _CHAIN,
    },
    "swap": {
        "amount": _opt(_DECIMAL),
        "from_asset": _opt(_SYMBOL),
        "to_asset": _opt(_SYMBOL),
        "chain": _CHAIN,
    },
    "balance": {"asset": _opt(_SYMBOL), "chain": _CHAIN},
    "add_contact": {"name": _opt(_TEXT), "address": _opt(_ADDRESS)},
    "explain_tx": {
        "which": _opt({"anyOf": [{"enum": ["last"]}, {"pattern": "^0x[0-9a-fA-F]{64}$"}]})
    },
    "revoke": {"asset": _opt(_SYMBOL), "spender": _opt(_TEXT)},
    "price_alert": {
        "asset": _opt(_SYMBOL),
        "direction": {"enum": ["above", "below", None]},
        "price": _opt(_DECIMAL),
    },
    "market_brief": {"asset": _opt(_SYMBOL)},
    "clarify": {
        "missing": {"type": "array", "items": {"enum": _FIELD_NAMES}},
        "question": {"type": "string", "minLength": 5},
    },
    "refuse": {"reason": {"enum": list(REFUSE_REASONS)}},
}


def _branch(action: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"action": {"enum": [action]}, **_PROPS[action]},
        "required": ["action", *FIELDS[action]],
        "additionalProperties": False,
    }


ACTION_SCHEMA: dict[str, Any] = {"oneOf": [_branch(a) for a in ACTIONS]}
# What the model is asked for when the rules cannot tell the action: only the action, so it
# cannot invent a value (the slots are then read from the sentence by code).
ACTION_ONLY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"action": {"enum": list(ACTIONS)}},
    "required": ["action"],
    "additionalProperties": False,
}


_VALIDATOR = jsonschema.Draft202012Validator(ACTION_SCHEMA)  # built once, not per call


def validate_action(action: dict[str, Any]) -> None:
    """``jsonschema.ValidationError`` unless ``action`` has exactly its action's fields."""
    _VALIDATOR.validate(action)


def empty(action: str, **values: Any) -> dict[str, Any]:
    """An action with every field present (``None`` unless given)."""
    out: dict[str, Any] = {"action": action}
    for name in FIELDS[action]:
        out[name] = values.get(name)
    return out


def normalize_action(action: dict[str, Any], *, strict_clarify: bool = True) -> dict[str, Any]:
    """The comparable core: letter case, number spelling, a question's or a refusal's wording
    do not count; a clarify's missing fields do unless ``strict_clarify`` is off."""
    kind = str(action.get("action"))
    if kind == "refuse":
        return {"action": kind}
    if kind == "clarify":
        if not strict_clarify:
            return {"action": kind}
        return {"action": kind, "missing": sorted(str(m) for m in action.get("missing") or [])}
    out: dict[str, Any] = {"action": kind}
    for key in FIELDS.get(kind, ()):
        value = action.get(key)
        if value is None:
            out[key] = None
        elif key in ("amount", "price"):
            try:
                out[key] = format(Decimal(str(value)).normalize(), "f")
            except InvalidOperation:
                out[key] = str(value)
        elif key in ("asset", "from_asset", "to_asset"):
            out[key] = str(value).upper()
        else:
            out[key] = str(value).strip().lower()
    return out


def from_legacy(action: dict[str, Any]) -> dict[str, Any]:
    """The first parser's object (``models.intents.INTENT_SCHEMA``) in this schema, so the two
    can be measured on the same labels."""
    kind = action.get("action")
    if kind == "send":
        return empty(
            "send",
            amount=action.get("amount"),
            asset=action.get("asset"),
            recipient=action.get("to"),
            chain=action.get("chain"),
        )
    if kind == "check_balance":
        return empty("balance", asset=action.get("asset"), chain=action.get("chain"))
    if kind == "explain_last_tx":
        return empty("explain_tx", which="last")
    if kind in ("swap", "add_contact"):
        return empty(str(kind), **{k: v for k, v in action.items() if k != "action"})
    return empty("clarify", missing=[], question=str(action.get("question") or "?"))
