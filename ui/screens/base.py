"""What every screen gets: the typed services, the event bridge, and a way to move around."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QTimer, Signal, SignalInstance, Slot
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from ui.bridge import EventBridge
from ui.services import AppServices
from ui.widgets import heading, muted


@dataclass
class ScreenContext:
    services: AppServices  # replaced when parts start later: read it at each use
    bridge: EventBridge
    navigate: Callable[..., None]  # navigate(screen_key, **state)
    status: Callable[[str], None]  # a short message in the status bar
    window: QWidget | None = None


#: Changes arriving within this window after the first are drawn by one reload.
RELOAD_DELAY_MS = 120


class Screen(QWidget):
    """A page of the main window. ``refresh`` loads its data on a worker."""

    key = ""
    title = ""
    subtitle = ""
    #: The kinds of a coalesced burst of changes, as its reload starts (tests wait on it).
    reloading = Signal(object)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # The page scrolls when the window is smaller than its content (800×600 and up),
        # so that no widget is squeezed over another or cut off.
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget()
        self.page_scroll.setWidget(self.body)
        root.addWidget(self.page_scroll)
        self.outer = QVBoxLayout(self.body)
        self.outer.setContentsMargins(24, 20, 24, 16)
        self.outer.setSpacing(12)
        self.outer.addWidget(heading(self.title))
        if self.subtitle:
            self.outer.addWidget(muted(self.subtitle))
        self.loaded = False
        self._changed: set[str] = set()
        self._reload_timer: QTimer | None = None

    @property
    def services(self) -> AppServices:
        """Pass these to ``ui.ops.<domain>`` functions; they bind the work to its worker."""
        return self.ctx.services

    def refresh(self) -> None:
        """Reload from the store (override)."""

    def follow_changes(self, *signals: SignalInstance) -> None:
        """Reload when the store announces a change on any of these bridge signals. Several
        kinds in one commit, or commits in quick succession, are one reload; a screen not
        shown yet loads when it is first shown."""
        for signal in signals:
            signal.connect(self._data_changed)

    @Slot(object)
    def _data_changed(self, event: object) -> None:
        self._changed.add(str(getattr(event, "kind", "") or type(event).__name__))
        if self._reload_timer is None:
            self._reload_timer = QTimer(self)
            self._reload_timer.setSingleShot(True)
            self._reload_timer.setInterval(RELOAD_DELAY_MS)
            self._reload_timer.timeout.connect(self._reload_changed)
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    def _reload_changed(self) -> None:
        kinds, self._changed = frozenset(self._changed), set()
        if not self.loaded or not kinds:
            return
        self.reloading.emit(kinds)
        self.reload_changed(kinds)

    def reload_changed(self, kinds: frozenset[str]) -> None:
        """Reload what shows these kinds of data (``refresh`` unless a screen does less)."""
        self.refresh()

    def show_state(self, **state: Any) -> None:
        """Called when navigated to with extra state (e.g. a transaction to show)."""

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.refresh()
