"""Tooltips are word-wrapped, never cut mid-sentence at the screen's edge (issue 19, item 6).

Qt draws a plain-text tooltip on one line; the app's tooltips are escaped rich text, which
Qt wraps. The test shows a real tooltip and measures the label Qt draws."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import Qt, QTextDocument  # mightBeRichText lives on QtGui's Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolTip

from tests.ui.conftest import wait_idle
from ui.tooltip_text import wrapped


def _plain(tooltip: str) -> str:
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


def test_a_long_tooltip_is_wrapped_and_whole(qtbot) -> None:
    sentence = "Watch incoming transfers and hide dust. " * 30 + "The end of <b>it</b>."
    tip = wrapped(sentence)
    assert Qt.mightBeRichText(tip)
    assert _plain(tip) == sentence.strip()  # escaped: "<b>" stays text, nothing is cut
    QToolTip.showText(QPoint(10, 10), tip)
    qtbot.waitUntil(QToolTip.isVisible, timeout=5000)
    shown = [w for w in QApplication.topLevelWidgets() if w.metaObject().className() == "QTipLabel"]
    assert shown
    label = shown[0]
    assert isinstance(label, QLabel) and label.wordWrap()
    screen = QApplication.primaryScreen().availableGeometry()
    assert label.width() <= screen.width()
    QToolTip.hideText()


def test_delegate_descriptions_are_wrapped_tooltips(qtbot, controller, services) -> None:
    d = controller.window.open("delegates")
    wait_idle(qtbot)
    by_name = {r.name: r.description for r in services.delegates.list()}
    assert d.list.count() == len(d.rows) > 0
    for i, row in enumerate(d.rows):
        tip = d.list.item(i).toolTip()
        assert Qt.mightBeRichText(tip)
        assert _plain(tip).split() == by_name[row.name].split()  # every word, none cut
