"""Layout (issue 19, item 7): at 800×600, 1024×768 and 1440×900 no two visible widgets of a
screen overlap and none is squeezed below its minimum size; the selected item of a drop-down
list is readable in both themes (contrast measured on the drawn pixels, WCAG ≥ 4.5).

Real widgets on the demo backend. The suite's Qt platform is offscreen (tests/ui/conftest.py);
run under ``xvfb-run -a env QT_QPA_PLATFORM=xcb pytest tests/ui/test_layout_sizes.py`` for
a real X server: the checks are the same.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from tests.ui.conftest import wait_idle
from ui import theme
from ui.main_window import SCREENS

SIZES = ((800, 600), (1024, 768), (1440, 900))
LEAVES = (
    QLabel,
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QAbstractItemView,
)


def _shown_rect(w: QWidget, top: QWidget) -> QRect:
    """``w``'s rectangle in ``top``'s coordinates, cut to what its ancestors let through."""
    rect = QRect(w.mapTo(top, QPoint(0, 0)), w.size())
    p = w.parentWidget()
    while p is not None and p is not top:
        rect = rect.intersected(QRect(p.mapTo(top, QPoint(0, 0)), p.size()))
        p = p.parentWidget()
    return rect


def _leaves(screen: QWidget) -> list[QWidget]:
    found = []
    for w in screen.findChildren(QWidget):
        if not isinstance(w, LEAVES) or not w.isVisibleTo(screen):
            continue
        # parts of a compound widget (a spin box's line edit, a view's header) are its own
        if any(isinstance(a, LEAVES) for a in _ancestors(w, screen)):
            continue
        found.append(w)
    return found


def _ancestors(w: QWidget, top: QWidget) -> list[QWidget]:
    out = []
    p = w.parentWidget()
    while p is not None and p is not top:
        out.append(p)
        p = p.parentWidget()
    return out


def _problems(screen: QWidget) -> list[str]:
    leaves = _leaves(screen)
    rects = [(w, _shown_rect(w, screen)) for w in leaves]
    out = []
    for w, r in rects:
        if r.isEmpty():
            continue
        hint = w.minimumSizeHint()
        if isinstance(w, QAbstractButton | QLineEdit | QComboBox) and (
            w.width() < hint.width() - 1 or w.height() < hint.height() - 1
        ):
            out.append(f"{type(w).__name__} {_name(w)!r} squeezed: {w.size()} < {hint}")
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            inter = ra.intersected(rb)
            if inter.width() > 2 and inter.height() > 2:
                out.append(f"{_name(a)!r} overlaps {_name(b)!r} ({inter})")
    return out


def _name(w: QWidget) -> str:
    text = getattr(w, "text", None)
    shown = text() if callable(text) else ""
    return f"{type(w).__name__}:{(shown or w.accessibleName() or w.objectName())[:40]}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_widget_overlaps_or_is_squeezed_at_each_size(qtbot, controller, size) -> None:
    win = controller.window
    win.resize(*size)
    assert win.minimumWidth() <= 800 and win.minimumHeight() <= 600
    problems: dict[str, list[str]] = {}
    for key, *_ in SCREENS:
        screen = win.open(key)
        wait_idle(qtbot)
        win.resize(*size)
        QApplication.processEvents()
        assert (win.width(), win.height()) == size
        found = _problems(screen)
        if found:
            problems[key] = found[:5]
    assert not problems, problems


def test_the_window_cannot_shrink_below_800_by_600(qtbot, controller) -> None:
    win = controller.window
    win.resize(500, 300)
    QApplication.processEvents()
    assert win.width() >= 800 and win.height() >= 600


def _luminance(c: QColor) -> float:
    def ch(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("dark", [True, False], ids=["dark", "light"])
def test_selected_drop_down_item_is_readable(qtbot, qapp, dark) -> None:
    before = theme.current().name == "dark"
    theme.apply(qapp, dark=dark)
    try:
        box = QComboBox()
        box.addItems(["ETH  (1.5 available)", "dUSD  (250 available)", "WETH"])
        qtbot.addWidget(box)
        box.resize(260, 32)
        box.show()
        box.setCurrentIndex(1)
        box.showPopup()
        view = box.view()
        qtbot.waitUntil(view.isVisible, timeout=2000)
        view.setCurrentIndex(box.model().index(1, 0))
        QApplication.processEvents()
        rect = view.visualRect(box.model().index(1, 0))
        img = view.viewport().grab(rect).toImage()
        counts: dict[int, int] = {}
        for y in range(img.height()):
            for x in range(img.width()):
                rgb = img.pixel(x, y)
                counts[rgb] = counts.get(rgb, 0) + 1
        background = QColor.fromRgb(max(counts, key=lambda k: counts[k]))
        text = max((QColor.fromRgb(k) for k in counts), key=lambda c: contrast(c, background))
        ratio = contrast(text, background)
        box.hidePopup()
        assert ratio >= 4.5, (theme.current().name, background.name(), text.name(), ratio)
    finally:
        theme.apply(qapp, dark=before)
