"""No stale or raw information (issue 19, item 6): triggers in words, history without "-0 ETH"
or "pending" in the Date column, the Send screen without old banners or negative dollars,
and its "available" amounts fresh after a send. Real widgets over the real demo backend."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import Qt

import app.events as events
from app.rows import HistoryRow
from tests.ui.conftest import wait_idle
from ui.table_models import HistoryModel
from ui.trigger_words import EVENT_WORDS, trigger_words, triggers_sentence


def test_every_event_of_the_core_has_words() -> None:
    names = [
        n for n, obj in inspect.getmembers(events, inspect.isclass) if "_did_" in n or "_will_" in n
    ]
    assert "approval_did_change" in names
    missing = [n for n in names if n not in EVENT_WORDS]
    assert not missing, missing


def test_triggers_read_as_a_sentence_without_codes() -> None:
    text = triggers_sentence(("cron 0 9 1 * *", "on approval_did_change"))
    assert text == (
        "Runs at 09:00, on day 1 of the month (UTC) and when an approval of yours changes."
    )
    assert trigger_words("every 6h") == "every 6 hours"
    assert trigger_words("manual") == "when you ask"
    assert "_" not in trigger_words("on something_did_happen")
    assert trigger_words("cron not a schedule").startswith("on the schedule")
    assert triggers_sentence(()) == "Runs only when you ask."


def _history_row(amount: str, when: datetime | None, status: str) -> HistoryRow:
    return HistoryRow(
        when=when,
        direction="out",
        counterparty="0x" + "ab" * 20,
        counterparty_name="",
        asset="ETH",
        amount=Decimal(amount),
        status=status,
        tx_hash="0x" + "01" * 32,
    )


def test_history_shows_no_minus_zero_and_dates_in_the_date_column(qapp) -> None:
    model = HistoryModel()
    model.set_rows(
        [
            _history_row("0", datetime(2026, 1, 2, tzinfo=UTC), "confirmed"),
            _history_row("0.5", None, "pending"),
        ]
    )
    revoke_amount = model.index(0, HistoryModel.AMOUNT).data()
    assert revoke_amount == "no value" and "-0" not in revoke_amount
    assert model.index(0, HistoryModel.ASSET).data() == ""
    assert "approval or a revoke" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, HistoryModel.DATE).data() == "—"
    assert model.index(1, HistoryModel.STATUS).data() == "pending"
    assert model.index(1, HistoryModel.AMOUNT).data() == "-0.5"


def test_send_screen_drops_old_banners_and_negative_dollars(qtbot, controller) -> None:
    send = controller.window.open("send")
    wait_idle(qtbot)
    # dUSD: the demo's ETH has only a recorded 2022 close, which is not today's price
    send.asset_box.setCurrentIndex(send.asset_box.findData("dUSD"))
    send.amount.setText("")
    send.review()  # no recipient, no amount: a banner
    assert not send.error.isHidden()
    send.amount.setText("0.1")
    assert send.error.isHidden()
    assert send.fiat.text().startswith("≈ $")
    send.amount.setText("-1")
    assert send.fiat.isHidden() or "-" not in send.fiat.text()


def test_available_amounts_refresh_after_a_send(qtbot, controller, demo) -> None:
    send = controller.window.open("send")
    wait_idle(qtbot)
    i = send.asset_box.findData("ETH")
    before = send.asset_box.itemText(i)
    send.asset_box.setCurrentIndex(i)
    send.recipient.setText(demo.others["alice"])
    send.amount.setText("0.125")
    send.review()
    qtbot.waitUntil(lambda: send.dialog is not None and send.dialog.isVisible(), timeout=30000)
    if send.dialog.outcome.verdict == "caution":
        send.dialog.tick.setChecked(True)
    with qtbot.waitSignal(send.sent, timeout=60000):
        qtbot.mouseClick(send.dialog.sign_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    after = send.asset_box.itemText(send.asset_box.findData("ETH"))
    assert after != before and "available" in after
