"""The Send screen reads amounts in the user's locale with the core's one parser: "0,5" is half
an ETH under German, refused under English (never 5); the review shows the share of the balance
and marks a quarter or more as a large transfer."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLabel

from app.wallet import amounts
from tests.ui.conftest import wait_idle


@pytest.fixture
def german() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(before)


@pytest.fixture
def english() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


def _send_screen(qtbot, controller):  # type: ignore[no-untyped-def]
    send = controller.window.open("send")
    wait_idle(qtbot)
    send.recipient.setText("Alice (demo)")
    send.asset_box.setCurrentIndex(send.asset_box.findData("ETH"))
    return send


def _review(qtbot, send):  # type: ignore[no-untyped-def]
    qtbot.mouseClick(send.review_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: send.dialog is not None and send.dialog.isVisible(), timeout=30000)
    dialog = send.dialog
    text = "\n".join(lab.text() for lab in dialog.findChildren(QLabel))
    return dialog, text


def test_a_decimal_comma_under_german_is_half_an_eth(qtbot, controller, german) -> None:
    send = _send_screen(qtbot, controller)
    send.amount.setText("0,5")
    assert send._amount() == Decimal("0.5")
    assert send.fiat.isHidden()  # the demo ETH price is a 2022 recording, not today's
    send.amount.setText("1,5")
    assert send._amount() == Decimal("1.5")  # never 15
    send.amount.setText("0,5")
    dialog, text = _review(qtbot, send)
    try:
        assert "Send 0,5 ETH" in text
        assert "% of your balance" in text
        assert "large transfer" not in text
        assert "large_transfer" not in dialog.outcome.codes
    finally:
        dialog.reject()


@pytest.mark.parametrize(
    ("typed", "words"),
    [("0,5", "Type 0.5"), ("1,5", "Type 1.5"), ("1,500", "could mean 1.5 or 1500")],
)
def test_under_english_a_comma_amount_is_refused_with_what_to_type(
    qtbot, controller, english, typed: str, words: str
) -> None:
    send = _send_screen(qtbot, controller)
    send.amount.setText(typed)
    assert send._amount() is None and send.fiat.isHidden()
    send.review()
    wait_idle(qtbot)
    assert words in send.error.text()
    assert send.dialog is None  # nothing built, nothing to sign


def test_the_max_button_fills_in_what_the_parser_reads_back(qtbot, controller, german) -> None:
    send = _send_screen(qtbot, controller)
    send._max()
    qtbot.waitUntil(lambda: bool(send.amount.text()), timeout=20000)
    assert "," in send.amount.text() or send.amount.text().isdigit()
    assert send._amount() is not None and send._amount() > 0


def test_a_quarter_of_the_balance_is_marked_as_a_large_transfer(qtbot, controller, german) -> None:
    send = _send_screen(qtbot, controller)
    balance = send.current_asset().amount
    units = amounts.parse_amount(format(balance, "f"), 18)
    quarter = -(-units // 4)  # rounded up: exactly a quarter or just above
    send.amount.setText(amounts.format_for_input(quarter, 18, amounts.GERMAN))
    dialog, text = _review(qtbot, send)
    try:
        assert "25 % of your balance" in text and "a large transfer" in text
    finally:
        dialog.reject()
