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


BACKUP_MIN_PASSWORD = 10


class BackupPasswordDialog(QDialog):
    """A backup's password: at least ``BACKUP_MIN_PASSWORD`` characters, typed twice when a
    new backup is written (a typo there would lock the user out of their own backup)."""

    def __init__(self, title: str, *, confirm: bool, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QFormLayout, QLineEdit

        super().__init__(parent)
        self.setWindowTitle(title)
        self.confirm = confirm
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Backup password")
        form.addRow("Backup password", self.password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("Backup password again")
        if confirm:
            form.addRow("Type it again", self.again)
        lay.addLayout(form)
        self.problem = QLabel("")
        self.problem.setObjectName("Muted")
        self.problem.setWordWrap(True)
        lay.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.password.textChanged.connect(self._check)
        self.again.textChanged.connect(self._check)
        self._check()

    def why_not(self) -> str:
        """What is still wrong with the typed password, '' when it can be used."""
        pw = self.password.text()
        if not self.confirm:
            return "" if pw else "Type the password the backup was written with."
        if len(pw) < BACKUP_MIN_PASSWORD:
            return (
                f"Use at least {BACKUP_MIN_PASSWORD} characters; a passphrase of a few words "
                "is best."
            )
        if self.again.text() != pw:
            return "The two passwords are not the same yet."
        return ""

    def _check(self, *_a: object) -> None:
        problem = self.why_not()
        self.problem.setText(problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)

    def value(self) -> str:
        return self.password.text() if not self.why_not() else ""
