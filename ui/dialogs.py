"""Messages for the user: a WardenError is a clear message with its hint; anything else is a
bug and goes to the crash dialog with a copyable report."""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import WardenError
from app.logs import redact

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    # Parented to the window, so that locking closes it along with everything personal.
    parent = parent or QApplication.activeWindow()
    if isinstance(exc, WardenError):
        box = QMessageBox(parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Warden")
        box.setText(str(exc))
        if exc.hint:
            box.setInformativeText(exc.hint)
        box.open()
        return
    report_crash(type(exc), exc, exc.__traceback__, parent)


def crash_report(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> str:
    """The report the user can copy: versions and the traceback, secrets redacted."""
    from PySide6 import __version__ as pyside_version

    lines = [
        "Warden crash report",
        f"Python {platform.python_version()} on {platform.platform()}",
        f"PySide6 {pyside_version}",
        "",
        *traceback.format_exception(etype, value, tb),
    ]
    return redact("\n".join(line.rstrip("\n") for line in lines))


class CrashDialog(QDialog):
    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Warden ran into a problem")
        self.resize(640, 420)
        lay = QVBoxLayout(self)
        msg = QLabel(
            "Something went wrong inside Warden. Your funds and data are safe: nothing was "
            "signed or sent. You can copy the report below (it contains no keys or phrases) "
            "and keep working, or restart Warden."
        )
        msg.setWordWrap(True)
        lay.addWidget(msg)
        self.text = QPlainTextEdit(report)
        self.text.setReadOnly(True)
        lay.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def copy(self) -> None:
        QApplication.clipboard().setText(self.text.toPlainText())


_open_dialogs: list[CrashDialog] = []


def report_crash(
    etype: type[BaseException],
    value: BaseException,
    tb: TracebackType | None,
    parent: QWidget | None = None,
) -> None:
    log.error("unexpected error", exc_info=(etype, value, tb))
    if isinstance(value, WardenError):
        show_error(parent, value)
        return
    dlg = CrashDialog(crash_report(etype, value, tb), parent)
    _open_dialogs.append(dlg)
    dlg.finished.connect(lambda _r: _open_dialogs.remove(dlg) if dlg in _open_dialogs else None)
    dlg.open()


def install_excepthook() -> None:
    def hook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        report_crash(etype, value, tb)

    sys.excepthook = hook
