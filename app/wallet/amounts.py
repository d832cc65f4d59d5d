"""Amounts: text a person typed <-> integer base units, exactly (digits, never float).

One parser for the desktop app and the command line. It reads numbers the way the person's
locale writes them (``NumberFormat``: the decimal and the group separator; the window takes
them from Qt's locale, the command line from ``LC_ALL``/``LC_NUMERIC``/``LANG``) and is strict:
text that one convention reads as 1.5 and another as 1500 is refused with a message that says
what to type, never guessed at. A comma is never dropped.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from app.errors import InvalidInput

UINT256_MAX = 2**256 - 1
_DIGITS = re.compile(r"^[0-9]+$")
_EXPONENT = re.compile(r"^[0-9.,]*[0-9][eE][+-]?[0-9]+$")
_SPACES = " \u00a0\u202f"
_APOSTROPHES = "'\u2019"
_NAMES = {",": "a comma (“,”)", ".": "a dot (“.”)"}
_NOT_NUMBERS = {"nan", "snan", "qnan", "inf", "+inf", "infinity", "+infinity", "∞"}


@dataclass(frozen=True)
class NumberFormat:
    """How a locale writes numbers. ``group`` "" means the format has no thousands separator.

    ``typed`` is True for text a person typed (the ambiguity rules apply) and False for the
    canonical text programs write (digits, at most one dot, no separators)."""

    decimal: str = "."
    group: str = ""
    name: str = ""
    typed: bool = True

    @property
    def label(self) -> str:
        if not self.typed:
            return "the plain number format"
        return f"your language settings ({self.name})" if self.name else "your language settings"

    def example(self) -> str:
        """1234.5 as this format writes it."""
        return f"1{self.group}234{self.decimal}5" if self.group else f"1234{self.decimal}5"


CANONICAL = NumberFormat(".", "", "", typed=False)
ENGLISH = NumberFormat(".", ",", "en_US")
GERMAN = NumberFormat(",", ".", "de_DE")

# The separators of common locales, for the command line (Python's ``locale`` module would
# need the locale installed and changes process-wide state). Unknown: dot, no groups - strict.
_COMMA_DECIMAL_DOT_GROUP = "de da el es id it nl pt ro sl sr tr vi hr ca eu gl is".split()
_COMMA_DECIMAL_SPACE_GROUP = "fr cs sk sv fi nb nn no pl ru uk bg hu lt lv et be kk".split()
_BY_TERRITORY = {
    "de_CH": (".", "\u2019"),
    "it_CH": (".", "\u2019"),
    "fr_CH": (",", "\u202f"),
    "es_MX": (".", ","),
    "es_US": (".", ","),
    "pt_BR": (",", "."),
    "en_ZA": (",", "\u00a0"),
    "en_IN": (".", ","),
}


def format_for_locale_name(name: str) -> NumberFormat:
    """The separators for a POSIX locale name such as ``de_DE.UTF-8`` (``C``: dot, no groups)."""
    base = name.split(".")[0].split("@")[0]
    lang = base.split("_")[0].lower()
    if base in _BY_TERRITORY:
        decimal, group = _BY_TERRITORY[base]
    elif lang in _COMMA_DECIMAL_DOT_GROUP:
        decimal, group = ",", "."
    elif lang in _COMMA_DECIMAL_SPACE_GROUP:
        decimal, group = ",", "\u00a0"
    elif lang in ("", "c", "posix"):
        decimal, group = ".", ""
    else:  # en, ja, zh, ko, he, th, hi, ... write 1,234.5
        decimal, group = ".", ","
    return NumberFormat(decimal, group, base or "C")


def format_from_environment(env: dict[str, str] | None = None) -> NumberFormat:
    """The command line's format: the first of LC_ALL, LC_NUMERIC, LANG that is set."""
    env = dict(os.environ) if env is None else env
    for key in ("LC_ALL", "LC_NUMERIC", "LANG"):
        if env.get(key):
            return format_for_locale_name(env[key])
    return format_for_locale_name("C")


