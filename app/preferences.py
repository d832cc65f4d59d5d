"""Every preference Warden keeps in the encrypted store, declared once.

A declaration says the preference's name, type and default, the label and help a person
reads, and which values are allowed (a range, a list of choices, a length). Read and write
preferences only through ``get`` / ``set`` (or ``get_all`` / ``set_many``): a value is checked
against its declaration before it is stored (``InvalidInput`` says what is allowed), and an
unset preference reads as its declared default, so no call site repeats a default. The
Settings screen builds one field per declaration marked ``in_settings``: adding a preference
here adds its field.

Values live in the ``preferences`` table (``app.store.schema.Preference``: key -> JSON).
Structured records that share that table are owned by their own modules and are not declared
here: the spend policy (``app/policy.py``), the model per task (``models/choice.py``), the
remote model host (``models/remote_config.py``) and the federation opt-in
(``models/federated/optin.py``).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.store.schema import Preference

log = logging.getLogger(__name__)

Value = bool | int | float | str
_TYPES: tuple[type, ...] = (bool, int, float, str)
_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_SHOWN_CHARS = 40  # how much of a rejected value a message repeats


class Sessions(Protocol):
    """What holds sessions: the ``Store`` (or anything with its ``session()``)."""

    def session(self) -> Any: ...


@dataclass(frozen=True)
class PreferenceSpec:
    """One preference: what it is called, what it holds, and what a person reads about it."""

    name: str
    type: type
    default: Value
    label: str
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    max_length: int = 200
    unit: str = ""  # shown after a number, e.g. "min"
    zero_means: str = ""  # what 0 stands for, shown in its place, e.g. "never"
    in_settings: bool = True  # False: set elsewhere (first run), no field in Settings

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name) or len(self.name) > 128:
            raise ValueError(f"preference name {self.name!r}: lower-case words joined by dots")
        if self.type not in _TYPES:
            raise ValueError(f"preference {self.name}: type must be one of bool, int, float, str")
        ranged = self.minimum is not None or self.maximum is not None
        if ranged and self.type not in (int, float):
            raise ValueError(f"preference {self.name}: only a number can have a range")
        if self.choices and self.type is not str:
            raise ValueError(f"preference {self.name}: only text can have choices")
        if not self.label or not self.help:
            raise ValueError(f"preference {self.name}: give it a label and a help text")
        try:
            self.check(self.default)
        except InvalidInput as exc:
            raise ValueError(f"preference {self.name}: its default is not allowed: {exc}") from exc

    def check(self, value: object) -> Value:
        """``value`` as this preference's type, or ``InvalidInput`` saying what is allowed."""
        if self.type is bool:
            if isinstance(value, bool):
                return value
            raise self._invalid(value, "must be on or off")
        if self.type is str:
            return self._check_text(value)
        return self._check_number(value)

    def _check_text(self, value: object) -> str:
        if not isinstance(value, str):
            raise self._invalid(value, "must be text")
        if self.choices and value not in self.choices:
            raise self._invalid(value, "must be one of " + ", ".join(self.choices))
        if len(value) > self.max_length:
            raise self._invalid(value, f"must be at most {self.max_length} characters")
        return value

    def _check_number(self, value: object) -> int | float:
        # bool is an int to Python, never a number to a person
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._invalid(value, "must be a number")
        if self.type is int and not isinstance(value, int):
            if not (math.isfinite(value) and value.is_integer()):
                raise self._invalid(value, "must be a whole number")
            value = int(value)
        if not math.isfinite(value):
            raise self._invalid(value, "must be a finite number")
        low, high = self.minimum, self.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            raise self._invalid(value, "must be " + self.allowed_range())
        return int(value) if self.type is int else float(value)

    def allowed_range(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return f"from {_num(low)} to {_num(high)}{unit}"
        if low is not None:
            return f"{_num(low)}{unit} or more"
        if high is not None:
            return f"{_num(high)}{unit} or less"
        return "a number"

    def _invalid(self, value: object, rule: str) -> InvalidInput:
        shown = repr(value)
        if len(shown) > _SHOWN_CHARS:
            shown = shown[:_SHOWN_CHARS] + "…"
        return InvalidInput(
            f"{self.label} {rule}; {shown} is not allowed.",
            hint=f"Change {self.label.lower()} and save again. {self.help}",
        )


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


PREFERENCES: tuple[PreferenceSpec, ...] = (
    PreferenceSpec(
        name="notifications",
        type=bool,
        default=True,
        label="Show notifications when a delegate finds something",
        help="A desktop notice when a delegate files a proposal or raises an alert.",
    ),
    PreferenceSpec(
        name="idle_lock_minutes",
        type=int,
        default=10,
        label="Lock after idle",
        help="Minutes without use before Warden locks and forgets the key; 0 never locks.",
        minimum=0,
        maximum=240,
        unit="min",
        zero_means="never",
    ),
    PreferenceSpec(
        name="network.current",
        type=str,
        default="Ethereum",
        label="Network",
        help="The network Warden connects to after unlocking, chosen at first run.",
        max_length=64,  # the length of a network's name in the store
        in_settings=False,
    ),
    PreferenceSpec(
        name="dapp.port",
        type=int,
        default=1248,
        label="Dapp provider port",
        help="The port on 127.0.0.1 where browser sites reach Warden through its extension; "
        "it takes effect at the next unlock.",
        minimum=1024,
        maximum=65535,
    ),
)


def _index(specs: tuple[PreferenceSpec, ...]) -> dict[str, PreferenceSpec]:
    found: dict[str, PreferenceSpec] = {}
    for p in specs:
        if p.name in found:
            raise ValueError(f"preference {p.name!r} is declared twice; remove one of them")
        found[p.name] = p
    return found


BY_NAME: dict[str, PreferenceSpec] = _index(PREFERENCES)


def spec(name: str) -> PreferenceSpec:
    """The declaration of ``name``, or ``InvalidInput`` for a name that is not declared."""
    found = BY_NAME.get(name) if isinstance(name, str) else None
    if found is None:
        shown = repr(name)[:_SHOWN_CHARS]
        raise InvalidInput(
            f"There is no preference named {shown}.",
            hint="Declare it in app/preferences.py, or use one of: " + ", ".join(BY_NAME) + ".",
        )
    return found


def default(name: str) -> Value:
    return spec(name).default


def defaults() -> dict[str, Value]:
    """Every declared preference's default, in declaration order."""
    return {p.name: p.default for p in PREFERENCES}


@contextmanager
def _session(db: Session | Sessions) -> Iterator[Session]:
    """A session on ``db``: the one given, or a new one from the store (committed on exit)."""
    if isinstance(db, Session):
        yield db  # the caller's session: the caller commits
    else:
        with db.session() as s:
            yield s


def _read(s: Session, p: PreferenceSpec) -> Value:
    row = s.get(Preference, p.name)
    if row is None:
        return p.default
    try:
        return p.check(row.value)
    except InvalidInput:
        # A value this version cannot read (hand-edited, or from another version): fall back
        # to the declared default rather than crash or guess. The value itself is not logged.
        log.warning("preference %s holds a value that is not allowed; using its default", p.name)
        return p.default


def get(db: Session | Sessions, name: str) -> Value:
    """The stored value of ``name``, or its declared default when unset (or unreadable)."""
    p = spec(name)
    with _session(db) as s:
        return _read(s, p)


def get_all(db: Session | Sessions) -> dict[str, Value]:
    """Every declared preference, in declaration order."""
    with _session(db) as s:
        return {p.name: _read(s, p) for p in PREFERENCES}


def set(db: Session | Sessions, name: str, value: object) -> Value:
    """Check ``value`` against the declaration of ``name`` and store it; returns it typed."""
    return set_many(db, {name: value})[name]


def set_many(db: Session | Sessions, values: Mapping[str, object]) -> dict[str, Value]:
    """Check every value first, then store them all in one session (all or none)."""
    checked = {name: spec(name).check(value) for name, value in values.items()}
    with _session(db) as s:
        for name, value in checked.items():
            s.merge(Preference(key=name, value=value))
    return checked


__all__ = [
    "BY_NAME",
    "PREFERENCES",
    "PreferenceSpec",
    "Value",
    "default",
    "defaults",
    "get",
    "get_all",
    "set",
    "set_many",
    "spec",
]
