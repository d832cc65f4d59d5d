"""Dark and light themes that follow the system's colour scheme (Qt 6.5+ style hints).

Fusion style plus a palette, and a small style sheet for the parts a palette cannot reach
(the side navigation, cards, verdict banners). ``WARDEN_THEME=dark|light`` forces one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Colors:
    name: str
    window: str
    base: str
    alt: str
    card: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    nav: str
    nav_selected: str
    safe: str
    caution: str
    danger: str
    safe_bg: str
    caution_bg: str
    danger_bg: str
    # a selected item's background: white text on it keeps a contrast of at least 4.5
    selection: str = "#2a5fcc"


DARK = Colors(
    name="dark",
    window="#14171c",
    base="#1b1f26",
    alt="#20252d",
    card="#1e232b",
    text="#e6e9ef",
    muted="#98a2b3",
    border="#2e3440",
    accent="#4f8cff",
    accent_text="#ffffff",
    nav="#101318",
    nav_selected="#232a36",
    safe="#3fbf7f",
    caution="#f0b429",
    danger="#ff5c5c",
    safe_bg="#16382a",
    caution_bg="#3d3112",
    danger_bg="#4a1a1d",
)

LIGHT = Colors(
    name="light",
    window="#f5f6f8",
    base="#ffffff",
    alt="#f3f5f8",
    card="#ffffff",
    text="#1c2330",
    muted="#5f6b7a",
    border="#d9dee5",
    accent="#2f6fed",
    accent_text="#ffffff",
    nav="#eceff3",
    nav_selected="#dfe6f2",
    safe="#1e8e5a",
    caution="#a86b00",
    danger="#c62828",
    safe_bg="#e3f5ec",
    caution_bg="#fff4d6",
    danger_bg="#fde7e7",
)

_current: Colors = LIGHT


def current() -> Colors:
    return _current


def system_prefers_dark() -> bool:
    forced = os.environ.get("WARDEN_THEME", "").lower()
    if forced in ("dark", "light"):
        return forced == "dark"
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def verdict_colors(verdict: str) -> tuple[str, str]:
    """(foreground, background) for a verdict or severity."""
    c = _current
    if verdict == "danger":
        return c.danger, c.danger_bg
    if verdict == "caution":
        return c.caution, c.caution_bg
    if verdict == "safe":
        return c.safe, c.safe_bg
    return c.muted, c.alt


def _palette(c: Colors) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, QColor(c.window))
    p.setColor(role.WindowText, QColor(c.text))
    p.setColor(role.Base, QColor(c.base))
    p.setColor(role.AlternateBase, QColor(c.alt))
    p.setColor(role.ToolTipBase, QColor(c.card))
    p.setColor(role.ToolTipText, QColor(c.text))
    p.setColor(role.PlaceholderText, QColor(c.muted))
    p.setColor(role.Text, QColor(c.text))
    p.setColor(role.Button, QColor(c.alt))
    p.setColor(role.ButtonText, QColor(c.text))
    p.setColor(role.BrightText, QColor(c.danger))
    p.setColor(role.Highlight, QColor(c.selection))
    p.setColor(role.HighlightedText, QColor(c.accent_text))
    p.setColor(role.Link, QColor(c.accent))
    p.setColor(role.Mid, QColor(c.border))
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(c.muted))
    return p


def _arrow(color: str) -> str:
    """A small drop-down arrow in ``color``, as an SVG file Qt's style sheet can load."""
    import tempfile
    from pathlib import Path

    path = Path(tempfile.gettempdir()) / f"warden-arrow-{color.lstrip('#')}.svg"
    if not path.exists():
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10">'
            f'<path d="M1 3 L5 7 L9 3" stroke="{color}" stroke-width="1.6" fill="none" '
            'stroke-linecap="round" stroke-linejoin="round"/></svg>'
        )
        path.write_text(svg, encoding="utf-8")
    return path.as_posix()


