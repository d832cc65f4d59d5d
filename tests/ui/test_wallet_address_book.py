"""The Wallet screen's address book and accounts (issue 19, item 8): a contact is edited and
removed in the window; a name that is an account's is refused with the core's message; an
address that looks like another contact's is shown before it is saved; "Add account" says
what it added and selects it.

Real parts: the demo (an in-process EVM, a real encrypted store, the app's services), a real
``WalletScreen`` with its own status line. The demo is shared by the session, so every
contact a test adds it removes again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.wallet import contacts
from tests.ui.conftest import wait_idle
from ui.bridge import EventBridge
from ui.screens.base import ScreenContext

DORA = "0x" + "d0" * 20
# the same first 6 and last 4 hex characters as DORA, different in the middle
DORA_LOOKALIKE = "0x" + "d0" * 3 + "11" * 15 + "d0" * 2
ERIN = "0x" + "e1" * 20


class Shown:
    def __init__(self, wallet: Any, messages: list[str]) -> None:
        self.wallet, self.messages = wallet, messages


@pytest.fixture
def shown(qtbot, services) -> Iterator[Shown]:  # type: ignore[no-untyped-def]
    from ui.screens.wallet import WalletScreen

    window = QWidget()
    qtbot.addWidget(window)
    messages: list[str] = []
    ctx = ScreenContext(
        services=services,
        bridge=EventBridge(services.bus, window),
        navigate=lambda *_a, **_k: None,
        status=messages.append,
        window=window,
    )
    wallet = WalletScreen(ctx, window)
    QVBoxLayout(window).addWidget(wallet)
    window.resize(1100, 760)
    window.show()
    wallet.ensure_loaded()
    wallet.tabs.setCurrentIndex(1)
    wait_idle(qtbot)
    yield Shown(wallet, messages)
    wait_idle(qtbot)
    with services.store.session() as s:  # the demo is shared: leave it as it was
        for c in contacts.list_contacts(s):
            if c.address.lower() in (DORA, DORA_LOOKALIKE, ERIN):
                contacts.remove_contact(s, c.address)


def _rows(wallet: Any) -> dict[str, tuple[str, str]]:
    return {r.address.lower(): (r.name, r.note) for r in wallet.contacts_model.rows()}


def _select(wallet: Any, address: str) -> None:
    rows = wallet.contacts_model.rows()
    i = next(i for i, r in enumerate(rows) if r.address.lower() == address.lower())
    wallet.contacts.selectionModel().select(
        wallet.contacts_model.index(i, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def _press(qtbot, wallet: Any, button: Any) -> str:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(wallet.contact_done, timeout=10000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return str(done.args[0])


def _fill(wallet: Any, name: str, address: str, note: str = "") -> None:
    wallet.contact_name.setText(name)
    wallet.contact_address.setText(address)
    wallet.contact_note.setText(note)


def test_a_contact_is_edited_and_removed_in_the_window(qtbot, shown) -> None:
    w = shown.wallet
    _fill(w, "Dora", DORA, "from the meetup")
    assert _press(qtbot, w, w.add_contact_button) == "Added contact Dora"
    qtbot.waitUntil(lambda: DORA in _rows(w), timeout=10000)
    assert not w.save_contact_button.isEnabled() and not w.remove_contact_button.isEnabled()

    _select(w, DORA)
    assert (w.contact_name.text(), w.contact_note.text()) == ("Dora", "from the meetup")
    assert w.save_contact_button.isEnabled() and w.remove_contact_button.isEnabled()
    w.contact_name.setText("Dora K.")
    w.contact_address.setText(ERIN)  # the address can change too
    w.contact_note.setText("new address")
    assert _press(qtbot, w, w.save_contact_button) == "Saved contact Dora K."
    qtbot.waitUntil(lambda: ERIN in _rows(w), timeout=10000)
    assert DORA not in _rows(w)
    assert _rows(w)[ERIN] == ("Dora K.", "new address")
    assert "Saved contact Dora K." in shown.messages

    _select(w, ERIN)
    assert _press(qtbot, w, w.remove_contact_button) == "Removed contact Dora K."
    qtbot.waitUntil(lambda: ERIN not in _rows(w), timeout=10000)
    assert "Alice (demo)" in {name for name, _ in _rows(w).values()}  # only that one went


def test_a_contact_cannot_take_an_accounts_name_and_the_window_says_why(qtbot, shown, demo) -> None:
    w = shown.wallet
    _fill(w, "Dora", DORA)
    _press(qtbot, w, w.add_contact_button)
    qtbot.waitUntil(lambda: DORA in _rows(w), timeout=10000)
    _select(w, DORA)
    w.contact_name.setText(demo.accounts[0].name)  # "Demo main"
    msg = _press(qtbot, w, w.save_contact_button)
    assert "is the name of one of your accounts" in msg
    assert "is the name of one of your accounts" in w.contact_error.text()
    assert "Pick another name" in w.contact_error.text()  # what to do next
    wait_idle(qtbot)
    assert _rows(w)[DORA][0] == "Dora"  # nothing changed


def test_a_lookalike_address_is_shown_before_it_is_saved(qtbot, shown) -> None:
    w = shown.wallet
    _fill(w, "Dora", DORA)
    _press(qtbot, w, w.add_contact_button)
    qtbot.waitUntil(lambda: DORA in _rows(w), timeout=10000)

    _fill(w, "Dora (new?)", DORA_LOOKALIKE)
    msg = _press(qtbot, w, w.add_contact_button)
    assert "looks like the address of Dora" in msg
    assert not w.contact_warning.isHidden() and DORA in w.contact_warning.text().lower()
    wait_idle(qtbot)
    assert DORA_LOOKALIKE not in _rows(w)  # not saved on the first press

    # the user changes the address: the warning goes and must be earned again
    w.contact_address.setText(DORA_LOOKALIKE + " ")
    assert w.contact_warning.isHidden() or not w.contact_warning.text()

    w.contact_address.setText(DORA_LOOKALIKE)
    _press(qtbot, w, w.add_contact_button)  # warned again
    assert DORA_LOOKALIKE not in _rows(w)
    assert _press(qtbot, w, w.add_contact_button) == "Added contact Dora (new?)"  # saved anyway
    qtbot.waitUntil(lambda: DORA_LOOKALIKE in _rows(w), timeout=10000)


def test_an_unrelated_address_saves_without_a_warning(qtbot, shown) -> None:
    w = shown.wallet
    _fill(w, "Erin", ERIN)
    assert _press(qtbot, w, w.add_contact_button) == "Added contact Erin"
    assert not w.contact_warning.text()


def test_add_account_says_what_it_added_and_selects_it(qtbot, shown) -> None:
    w = shown.wallet
    before = {a.address for a in w.accounts}
    w.add_account("Wallet test account")
    qtbot.waitUntil(lambda: len(w.accounts) == len(before) + 1, timeout=20000)
    wait_idle(qtbot)
    (new,) = [a for a in w.accounts if a.address not in before]
    assert new.name == "Wallet test account"
    assert f"Added account Wallet test account ({new.address})" in shown.messages
    current = w.current_account()
    assert current is not None and current.address == new.address
    assert w.address.text() == new.address


def test_core_update_refuses_another_contacts_address(services) -> None:
    """``update_contact`` in the core, on the demo's store: an edit may not take the address
    of another contact (the window shows this message like any other)."""
    from app.errors import InvalidInput

    with services.store.session() as s:
        contacts.add_contact(s, DORA, "Dora")
        contacts.add_contact(s, ERIN, "Erin")
    try:
        with pytest.raises(InvalidInput, match="already in the address book as 'Erin'"):
            with services.store.session() as s:
                contacts.update_contact(s, DORA, ERIN, "Dora")
        with services.store.session() as s:
            similar = contacts.lookalike_contact(s, DORA_LOOKALIKE)
            assert similar is not None and similar.address.lower() == DORA
            assert contacts.lookalike_contact(s, DORA_LOOKALIKE, ignore=DORA) is None
            assert contacts.lookalike_contact(s, DORA) is None  # itself is no look-alike
    finally:
        with services.store.session() as s:
            contacts.remove_contact(s, DORA)
            contacts.remove_contact(s, ERIN)
