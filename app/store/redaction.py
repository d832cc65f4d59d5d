"""Every secret the store builds or loads is registered with the log filter at once, so a
phrase or key that later reaches an error message or a log line is scrubbed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from app.logs import register_secret
from app.store.schema import Secret


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
