"""Decorator registration of delegates; a duplicate name is refused with what to fix."""

from __future__ import annotations

import re
from collections.abc import Iterator

from delegates.runtime.base import Delegate

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,62}$")


class Registry:
    def __init__(self) -> None:
        self._by_name: dict[str, type[Delegate]] = {}

    def register(self, cls: type[Delegate]) -> type[Delegate]:
        name = getattr(cls, "name", None)
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(
                f"{cls.__qualname__} needs a class attribute name of 2-63 lowercase letters, "
                f"digits or underscores (got {name!r})"
            )
        if not getattr(cls, "description", ""):
            raise ValueError(f"delegate {name!r} needs a one-line description")
        existing = self._by_name.get(name)
        if existing is not None and existing is not cls:
            raise ValueError(
                f"a delegate named {name!r} is already registered by "
                f"{existing.__module__}.{existing.__qualname__}; give "
                f"{cls.__module__}.{cls.__qualname__} another name"
            )
        self._by_name[name] = cls
        return cls

    def __call__(self, cls: type[Delegate]) -> type[Delegate]:
        return self.register(cls)

    def get(self, name: str) -> type[Delegate]:
        try:
            return self._by_name[name]
        except KeyError:
            known = ", ".join(sorted(self._by_name)) or "none"
            from app.errors import DelegateError

            raise DelegateError(
                f"No delegate named {name!r}.", hint=f"Known delegates: {known}."
            ) from None

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def __iter__(self) -> Iterator[type[Delegate]]:
        return iter(self._by_name[n] for n in self.names())

    def __contains__(self, name: object) -> bool:
        return name in self._by_name


# The registry the built-in delegates register into (``@delegate``).
REGISTRY = Registry()
delegate = REGISTRY.register
