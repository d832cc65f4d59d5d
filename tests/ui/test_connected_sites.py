"""Settings -> Connected sites on the demo's real encrypted store: a connected site is
listed, limited to a chosen account through the dialog, and disconnected with the button."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.dapp.permissions import Permissions
from app.errors import InvalidInput
from tests.ui.conftest import wait_idle

ORIGIN = "https://dapp.example"


@pytest.fixture
def perms(demo):  # type: ignore[no-untyped-def]
    p = Permissions(demo.store)
    yield p
    for c in p.all():
        p.revoke(c.origin)


def _row(screen, origin: str) -> int:  # type: ignore[no-untyped-def]
    table = screen.sites.table
    found = [i for i in range(table.rowCount()) if table.item(i, 0).text() == origin]
    assert found, f"{origin} is not listed"
    return found[0]


def test_a_connected_site_is_listed_limited_and_revoked(qtbot, controller, perms) -> None:
    own = perms.own_accounts()
    assert len(own) >= 2, "the demo has two accounts of its own"
    perms.connect(ORIGIN, own[:2])
    perms.connect("https://other.example", own[:1])
    screen = controller.window.open("settings")
    wait_idle(qtbot)
    sites = screen.sites
    assert sites.table.isVisible() and not sites.empty.isVisible()
    row = _row(screen, ORIGIN)
    assert sites.table.item(row, 1).toolTip().split("\n") == own[:2]
    assert not sites.revoke_button.isEnabled()  # nothing chosen yet
    # Limit to the second account only
    sites.table.selectRow(row)
    qtbot.mouseClick(sites.limit_button, Qt.MouseButton.LeftButton)
    dialog = sites.limit_dialog
    assert dialog is not None and [b.isChecked() for b in dialog.boxes[:2]] == [True, True]
    dialog.boxes[0].setChecked(False)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_idle(qtbot)
    assert perms.get(ORIGIN).accounts == (own[1],)
    assert sites.table.item(_row(screen, ORIGIN), 1).toolTip() == own[1]
    # None ticked: Save is off (a site limited to nothing is a disconnect, done by its button)
    sites.table.selectRow(_row(screen, ORIGIN))
    qtbot.mouseClick(sites.limit_button, Qt.MouseButton.LeftButton)
    dialog = sites.limit_dialog
    for b in dialog.boxes:
        b.setChecked(False)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    dialog.reject()
    wait_idle(qtbot)
    # Disconnect it
    sites.table.selectRow(_row(screen, ORIGIN))
    qtbot.mouseClick(sites.revoke_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert perms.get(ORIGIN) is None
    assert [sites.table.item(i, 0).text() for i in range(sites.table.rowCount())] == [
        "https://other.example"
    ]
    assert perms.get("https://other.example") is not None  # only the chosen one went


def test_limit_refuses_a_site_not_connected_and_a_foreign_account(perms) -> None:
    own = perms.own_accounts()
    with pytest.raises(InvalidInput, match="not connected"):
        perms.limit(ORIGIN, own[:1])
    perms.connect(ORIGIN, own[:1])
    with pytest.raises(InvalidInput, match="own accounts"):
        perms.limit(ORIGIN, ["0x" + "12" * 20])
    with pytest.raises(InvalidInput):
        perms.limit(ORIGIN, [])
    assert perms.get(ORIGIN).accounts == tuple(own[:1])  # unchanged by the refusals
