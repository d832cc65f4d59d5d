"""The unlock screen and the idle lock.

While locked the window holds only this screen: the screens with personal data are destroyed
(not hidden), and the store's key is dropped by the backend's ``close``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.icons import app_icon
from ui.widgets import BusyLine, Card, error_label, heading, label, muted, show_message


class UnlockScreen(QWidget):
    """Asks for the password; ``unlock_requested`` carries it to the controller."""

    unlock_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, hint: str = "") -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        card = Card()
        card.setFixedWidth(400)
        icon = label()
        icon.setPixmap(app_icon(72).pixmap(72, 72))
        icon.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        card.body.addWidget(icon)
        title = heading("Warden is locked")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        card.body.addWidget(title)
        card.body.addWidget(muted("Enter your password to open your wallet."))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Password")
        self.password.setAccessibleName("Password")
        self.password.returnPressed.connect(self._submit)
        card.body.addWidget(self.password)
        self.error = error_label()
        card.body.addWidget(self.error)
        self.busy = BusyLine()
        card.body.addWidget(self.busy)
        self.button = QPushButton("Unlock")
        self.button.setObjectName("Primary")
        self.button.clicked.connect(self._submit)
        card.body.addWidget(self.button)
        self.hint = muted(hint)
        self.hint.setVisible(bool(hint))
        card.body.addWidget(self.hint)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.setFocusProxy(self.password)

    def _submit(self) -> None:
        if not self.password.text():
            show_message(self.error, "Type your password first.")
            return
        show_message(self.error, "")
        self.button.setEnabled(False)
        self.busy.start("Unlocking…")
        self.unlock_requested.emit(self.password.text())

    def failed(self, message: str) -> None:
        self.busy.stop()
        self.button.setEnabled(True)
        self.password.selectAll()
        self.password.setFocus()
        show_message(self.error, message)

    def reset(self) -> None:
        self.busy.stop()
        self.button.setEnabled(True)
        self.password.clear()
        show_message(self.error, "")


class IdleLock(QObject):
    """Calls ``on_idle`` after ``minutes`` without keyboard or mouse input (0 = never)."""

    INPUT_EVENTS = {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
    }

    def __init__(self, on_idle: Callable[[], None], minutes: float = 10) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(on_idle)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self.minutes = minutes
        self._timer.stop()
        if minutes > 0:
            self._timer.setInterval(int(minutes * 60_000))
            self._timer.start()

    def poke(self) -> None:
        if self.minutes > 0:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in self.INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False