def _show(digits_whole: str, frac: str, fmt: NumberFormat) -> str:
    return f"{digits_whole}{fmt.decimal}{frac}" if frac else digits_whole


def _refuse(message: str, hint: str) -> InvalidInput:
    return InvalidInput(message, hint=hint)


def normalize_amount(
    text: str, fmt: NumberFormat = CANONICAL, *, symbol: str = "", what: str = "amount"
) -> str:
    """The amount ``text`` as canonical digits with at most one dot (``"1234.5"``).

    Raises InvalidInput, saying what to type, for an empty, negative, non-numeric (NaN,
    infinity, exponent) or ambiguous amount, or one whose separators this format does not use.
    """
    unit = f" {symbol}" if symbol else ""
    raw = (text or "").strip()
    if not fmt.typed:
        raw = raw.replace("_", "")
    if not raw:
        raise _refuse(f"The {what} is empty.", f"Type an amount such as {_show('0', '5', fmt)}.")
    half = _show("0", "5", fmt)
    if raw[0] in "-\u2212":
        raise _refuse(
            f"The {what} {raw}{unit} is negative.", f"Type a positive amount such as {half}."
        )
    if raw.lower() in _NOT_NUMBERS:
        raise _refuse(f"The {what} {raw!r} is not a number.", f"Type digits, e.g. {half}.")
    if _EXPONENT.match(raw):
        raise _refuse(
            f"The {what} {raw!r} is not a number as Warden reads amounts: it has an exponent.",
            "Write the number out in full, e.g. 1500 instead of 1.5e3.",
        )
    if fmt.group and fmt.group in _SPACES:  # any kind of space a person may type between thousands
        for ch in _SPACES:
            raw = raw.replace(ch, fmt.group)
    if fmt.group and fmt.group in _APOSTROPHES:
        for ch in _APOSTROPHES:
            raw = raw.replace(ch, fmt.group)
    separators = {fmt.decimal, fmt.group} - {""}
    seps_seen = [ch for ch in raw if not ch.isdigit() or not ch.isascii()]
    if any(ch not in separators and ch not in ".," for ch in seps_seen):
        so = ", so not an amount" if what == "amount" else ""
        raise _refuse(
            f"The {what} {raw!r} is not a number{so}.",
            f"Type digits and at most one decimal separator “{fmt.decimal}”, e.g. {half}.",
        )
    foreign = sorted({ch for ch in seps_seen if ch not in separators})
    if foreign:
        # e.g. "0,5" where only "." is a separator: a decimal comma from another convention.
        digits = re.split(r"[.,]", raw)
        suggestion = (
            f"Type {_unambiguous(digits[0], digits[1], fmt)} if “{foreign[0]}” was meant as "
            "the decimal separator."
            if len(digits) == 2 and all(d == "" or _DIGITS.match(d) for d in digits)
            else f"Write numbers like this: {fmt.example()}."
        )
        raise _refuse(
            f"The {what} {raw!r} contains {_NAMES.get(foreign[0], foreign[0])}, which is not "
            "a separator "
            f"in {fmt.label} (the decimal separator is “{fmt.decimal}”).",
            suggestion,
        )
    if raw.count(fmt.decimal) > 1:
        raise _refuse(
            f"The {what} {raw!r} is not a number: it has more than one “{fmt.decimal}”.",
            f"Use “{fmt.decimal}” once, for the decimals, e.g. {fmt.example()}.",
        )
    whole, dot, frac = raw.partition(fmt.decimal)
    if fmt.group and fmt.group in frac:
        raise _refuse(
            f"The {what} {raw!r} puts “{fmt.group}” after the decimal separator "
            f"“{fmt.decimal}”, which is not how numbers are written in {fmt.label}; it could mean "
            "two numbers.",
            f"Write numbers like this: {fmt.example()} (or without thousands separators).",
        )
    if frac and not _DIGITS.match(frac):
        raise _refuse(f"The {what} {raw!r} is not a number.", f"Type digits, e.g. {half}.")
    if fmt.group and fmt.group in whole:
        whole = _ungroup(raw, whole, bool(dot), fmt, what)
    elif whole and not _DIGITS.match(whole):
        raise _refuse(f"The {what} {raw!r} is not a number.", f"Type digits, e.g. {half}.")
    if not whole and not frac:
        raise _refuse(f"The {what} {raw!r} is not a number.", f"Type digits, e.g. {half}.")
    if fmt.typed and dot and fmt.decimal in ".," and raw == f"{whole}{fmt.decimal}{frac}":
        if _could_be_thousands(whole, frac):  # "1,500": 1.5 here, 1500 where "," groups
            raise _ambiguous(raw, whole, frac, fmt, what)
    return f"{whole or '0'}.{frac}" if frac else (whole or "0")


