"""The main window: side navigation and the screens, or the unlock screen when locked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.icons import app_icon
from ui.lock import UnlockScreen
from ui.screens.base import Screen, ScreenContext
from ui.widgets import label

# (key, navigation label, module, class): imported on first visit, so start-up stays quick.
SCREENS: tuple[tuple[str, str, str, str], ...] = (
    ("wallet", "Wallet", "ui.screens.wallet", "WalletScreen"),
    ("send", "Send", "ui.screens.send", "SendScreen"),
    ("delegates", "Delegates", "ui.screens.delegates", "DelegatesScreen"),
    ("market", "Market", "ui.screens.market", "MarketScreen"),
    ("assistant", "Assistant", "ui.screens.assistant", "AssistantScreen"),
    ("models", "Models", "ui.screens.models", "ModelsScreen"),
    ("settings", "Settings", "ui.screens.settings", "SettingsScreen"),
)


class Shell(QWidget):
    """The unlocked part: navigation on the left, the current screen on the right."""

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.screens: dict[str, Screen] = {}
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        side = QWidget()
        side.setObjectName("Side")
        side.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        side.setFixedWidth(200)
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(0, 0, 0, 8)
        side_lay.setSpacing(0)
        brand = QHBoxLayout()
        brand.setContentsMargins(14, 12, 0, 0)
        icon = QLabel()
        icon.setPixmap(app_icon(28).pixmap(28, 28))
        brand.addWidget(icon)
        brand.addWidget(label("Warden", name="Brand"))
        brand.addStretch(1)
        side_lay.addLayout(brand)
        side_lay.addWidget(label("Your keys, your machine", name="BrandSub"))
        self.nav = QListWidget()
        self.nav.setObjectName("NavList")
        self.nav.setAccessibleName("Sections")
        for i, (key, text, _m, _c) in enumerate(SCREENS):
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{text} (Ctrl+{i + 1})")
            self.nav.addItem(item)
        side_lay.addWidget(self.nav, 1)
        self.footer = label("", name="BrandSub", wrap=True)
        side_lay.addWidget(self.footer)
        lay.addWidget(side)
        self.pages = QStackedWidget()
        lay.addWidget(self.pages, 1)
        self._placeholders: dict[str, QWidget] = {}
        for key, *_ in SCREENS:
            ph = QWidget()
            self._placeholders[key] = ph
            self.pages.addWidget(ph)
        self.nav.currentRowChanged.connect(self._on_row)

    def _on_row(self, row: int) -> None:
        if row >= 0:
            self.open(SCREENS[row][0])

    def get_screen(self, key: str) -> Screen:
        if key not in self.screens:
            import importlib

            _k, _t, module, cls = next(s for s in SCREENS if s[0] == key)
            screen_cls = getattr(importlib.import_module(module), cls)
            screen: Screen = screen_cls(self.ctx)
            idx = self.pages.indexOf(self._placeholders[key])
            self.pages.insertWidget(idx, screen)
            self.pages.removeWidget(self._placeholders[key])
            self._placeholders[key].deleteLater()
            self.screens[key] = screen
        return self.screens[key]

    def open(self, key: str, **state: Any) -> Screen:
        screen = self.get_screen(key)
        row = next(i for i, s in enumerate(SCREENS) if s[0] == key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        self.pages.setCurrentWidget(screen)
        screen.ensure_loaded()
        if state:
            screen.show_state(**state)
        return screen


class MainWindow(QMainWindow):
    lock_requested = Signal()
    close_requested = Signal()  # the controller decides: hide to tray, or quit

    def __init__(self, settings: QSettings, unlock_hint: str = "") -> None:
        super().__init__()
        self.settings = settings
        self.setWindowTitle("Warden")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(800, 600)  # every screen is checked down to this size
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.unlock = UnlockScreen(hint=unlock_hint)
        self.stack.addWidget(self.unlock)
        self.shell: Shell | None = None
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setFixedWidth(90)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        # True: close; False: hide (to the tray); "minimise"; "stay" (ui.tray's CLOSE_*)
        self.allow_close: Callable[[], bool | str] = lambda: True
        for i, (key, *_r) in enumerate(SCREENS):
            sc = QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self)
            sc.activated.connect(lambda key=key: self.open(key))
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(self.lock_requested.emit)
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)

    # -- lock state -----------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.shell is None

    def show_locked(self) -> None:
        if self.shell is not None:
            self.stack.removeWidget(self.shell)
            self.shell.setParent(None)  # out of the window's tree now, freed soon after
            self.shell.deleteLater()
            self.shell = None
        self.unlock.reset()
        self.stack.setCurrentWidget(self.unlock)
        self.unlock.password.setFocus()
        self.statusBar().clearMessage()

    def show_unlocked(self, ctx: ScreenContext, start: str = "wallet") -> Shell:
        self.shell = Shell(ctx)
        self.stack.addWidget(self.shell)
        self.stack.setCurrentWidget(self.shell)
        self.shell.open(start)
        self.shell.nav.setFocus()
        return self.shell

    def open(self, key: str, **state: Any) -> Screen | None:
        if self.shell is None:
            return None
        return self.shell.open(key, **state)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.settings.setValue("window/geometry", self.saveGeometry())
        decision = self.allow_close()
        if decision is True:
            event.accept()
            return
        event.ignore()
        if decision == "minimise":
            self.showMinimized()
        elif decision is False:
            self.hide()
