"""Shared fixtures. Helpers live in tests/support; register their fixtures here."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.anvil import anvil  # noqa: F401  (a fixture, found by name)


@pytest.fixture(autouse=True)
def _real_keyring_for_keyring_tests(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """A test marked ``keyring`` gets the real Secret Service even when an earlier test in the
    same process chose the fail backend (keyring keeps the first backend it was given)."""
    if (
        request.node.get_closest_marker("keyring") is None
        or os.environ.get("WARDEN_TEST_KEYRING") != "1"
    ):
        yield
        return
    import keyring
    import keyring.core

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    previous = keyring.get_keyring()
    keyring.core.init_backend()
    try:
        yield
    finally:
        keyring.set_keyring(previous)