def _stylesheet(c: Colors) -> str:
    return f"""
QWidget {{ font-size: 10pt; }}
#Side {{ background: {c.nav}; }}
#NavList {{ background: {c.nav}; border: none; padding-top: 8px; outline: 0; }}
#NavList::item {{ padding: 9px 16px; border-radius: 6px; margin: 2px 8px; color: {c.text}; }}
#NavList::item:selected {{ background: {c.nav_selected}; color: {c.accent}; font-weight: 600; }}
#NavList::item:hover:!selected {{ background: {c.alt}; }}
#Brand {{ font-size: 15pt; font-weight: 700; padding: 14px 18px 4px 18px; color: {c.text}; }}
#BrandSub {{ color: {c.muted}; padding: 0 18px 10px 18px; font-size: 9pt; }}
#Heading {{ font-size: 16pt; font-weight: 700; }}
#SubHeading {{ font-size: 11pt; font-weight: 600; }}
#Muted {{ color: {c.muted}; }}
#Address {{ color: {c.muted}; font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; }}
#BigNumber {{ font-size: 22pt; font-weight: 700; }}
#Card {{ background: {c.card}; border: 1px solid {c.border}; border-radius: 10px; }}
#Badge {{ border-radius: 9px; padding: 2px 8px; font-weight: 600; }}
#Warning {{ color: {c.caution}; background: {c.caution_bg}; border-radius: 6px;
  padding: 6px 10px; }}
#Error {{ color: {c.danger}; background: {c.danger_bg}; border-radius: 6px; padding: 6px 10px; }}
QPushButton {{ padding: 6px 14px; border-radius: 6px; border: 1px solid {c.border};
  background: {c.alt}; }}
QPushButton:hover {{ border-color: {c.accent}; }}
QPushButton:focus {{ border: 1px solid {c.accent}; }}
QPushButton#Primary {{ background: {c.accent}; color: {c.accent_text}; border: none;
  font-weight: 600; }}
QPushButton#Primary:disabled {{ background: {c.border}; color: {c.muted}; }}
QPushButton#Danger {{ background: {c.danger}; color: #ffffff; border: none; font-weight: 600; }}
QPushButton#Danger:disabled {{ background: {c.border}; color: {c.muted}; }}
QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox, QPlainTextEdit, QTextEdit {{
  border: 1px solid {c.border}; border-radius: 6px; padding: 5px 7px; background: {c.base}; }}
QComboBox {{ combobox-popup: 0; }}
QComboBox::drop-down {{ border: none; width: 24px; }}
QComboBox::down-arrow {{ image: url({_arrow(c.muted)}); width: 10px; height: 10px; }}
QComboBox QAbstractItemView {{ background: {c.base}; color: {c.text};
  border: 1px solid {c.border}; outline: 0;
  selection-background-color: {c.selection}; selection-color: {c.accent_text}; }}
QComboBox QAbstractItemView::item {{ padding: 4px 8px; color: {c.text}; }}
QComboBox QAbstractItemView::item:selected {{ background: {c.selection};
  color: {c.accent_text}; }}
QSpinBox::up-button, QSpinBox::down-button, QDoubleSpinBox::up-button,
QDoubleSpinBox::down-button {{ width: 0; border: none; }}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus, QTextEdit:focus, QSpinBox:focus {{
  border: 1px solid {c.accent}; }}
QTableView, QTreeView, QListView {{ border: 1px solid {c.border}; border-radius: 8px;
  background: {c.base}; alternate-background-color: {c.alt}; gridline-color: {c.border};
  selection-background-color: {c.selection}; selection-color: {c.accent_text}; }}
QListWidget::item {{ padding: 6px 8px; }}
QHeaderView::section {{ background: {c.alt}; color: {c.muted}; border: none;
  border-bottom: 1px solid {c.border}; padding: 6px 8px; font-weight: 600; }}
QTabWidget::pane {{ border: none; }}
QTabBar::tab {{ padding: 7px 14px; border: none; color: {c.muted}; }}
QTabBar::tab:selected {{ color: {c.text}; border-bottom: 2px solid {c.accent}; }}
QGroupBox {{ border: 1px solid {c.border}; border-radius: 8px; margin-top: 14px;
  padding-top: 10px; font-weight: 600; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; }}
QProgressBar {{ border: 1px solid {c.border}; border-radius: 5px; text-align: center;
  background: {c.base}; height: 14px; }}
QProgressBar::chunk {{ background: {c.accent}; border-radius: 4px; }}
QStatusBar {{ color: {c.muted}; }}
"""


def apply(app: QApplication, dark: bool | None = None) -> Colors:
    """Apply the theme (following the system when ``dark`` is None)."""
    global _current
    if dark is None:
        dark = system_prefers_dark()
    _current = DARK if dark else LIGHT
    app.setStyle("Fusion")
    app.setPalette(_palette(_current))
    font = QFont(app.font())
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(_stylesheet(_current))
    return _current


def follow_system(app: QApplication, on_change: object = None) -> None:
    """Re-apply when the system switches between dark and light."""

    def changed(_scheme: Qt.ColorScheme) -> None:
        apply(app)
        if callable(on_change):
            on_change()

    QGuiApplication.styleHints().colorSchemeChanged.connect(changed)
