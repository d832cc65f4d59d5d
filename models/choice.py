"""Which model each delegate or task uses, kept in the encrypted store (``Preference``)."""

from __future__ import annotations

from typing import Any, Protocol

from app.errors import InvalidInput
from app.store.schema import Preference
from models.bundled import BUNDLED_NAME

KEY_PREFIX = "model.task."


class _Store(Protocol):
    def session(self) -> Any: ...


class ModelChoices:
    """``get(task)`` falls back to the bundled model; ``set`` accepts only catalog names."""

    def __init__(self, store: _Store, known_names: list[str] | None = None) -> None:
        self._store = store
        self._known = known_names

    def get(self, task: str) -> str:
        with self._store.session() as s:
            row = s.get(Preference, KEY_PREFIX + task)
            return str(row.value) if row is not None else BUNDLED_NAME

    def set(self, task: str, model_name: str) -> None:
        if not task or len(KEY_PREFIX + task) > 128:
            raise InvalidInput(f"Invalid task name {task!r}.")
        if self._known is not None and model_name not in self._known:
            raise InvalidInput(
                f"No model named {model_name!r}.", hint=f"Known: {', '.join(self._known)}."
            )
        with self._store.session() as s:
            s.merge(Preference(key=KEY_PREFIX + task, value=model_name))

    def all(self) -> dict[str, str]:
        with self._store.session() as s:
            rows = s.query(Preference).filter(Preference.key.startswith(KEY_PREFIX)).all()
            return {r.key[len(KEY_PREFIX) :]: str(r.value) for r in rows}
