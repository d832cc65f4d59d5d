"""A backup's password (issue 19, item 8): typed twice for a new backup, at least ten
characters; a restore asks only for the one it was written with. Real dialog widgets."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from ui.dialogs import BACKUP_MIN_PASSWORD, BackupPasswordDialog


def _ok(d: BackupPasswordDialog) -> bool:
    return d.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_new_backup_needs_a_long_password_typed_twice(qtbot) -> None:
    d = BackupPasswordDialog("Export backup", confirm=True)
    qtbot.addWidget(d)
    d.password.setText("x")
    assert not _ok(d) and str(BACKUP_MIN_PASSWORD) in d.problem.text()
    assert d.value() == ""
    d.password.setText("correct horse battery")
    assert not _ok(d) and "not the same" in d.problem.text()
    d.again.setText("correct horse batterY")
    assert not _ok(d)
    d.again.setText("correct horse battery")
    assert _ok(d) and d.problem.text() == ""
    assert d.value() == "correct horse battery"


def test_restore_asks_once_and_takes_any_non_empty_password(qtbot) -> None:
    d = BackupPasswordDialog("Restore backup", confirm=False)
    qtbot.addWidget(d)
    assert not _ok(d)
    assert d.again.isHidden()
    d.password.setText("short")
    assert _ok(d) and d.value() == "short"
