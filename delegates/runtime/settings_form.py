"""A delegate's settings as a form: one field per field of its typed settings dataclass.

The window draws each field as text (numbers of any size included: no spin box limits) and
hands the texts back here, where they become typed values or a message in the user's words
that names the field and says what to type. Optional values are shown empty; mappings and
lists (alert rules) are edited as JSON text that starts as ``{}`` or ``[]``.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, get_type_hints

from app.errors import DelegateError, InvalidInput
from app.wallet.amounts import CANONICAL, NumberFormat, normalize_amount, to_input_text

KINDS = ("bool", "int", "float", "text", "list", "json")
_EXAMPLES = {
    "alert_rules": '{"ETH/USD": {"price_above": 4000, "rsi_high": 75}}',
    "symbols": "BTC/USD, ETH/USD",
}


@dataclass(frozen=True)
class SettingField:
    name: str
    label: str
    kind: str  # one of KINDS
    optional: bool
    value: Any  # the current typed value (None where optional and unset)
    container: str = ""  # "{}" or "[]" for json fields
    example: str = ""


_LABELS = {
    "threshold_gwei": "Threshold (gwei)",
    "dust_native_wei": "Dust, native coin (wei)",
    "dust_token_units": "Dust, tokens (base units)",
    "portfolio_drawdown_pct": "Portfolio drawdown (%)",
    "propose_at_risk": "Propose a revoke from risk score",
}


def label_for(name: str) -> str:
    return _LABELS.get(name) or name.replace("_", " ").capitalize()


def _kind(hint: Any) -> tuple[str, bool, str]:
    """(kind, optional, container) for a type hint."""
    args = typing.get_args(hint)
    optional = False
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        optional = len(rest) < len(args)
        hint = rest[0] if len(rest) == 1 else Any
    base = typing.get_origin(hint) or hint
    if base is bool:
        return "bool", optional, ""
    if base is int:
        return "int", optional, ""
    if base is float:
        return "float", optional, ""
    if base is str:
        return "text", optional, ""
    if base is tuple and all(a in (str, Ellipsis) for a in typing.get_args(hint)):
        return "list", optional, ""
    if base in (list, tuple):
        return "json", optional, "[]"
    return "json", optional, "{}"


def describe(settings_type: type, stored: dict[str, Any] | None = None) -> tuple[SettingField, ...]:
    """The fields of ``settings_type`` with their current values (defaults under ``stored``)."""
    if not dataclasses.is_dataclass(settings_type):
        return ()
    hints = get_type_hints(settings_type)
    stored = dict(stored or {})
    out = []
    for f in dataclasses.fields(settings_type):
        kind, optional, container = _kind(hints[f.name])
        if f.name in stored:
            value = stored[f.name]
        elif f.default is not dataclasses.MISSING:
            value = f.default
        elif f.default_factory is not dataclasses.MISSING:
            value = f.default_factory()
        else:
            value = None
        if isinstance(value, tuple):
            value = list(value)
        example = _EXAMPLES.get(f.name, container)
        out.append(
            SettingField(f.name, label_for(f.name), kind, optional, value, container, example)
        )
    return tuple(out)


def describe_values(values: dict[str, Any]) -> tuple[SettingField, ...]:
    """Fields guessed from stored values, where the settings' type is not at hand."""
    out = []
    for name, value in values.items():
        if isinstance(value, bool):
            kind, container = "bool", ""
        elif isinstance(value, int):
            kind, container = "int", ""
        elif isinstance(value, float):
            kind, container = "float", ""
        elif isinstance(value, str):
            kind, container = "text", ""
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            kind, container, value = "list", "", list(value)
        else:
            kind, container = "json", "[]" if isinstance(value, list | tuple) else "{}"
        out.append(SettingField(name, label_for(name), kind, value is None, value, container))
    return tuple(out)


def text_of(field: SettingField, fmt: NumberFormat = CANONICAL) -> str:
    """What the editor shows for ``field``'s value (numbers in the user's locale, no groups)."""
    value = field.value
    if field.kind == "json":
        return field.container if value is None else json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    if field.kind == "list":
        return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    if field.kind in ("int", "float") and not isinstance(value, bool):
        try:
            plain = format(Decimal(repr(value) if field.kind == "float" else int(value)), "f")
            return to_input_text(plain, fmt)
        except (InvalidInput, ArithmeticError, ValueError, TypeError):
            return str(value)
    return str(value)


def read(field: SettingField, raw: str | bool, fmt: NumberFormat = CANONICAL) -> Any:
    """The typed value of one field from what the editor holds; DelegateError says why not."""
    if field.kind == "bool":
        return bool(raw)
    text = str(raw).strip()
    if field.optional and (not text or (field.kind == "json" and text == field.container)):
        return None
    what = field.label.lower()
    if field.kind in ("int", "float"):
        if not text:
            raise DelegateError(
                f"{field.label} is empty.", hint=f"Type a number, e.g. {text_of(field, fmt)}."
            )
        try:
            plain = normalize_amount(text, fmt, what=what)
        except InvalidInput as exc:
            raise DelegateError(f"{field.label}: {exc}", hint=exc.hint) from None
        if field.kind == "float":
            return float(plain)
        if "." in plain:
            raise DelegateError(
                f"{field.label} must be a whole number; {text!r} has decimals.",
                hint=f"Type a whole number such as {plain.split('.')[0]}.",
            )
        return int(plain)
    if field.kind == "list":
        return [t.strip() for t in text.split(",") if t.strip()]
    if field.kind == "json":
        if not text:
            text = field.container
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise DelegateError(
                f"{field.label} is not valid JSON ({_json_reason(exc)}).",
                hint=f"Write it like this: {field.example or field.container}",
            ) from None
        want = list if field.container == "[]" else dict
        if not isinstance(value, want):
            shape = "a list in [ ]" if want is list else "an object in { }"
            raise DelegateError(
                f"{field.label} must be {shape}.",
                hint=f"Write it like this: {field.example or field.container}",
            )
        return value
    return text


def _json_reason(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg.lower()} at line {exc.lineno}, column {exc.colno}"
    return str(exc)


def read_form(
    fields: tuple[SettingField, ...] | list[SettingField],
    raw: dict[str, str | bool],
    fmt: NumberFormat = CANONICAL,
) -> dict[str, Any]:
    """Every field's typed value, or one DelegateError that lists every field in error."""
    out: dict[str, Any] = {}
    problems: list[DelegateError] = []
    for field in fields:
        if field.name not in raw:
            continue
        try:
            out[field.name] = read(field, raw[field.name], fmt)
        except DelegateError as exc:
            problems.append(exc)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise DelegateError(
            "Nothing was saved: " + " ".join(str(p) for p in problems),
            hint=" ".join(p.hint for p in problems if p.hint),
        )
    return out
