"""Small building blocks shared by the screens: headings, cards, badges, a busy line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui import theme


def label(text: str = "", *, name: str = "", wrap: bool = False, select: bool = False) -> QLabel:
    lab = QLabel(text)
    if name:
        lab.setObjectName(name)
    lab.setWordWrap(wrap)
    if select:
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


def heading(text: str) -> QLabel:
    return label(text, name="Heading")


def muted(text: str, wrap: bool = True) -> QLabel:
    return label(text, name="Muted", wrap=wrap)


class Card(QFrame):
    """A rounded panel with an optional title."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 14, 16, 14)
        self.body.setSpacing(8)
        if title:
            self.body.addWidget(label(title, name="SubHeading"))


def set_badge(lab: QLabel, text: str, verdict: str) -> None:
    fg, bg = theme.verdict_colors(verdict)
    lab.setText(text)
    lab.setStyleSheet(f"color: {fg}; background: {bg};")
    lab.setProperty("verdict", verdict)


def badge(text: str, verdict: str) -> QLabel:
    lab = QLabel(text)
    lab.setObjectName("Badge")
    set_badge(lab, text, verdict)
    lab.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return lab


class BusyLine(QWidget):
    """An indeterminate bar and a message, shown while work runs on a worker."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setFixedWidth(120)
        self.bar.setTextVisible(False)
        self.text = muted("", wrap=False)
        lay.addWidget(self.bar)
        lay.addWidget(self.text, 1)
        self.hide()

    def start(self, message: str) -> None:
        self.text.setText(message)
        self.show()

    def stop(self) -> None:
        self.hide()


def error_label() -> QLabel:
    lab = label("", name="Error", wrap=True)
    lab.hide()
    return lab


def show_message(lab: QLabel, text: str) -> None:
    lab.setText(text)
    lab.setVisible(bool(text))
