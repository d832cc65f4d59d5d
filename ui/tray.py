"""The tray icon (open, pause delegates, lock, quit) and the notifications it shows.

Notifications go through ``QSystemTrayIcon`` where a tray exists and through the delegates'
notifications port otherwise. Clicking one opens the screen it is about. Transfers that arrive
within a short window are batched into one notification.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QSystemTrayIcon, QWidget

from app import events as ev
from app.notify import Notification, NotificationBackend
from ui.icons import app_icon


@dataclass(frozen=True)
class Notice:
    title: str
    body: str
    screen: str  # the screen a click opens
    kind: str  # "transfer" | "review" | "price" | "approval" | "delegate"


def notice_for(event: object) -> Notice | None:
    """What to tell the user about an event, or None. Short; no balances in the tray."""
    if isinstance(event, ev.transfer_did_arrive):
        return Notice(
            "Incoming transfer", "A transfer arrived in your wallet.", "wallet", "transfer"
        )
    if isinstance(event, ev.review_did_finish) and event.verdict == "danger":
        return Notice("Dangerous request stopped", event.summary[:200], "wallet", "review")
    if isinstance(event, ev.price_did_cross):
        arrow = "above" if event.direction == "up" else "below"
        return Notice(
            "Price alert", f"{event.symbol} moved {arrow} {event.threshold:,.2f}", "market", "price"
        )
    if isinstance(event, ev.approval_did_change):
        return Notice(
            "New token approval",
            "One of your addresses approved a spender. Review it in Delegates.",
            "delegates",
            "approval",
        )
    if isinstance(event, ev.delegate_did_run) and event.outcome in ("failed", "error", "alert"):
        title = f"Delegate {event.delegate}"
        return Notice(title, event.message or event.outcome, "delegates", "delegate")
    return None


def dapp_request_notice(*, connect_while_locked: bool = False) -> Notice:
    """A site waits for the user's answer (no origin or amount in the tray)."""
    if connect_while_locked:
        text = "A site asks to connect. Unlock Warden to answer."
    else:
        text = "A connected site asks for your approval in Warden."
    return Notice("A site is waiting for you", text, "wallet", "dapp")


class Notifier(QObject):
    """Routes notices to the tray or the fallback port, batching bursts of one kind."""

    open_screen = Signal(str)

    def __init__(
        self,
        tray: QSystemTrayIcon | None,
        fallback: NotificationBackend | None = None,
        batch_ms: int = 1500,
    ) -> None:
        super().__init__()
        self.tray = tray
        self.fallback = fallback
        self.enabled = True
        # Off while the delegates run: they notify through the port themselves (TrayBackend),
        # and the same transfer must not be announced twice.
        self.events_enabled = True
        self.sent: list[Notice] = []  # what was shown, newest last (tests, the tray's click)
        self._pending: list[Notice] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(batch_ms)
        self._timer.timeout.connect(self.flush)
        if tray is not None:
            tray.messageClicked.connect(self._clicked)

    def on_event(self, event: object) -> None:
        notice = notice_for(event) if self.events_enabled else None
        if notice is not None and self.enabled:
            self._pending.append(notice)
            if not self._timer.isActive():
                self._timer.start()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        by_kind: dict[str, list[Notice]] = {}
        for n in pending:
            by_kind.setdefault(n.kind, []).append(n)
        for kind, group in by_kind.items():
            if len(group) == 1:
                self.show(group[0])
            else:
                first = group[0]
                title = "Incoming transfers" if kind == "transfer" else first.title
                self.show(Notice(title, f"{len(group)} new: {first.body}", first.screen, kind))

    def show(self, notice: Notice) -> None:
        self.sent.append(notice)
        if self.tray is not None and self.tray.isVisible() and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(notice.title, notice.body, app_icon(), 8000)
        elif self.fallback is not None:
            self.fallback.show(Notification(notice.title, notice.body, notice.kind))

    def _clicked(self) -> None:
        if self.sent:
            self.open_screen.emit(self.sent[-1].screen)


KIND_SCREENS = {
    "transfer": "wallet",
    "review": "wallet",
    "alert": "market",
    "price": "market",
    "approval": "delegates",
    "gas": "delegates",
}


class TrayBackend:
    """The delegates' notifications port shown through the tray (safe from any thread)."""

    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier

    def show(self, notification: Notification) -> None:
        from ui.ops import tasks

        notice = Notice(
            notification.title,
            notification.body,
            KIND_SCREENS.get(notification.kind, "delegates"),
            notification.kind,
        )
        tasks().on_main(lambda: self.notifier.show(notice))


class Tray(QObject):
    """The tray icon and its menu; the controller connects the signals."""

    open_requested = Signal()
    lock_requested = Signal()
    quit_requested = Signal()
    pause_toggled = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.icon = QSystemTrayIcon(app_icon())
        self.icon.setToolTip("Warden")
        self.menu = QMenu()
        self.open_action = QAction("Open Warden", self.menu)
        self.pause_action = QAction("Pause delegates", self.menu)
        self.pause_action.setCheckable(True)
        self.lock_action = QAction("Lock", self.menu)
        self.quit_action = QAction("Quit", self.menu)
        for a in (self.open_action, self.pause_action, self.lock_action):
            self.menu.addAction(a)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.open_action.triggered.connect(self.open_requested.emit)
        self.lock_action.triggered.connect(self.lock_requested.emit)
        self.quit_action.triggered.connect(self.quit_requested.emit)
        self.pause_action.toggled.connect(self._paused)
        self.icon.activated.connect(self._activated)

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        if self.available():
            self.icon.show()

    def _paused(self, paused: bool) -> None:
        self.icon.setIcon(app_icon(paused=paused))
        self.icon.setToolTip("Warden (delegates paused)" if paused else "Warden")
        self.pause_toggled.emit(paused)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.open_requested.emit()


# What closing the window does when "Keep running in the tray" is on but there is no tray.
CLOSE_QUIT, CLOSE_MINIMISE, CLOSE_STAY = "quit", "minimise", "stay"


def no_tray_box(parent: QWidget | None) -> QMessageBox:
    """The question asked instead of quitting silently; each button's objectName is its
    choice."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("No system tray")
    box.setText(
        "“Keep running in the tray” is on, but this desktop has no system tray, so Warden "
        "cannot keep running with its window closed."
    )
    box.setInformativeText(
        "Minimise the window to keep Warden and its delegates running, or quit Warden. "
        "You can turn the option off in Settings."
    )
    roles = QMessageBox.ButtonRole
    for text, role, choice in (
        ("Minimise", roles.AcceptRole, CLOSE_MINIMISE),
        ("Quit Warden", roles.DestructiveRole, CLOSE_QUIT),
        ("Cancel", roles.RejectRole, CLOSE_STAY),
    ):
        button = box.addButton(text, role)
        button.setObjectName(choice)
        if choice == CLOSE_MINIMISE:
            box.setDefaultButton(button)
    return box


def ask_close_without_tray(parent: QWidget | None) -> str:
    """``CLOSE_MINIMISE``, ``CLOSE_QUIT`` or ``CLOSE_STAY`` (the box closed any other way)."""
    box = no_tray_box(parent)
    box.exec()
    clicked = box.clickedButton()
    choice = clicked.objectName() if clicked is not None else CLOSE_STAY
    box.deleteLater()
    return choice if choice in (CLOSE_QUIT, CLOSE_MINIMISE) else CLOSE_STAY