def _ungroup(raw: str, whole: str, has_decimal: bool, fmt: NumberFormat, what: str) -> str:
    groups = whole.split(fmt.group)
    well_formed = (
        all(_DIGITS.match(g) for g in groups)
        and 1 <= len(groups[0]) <= 3
        and not groups[0].startswith("0")
        and all(len(g) == 3 for g in groups[1:])
    )
    if not well_formed:
        if len(groups) == 2 and not has_decimal and fmt.group in ".,":
            a, b = groups
            raise _refuse(
                f"The {what} {raw!r} uses “{fmt.group}” as a decimal separator, but in "
                f"{fmt.label} “{fmt.group}” separates thousands and the decimal separator "
                f"is “{fmt.decimal}”.",
                f"Type {_unambiguous(a, b, fmt)} if “{fmt.group}” was meant as the decimal "
                "separator.",
            )
        raise _refuse(
            f"The {what} {raw!r} has “{fmt.group}” where thousands separators do not go in "
            f"{fmt.label}.",
            f"Write numbers like this: {fmt.example()}, or without thousands separators.",
        )
    if len(groups) == 2 and not has_decimal and fmt.group in ".,":
        # "1,500" in English: 1500 there, 1.5 where a comma is the decimal separator.
        raise _ambiguous(raw, groups[0], groups[1], fmt, what)
    return "".join(groups)


def _could_be_thousands(whole: str, frac: str) -> bool:
    """``whole``, a separator, ``frac``: also a well-formed number with a thousands group."""
    return len(frac) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0")


def _unambiguous(whole: str, frac: str, fmt: NumberFormat) -> str:
    """``whole`` and ``frac`` as this format writes them without a possible second reading."""
    frac = frac.rstrip("0")
    if fmt.typed and _could_be_thousands(whole or "0", frac):
        frac += "0"
    return f"{whole or '0'}{fmt.decimal}{frac}" if frac else (whole or "0")


def _ambiguous(
    raw: str, whole: str, three: str, fmt: NumberFormat, what: str = "amount"
) -> InvalidInput:
    small = _unambiguous(whole, three, fmt)
    return _refuse(
        f"The {what} {raw!r} could mean {small} or {whole}{three}: people write both that way, "
        "so Warden does not guess.",
        f"Type {small} for the smaller number, or {whole}{three} without a separator for the "
        "larger one.",
    )


