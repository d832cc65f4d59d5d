"""What the wallet core needs from the outside, as small Protocols."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from sqlalchemy.orm import Session


class SessionSource(Protocol):
    """The encrypted store as the wallet uses it: a unit of work per ``session()``."""

    def session(self) -> AbstractContextManager[Session]: ...


class PasswordCheck(Protocol):
    def verify_password(self, password: str) -> bool: ...
