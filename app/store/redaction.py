"""Every secret the store builds or loads is registered with the log filter at once, so a
phrase or key that later reaches an error message or a log line is scrubbed. Names that are
personal but not secret (contacts, account names, labels) are registered the same way, for the
log file only (``app.logs.register_personal``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from app.logs import register_personal, register_secret
from app.store.schema import Account, Contact, Label, Secret


def _register(target: Secret) -> None:
    for value in (target.value, target.passphrase):
        if isinstance(value, str):
            register_secret(value)


@event.listens_for(Secret, "load")
def _on_load(target: Secret, _context: Any) -> None:
    _register(target)


@event.listens_for(Secret, "refresh")
def _on_refresh(target: Secret, _context: Any, _attrs: Any) -> None:
    _register(target)


@event.listens_for(Secret.value, "set")
def _on_set_value(_target: Secret, value: Any, _old: Any, _initiator: Any) -> None:
    if isinstance(value, str):
        register_secret(value)


@event.listens_for(Secret.passphrase, "set")
def _on_set_passphrase(_target: Secret, value: Any, _old: Any, _initiator: Any) -> None:
    if isinstance(value, str):
        register_secret(value)


_NAMED = ((Contact, "name"), (Account, "name"), (Label, "label"))


def _register_name(target: Any, _context: Any = None, _attrs: Any = None) -> None:
    for cls, attr in _NAMED:
        if isinstance(target, cls):
            value = target.__dict__.get(attr)  # never triggers a load
            if isinstance(value, str):
                register_personal(value)


def _on_set_name(_target: Any, value: Any, _old: Any, _initiator: Any) -> None:
    if isinstance(value, str):
        register_personal(value)


for _cls, _attr in _NAMED:
    event.listen(_cls, "load", _register_name)
    event.listen(_cls, "refresh", _register_name)
    event.listen(getattr(_cls, _attr), "set", _on_set_name)
