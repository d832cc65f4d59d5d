"""With "Keep running in the tray" ticked and no tray, closing the window asks, and then
minimises or quits cleanly, never quits silently (issue 19, item 8). The real question box is
answered by clicking its button; offscreen Qt has no system tray, as on the desktop reported."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from tests.ui.conftest import wait_idle
from ui.tray import CLOSE_MINIMISE, CLOSE_QUIT, CLOSE_STAY


def _answer(choice: str, seen: list[str]) -> None:
    """Click ``choice`` in the question box as soon as it is up."""

    tries = [0]

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            tries[0] += 1
            if tries[0] < 50:  # no box at all: stop looking, the test sees ``seen`` empty
                QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        button = box.findChild(QPushButton, choice)
        assert button is not None
        button.click()

    QTimer.singleShot(0, click)


def _close(qtbot, controller, choice: str) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    _answer(choice, seen)
    controller.window.close()
    wait_idle(qtbot)
    return seen


def test_close_without_a_tray_asks_and_minimises_or_stays(qtbot, controller) -> None:
    assert controller.tray is None
    controller.settings.setValue("keep_in_tray", True)
    seen = _close(qtbot, controller, CLOSE_STAY)
    assert seen and "no system tray" in seen[0]
    assert controller.window.isVisible() and not controller.window.isMinimized()
    _close(qtbot, controller, CLOSE_MINIMISE)
    assert controller.window.isVisible() and controller.window.isMinimized()
    assert controller.services is not None  # still running: delegates keep working
    controller.show_window()


def test_close_without_a_tray_can_quit_cleanly(qtbot, controller) -> None:
    controller.settings.setValue("keep_in_tray", True)
    seen = _close(qtbot, controller, CLOSE_QUIT)
    assert seen
    assert not controller.window.isVisible()
    assert controller.services is None and controller.window.locked  # store closed first


def test_without_the_option_closing_asks_nothing(qtbot, controller) -> None:
    controller.settings.setValue("keep_in_tray", False)
    seen: list[str] = []
    _answer(CLOSE_STAY, seen)
    controller.window.close()
    wait_idle(qtbot)
    qtbot.wait(1200)  # the answering timer has given up
    assert not controller.window.isVisible()
    assert seen == []
