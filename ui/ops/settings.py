"""The Settings screen: preferences (``app.preferences``), networks and start-at-login, read
and written on the store worker."""

from __future__ import annotations

from collections.abc import Mapping

from app import preferences
from app.rows import NetworkRow
from ui import autostart
from ui.ops import networks
from ui.ops.core import Op
from ui.services import AppServices

SettingsPage = tuple[list[NetworkRow], dict[str, preferences.Value], bool]


def load_page(sv: AppServices) -> Op[SettingsPage]:
    """The networks, every preference, and whether Warden starts at login."""
    return Op(
        lambda: (networks._rows(sv), preferences.get_all(sv.store), autostart.is_enabled()),
        lane="store",
    )


def load(sv: AppServices) -> Op[dict[str, preferences.Value]]:
    return Op(lambda: dict(preferences.get_all(sv.store)), lane="store")


def save(
    sv: AppServices, values: Mapping[str, object], *, start_at_login: bool | None = None
) -> Op[dict[str, preferences.Value]]:
    """Check and store ``values`` (all or none); the result is every preference after."""

    def work() -> dict[str, preferences.Value]:
        preferences.set_many(sv.store, values)
        if start_at_login is not None:
            autostart.set_enabled(start_at_login)
        return dict(preferences.get_all(sv.store))

    return Op(work, lane="store")
