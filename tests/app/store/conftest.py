from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.config import Paths
from app.store import keys


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at 8 MiB, one pass, keeps the many unlocks here fast. The parameters are read
    back from each key file, so this changes cost only; test_keys checks the real default."""
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(1, 8 * 1024, 1))


@pytest.fixture(autouse=True)
def no_keyring(request: pytest.FixtureRequest) -> Iterator[None]:
    """Stores made by tests stay out of any real keyring, except in tests marked
    ``keyring``."""
    if request.node.get_closest_marker("keyring"):
        yield
        return
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    root = tmp_path / "home"
    return Paths(root / "data", root / "config", root / "cache", root / "logs")
