"""The ``desktop-notifier`` backend of the notifications port: D-Bus notifications for when
no tray icon exists (the headless daemon on a desktop session)."""

from __future__ import annotations

import logging
from typing import Any

from app.notify import LogBackend, Notification, NotificationBackend

log = logging.getLogger(__name__)


class DesktopNotifierBackend:
    def __init__(self, app_name: str = "Warden") -> None:
        from desktop_notifier import DesktopNotifierSync

        self._notifier: Any = DesktopNotifierSync(app_name=app_name)

    def show(self, notification: Notification) -> None:
        from desktop_notifier import Urgency

        urgency = Urgency.Critical if notification.urgent else Urgency.Normal
        self._notifier.send(notification.title, notification.body, urgency=urgency)


def best_backend() -> NotificationBackend:
    """D-Bus notifications where a session bus exists; else the log (a server, a container)."""
    import os

    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return LogBackend()
    try:
        return DesktopNotifierBackend()
    except Exception as exc:
        log.info("desktop notifications unavailable (%s); using the log", exc)
        return LogBackend()
