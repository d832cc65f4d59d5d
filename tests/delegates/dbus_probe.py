# ruff: noqa: F821, F722, N802, N803  (D-Bus type signatures are annotations)
"""Run under ``dbus-run-session``: a minimal org.freedesktop.Notifications server on the
private session bus records Notify calls while DesktopNotifierBackend sends one. A stand-in
server is needed because no notification daemon is installed here; the D-Bus traffic and the
desktop-notifier client are real. Prints the recorded calls as JSON."""

import asyncio
import json
import threading

from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal

received: list[dict[str, object]] = []
ready = threading.Event()


class Notifications(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.freedesktop.Notifications")

    @method()
    def Notify(
        self,
        app_name: "s",
        replaces_id: "u",
        app_icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        expire_timeout: "i",
    ) -> "u":
        received.append(
            {
                "app": app_name,
                "summary": summary,
                "body": body,
                "urgency": int(hints["urgency"].value) if "urgency" in hints else None,
            }
        )
        return len(received)

    @method()
    def GetCapabilities(self) -> "as":
        return ["body", "actions"]

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["probe", "warden", "1", "1.2"]

    @method()
    def CloseNotification(self, id: "u") -> "":
        pass

    @signal()
    def NotificationClosed(self) -> "uu":
        return [0, 0]

    @signal()
    def ActionInvoked(self) -> "us":
        return [0, ""]


def serve() -> None:
    async def main() -> None:
        bus = await MessageBus().connect()
        bus.export("/org/freedesktop/Notifications", Notifications())
        await bus.request_name("org.freedesktop.Notifications")
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


if __name__ == "__main__":
    threading.Thread(target=serve, daemon=True).start()
    ready.wait(10)
    from app.notify import Notification
    from delegates.notify_desktop import DesktopNotifierBackend, best_backend

    backend = best_backend()
    assert isinstance(backend, DesktopNotifierBackend), backend
    backend.show(Notification("3 incoming transfers", "0.5 ETH from 0xabc…1234", "transfer"))
    backend.show(Notification("Address poisoning hidden", "look-alike", "alert", urgent=True))
    print(json.dumps(received))
