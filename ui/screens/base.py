"""What every screen gets: the backend, the event bridge, and a way to move around."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.backend import Backend
from ui.bridge import EventBridge
from ui.widgets import heading, muted


@dataclass
class ScreenContext:
    backend: Backend
    bridge: EventBridge
    navigate: Callable[..., None]  # navigate(screen_key, **state)
    status: Callable[[str], None]  # a short message in the status bar
    window: QWidget | None = None


class Screen(QWidget):
    """A page of the main window. ``refresh`` loads its data on a worker."""

    key = ""
    title = ""
    subtitle = ""

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(24, 20, 24, 16)
        self.outer.setSpacing(12)
        self.outer.addWidget(heading(self.title))
        if self.subtitle:
            self.outer.addWidget(muted(self.subtitle))
        self.loaded = False

    @property
    def backend(self) -> Backend:
        return self.ctx.backend

    def refresh(self) -> None:
        """Reload from the backend (override)."""

    def show_state(self, **state: Any) -> None:
        """Called when navigated to with extra state (e.g. a transaction to show)."""

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.refresh()
