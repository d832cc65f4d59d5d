from __future__ import annotations

from pathlib import Path

import pytest

from app.events import EventBus
from app.notify import Notifier, RecordingBackend
from app.store import open_throwaway


@pytest.fixture
def db(tmp_path: Path):
    database = open_throwaway(tmp_path)
    yield database
    database.close()


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def shown() -> RecordingBackend:
    return RecordingBackend()


@pytest.fixture
def notifier(shown: RecordingBackend) -> Notifier:
    # No batching window: each notification is shown at once, unless a test builds its own.
    return Notifier(shown, batch_window=0.0, max_per_minute=1000)