def parse_amount(
    text: str, decimals: int, *, symbol: str = "", fmt: NumberFormat = CANONICAL
) -> int:
    """Parse ``"1.5"`` (or ``"1,5"`` in a locale with a decimal comma) into base units for a
    token with ``decimals`` decimals.

    Raises InvalidInput for a negative, malformed, ambiguous, too precise or absurdly large
    amount.
    """
    unit = f" {symbol}" if symbol else ""
    plain = normalize_amount(text, fmt, symbol=symbol)
    whole, _, frac = plain.partition(".")
    frac = frac.rstrip("0")
    if len(frac) > decimals:
        raise InvalidInput(
            f"The amount {text.strip()}{unit} has {len(frac)} decimals; this asset has only "
            f"{decimals}.",
            hint=f"Round it to at most {decimals} decimal places.",
        )
    # Integer arithmetic on the digits: exact at any size (Decimal rounds past 28 digits).
    units = int(whole or "0") * 10**decimals + int(frac.ljust(decimals, "0") or "0")
    if units > UINT256_MAX:
        raise InvalidInput(f"The amount {text.strip()}{unit} is too large.")
    return units


def format_amount(units: int, decimals: int, *, places: int | None = None) -> str:
    """Base units as a decimal string without trailing zeros (``places`` rounds down)."""
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(int(units)), 10**decimals)
    text = str(frac).rjust(decimals, "0") if decimals else ""
    if places is not None:
        text = text[:places]
    text = text.rstrip("0")
    return f"{sign}{whole}.{text}" if text else f"{sign}{whole}"


def format_short(units: int, decimals: int, *, distinct_from: int | None = None) -> str:
    """Base units for a message: at most 6 significant decimals, trimmed, rounded down
    ("0.000123456789" -> "0.000123456", "1.23456789" -> "1.234567"). With ``distinct_from``,
    more decimals are shown where 6 would make the two amounts read the same."""
    frac = str(abs(int(units)) % 10**decimals).rjust(decimals, "0") if decimals else ""
    lead = 0 if abs(int(units)) >= 10**decimals else len(frac) - len(frac.lstrip("0"))
    places = min(decimals, lead + 6)
    text = format_amount(units, decimals, places=places)
    if distinct_from is not None and distinct_from != units:
        while places < decimals and text == format_amount(distinct_from, decimals, places=places):
            places += 1
            text = format_amount(units, decimals, places=places)
    return text


def format_for_input(units: int, decimals: int, fmt: NumberFormat = CANONICAL) -> str:
    """Base units as text that ``parse_amount(..., fmt=fmt)`` reads back to the same units:
    the locale's decimal separator, no groups, and a fourth decimal where three would be
    ambiguous ("1.500" -> "1.5000" is never read as 1500)."""
    whole, _, frac = format_amount(units, decimals).partition(".")
    return _unambiguous(whole, frac, fmt)


def to_input_text(plain: str, fmt: NumberFormat) -> str:
    """Canonical text (``"0.1"``, as a program or the assistant writes it) as this format's
    input text (``"0,1"`` in German), never ambiguous."""
    whole, _, frac = normalize_amount(plain, CANONICAL).partition(".")
    return _unambiguous(whole, frac, fmt)


def display_amount(
    units: int, decimals: int, fmt: NumberFormat = CANONICAL, *, places: int | None = None
) -> str:
    """Base units for reading (not for typing back): the locale's separators, groups of three."""
    text = format_amount(units, decimals, places=places)
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, frac = text.partition(".")
    if fmt.group and len(whole) > 3:
        head = len(whole) % 3 or 3
        whole = fmt.group.join(
            [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
        )
    return f"{sign}{whole}{fmt.decimal}{frac}" if frac else f"{sign}{whole}"


def share_of_balance(units: int, balance: int) -> str:
    """``units`` as a share of ``balance``, in words for the review: "4 %", "less than 1 %"."""
    if balance <= 0:
        return "more than your whole balance" if units > 0 else "none of your balance"
    if units > balance:
        return "more than your whole balance"
    pct = units * 100 // balance
    if pct == 0 and units > 0:
        return "less than 1 % of your balance"
    return f"{pct} % of your balance"


def is_large_transfer(units: int, balance: int) -> bool:
    """A quarter or more of the balance: the Send screen marks it for a second look. (The
    review's own ``large_transfer`` finding follows the review spec: more than half.)"""
    return units > 0 and 4 * units >= balance
