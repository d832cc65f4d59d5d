"""Shared fixtures. Helpers live in tests/support; register their fixtures here."""

from __future__ import annotations

from tests.support.anvil import anvil  # noqa: F401  (a fixture, found by name)
