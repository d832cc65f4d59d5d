"""Restore says what happened and what to do, never "see the log" (issue 19, item 8)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app.config import Paths
from app.errors import WardenError
from app.store import Store
from tests.ui.conftest import wait_idle
from ui.ops import backup as backup_ops


def test_demo_restore_explains_before_asking_for_a_file(qtbot, controller, monkeypatch) -> None:
    asked: list[object] = []

    def get_open_file_name(*a: object, **_k: object) -> tuple[str, str]:
        asked.append(a)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", get_open_file_name)
    st = controller.window.open("settings")
    wait_idle(qtbot)
    st._pick_restore()
    assert asked == []  # no file and no password asked for a restore that cannot happen
    text = st.error.text()
    assert "demo" in text and "warden backup restore" in text
    assert "log" not in text


def _failure(qtbot, services, backup_file: Path) -> WardenError:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    backup_ops.restore(services, backup_file, "pw").failure(errors.append).run()
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert isinstance(errors[0], WardenError)
    return errors[0]


def test_a_restore_that_cannot_read_its_file_says_what_to_do(qtbot, services, tmp_path) -> None:
    """The real Store.restore on a fresh data folder; the file name is too long to open."""
    root = tmp_path / "warden"
    paths = Paths(root / "data", root / "config", root / "cache", root / "log")
    own = dataclasses.replace(services, restore=lambda f, pw: Store.restore(paths, f, pw))
    err = _failure(qtbot, own, tmp_path / ("x" * 300))
    message = err.user_message()
    assert "could not be restored" in message and "try again" in message
    assert "Errno" not in message and "log" not in message
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    assert "not a Warden backup" in _failure(qtbot, own, not_a_backup).user_message()
