"""What a delegate is: a name, a description, triggers, typed settings and a capability.

A delegate reads through the ``DelegateContext`` it is given and, if its capability is
``PROPOSE``, files proposals through ``ctx.propose`` (checked by the core's spend policy). The
context holds no key, no signer and no wallet service: no delegate can reach the signing step.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, get_type_hints

from app.errors import DelegateError
from app.events import EventBus
from app.notify import Notification, Notifier
from app.policy import ProposedAction, submit_proposal


class Capability(enum.Enum):
    READ_ONLY = "read-only"
    PROPOSE = "propose"


@dataclass(frozen=True)
class Every:
    """An interval schedule."""

    seconds: int = 0
    minutes: int = 0
    hours: int = 0
    days: int = 0
    weeks: int = 0

    def __post_init__(self) -> None:
        total = self.seconds + 60 * (
            self.minutes + 60 * (self.hours + 24 * (self.days + 7 * self.weeks))
        )
        if total <= 0:
            raise ValueError("an Every() schedule needs a positive interval, e.g. Every(hours=6)")

    def label(self) -> str:
        parts = [f"{v}{k[0]}" for k, v in dataclasses.asdict(self).items() if v]
        return "every " + " ".join(parts)


@dataclass(frozen=True)
class Cron:
    """A crontab schedule, e.g. ``Cron("0 9 1 * *")`` for 09:00 on the first of each month."""

    expression: str
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(self.expression, timezone=self.timezone)
        except ValueError as exc:
            raise ValueError(f"bad cron expression {self.expression!r}: {exc}") from None

    def label(self) -> str:
        return f"cron {self.expression}"


@dataclass(frozen=True)
class On:
    """An event trigger: the delegate runs when ``event`` is published (and ``when`` agrees)."""

    event: type
    when: Callable[[Any], bool] | None = None

    def label(self) -> str:
        return f"on {self.event.__name__}"


Trigger = Every | Cron | On


@dataclass(frozen=True)
class NoSettings:
    pass


def parse_settings(cls: type, stored: Mapping[str, Any] | None) -> Any:
    """Defaults of the settings dataclass ``cls`` overlaid with ``stored``, type-checked."""
    stored = dict(stored or {})
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(stored) - names)
    if unknown:
        raise DelegateError(
            f"Unknown setting(s) {', '.join(unknown)}.",
            hint=f"Known settings: {', '.join(sorted(names)) or 'none'}.",
        )
    values: dict[str, Any] = {}
    for name, value in stored.items():
        values[name] = _coerce(name, hints[name], value)
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise DelegateError(f"Bad settings: {exc}", hint="Fix the value and try again.") from None


def _coerce(name: str, hint: Any, value: Any) -> Any:
    base = getattr(hint, "__origin__", hint)
    if isinstance(value, str) and "dict" in str(hint):
        try:  # a mapping typed at the command line arrives as JSON text
            value = json.loads(value) if value.strip() else None
        except ValueError:
            raise DelegateError(
                f'Setting {name} must be JSON, e.g. {{"ETH/USD": {{"price_above": 4000}}}}.',
                hint="Quote the whole value for the shell.",
            ) from None
        return value
    try:
        if base is bool:
            if isinstance(value, str):
                return value.strip().lower() in {"1", "true", "yes", "on"}
            return bool(value)
        if base in (int, float, str):
            return base(value)
        if base is tuple:
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(x.strip() if isinstance(x, str) else x for x in items if x != "")
    except (TypeError, ValueError):
        raise DelegateError(
            f"Setting {name} must be a {getattr(base, '__name__', base)}, got {value!r}.",
            hint="Fix the value and try again.",
        ) from None
    return value


@dataclass
class DelegateContext:
    """Everything a delegate may touch during one run."""

    name: str
    db: Any  # the encrypted store (``.session()``)
    bus: EventBus
    notifier: Notifier
    capability: Capability
    chain: Any = None  # a read-only web3 instance, or None
    services: Mapping[str, Any] = field(default_factory=dict)  # read-only ports (prices, ...)
    cancelled: threading.Event = field(default_factory=threading.Event)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("delegates"))

    def propose(self, action: ProposedAction) -> int:
        """File ``action`` for the user to confirm; the core's spend policy may refuse it."""
        if self.capability is not Capability.PROPOSE:
            raise DelegateError(
                f"Delegate {self.name} is read-only and cannot propose actions.",
                hint="Declare capability = Capability.PROPOSE if it must propose.",
            )
        return submit_proposal(self.db, self.name, action, now=self.clock)

    def notify(self, title: str, body: str = "", *, kind: str = "delegate") -> None:
        self.notifier.notify(Notification(title, body, kind))

    def check_cancelled(self) -> None:
        """Long delegates call this between steps; a cancelled or timed-out run stops here."""
        if self.cancelled.is_set():
            raise RunCancelled(self.name)


class RunCancelled(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"run of {name} was cancelled")


class Delegate(ABC):
    name: ClassVar[str]
    description: ClassVar[str]
    triggers: ClassVar[tuple[Trigger, ...]] = ()
    settings_type: ClassVar[type] = NoSettings
    capability: ClassVar[Capability] = Capability.READ_ONLY
    timeout_s: ClassVar[float] = 60.0
    enabled_by_default: ClassVar[bool] = True

    @abstractmethod
    def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
        """Do one run; return a JSON-able summary stored as the run's output."""
