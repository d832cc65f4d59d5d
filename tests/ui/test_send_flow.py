"""The whole send flow on the in-process EVM: the form, the review on the node, the dialog,
signing, broadcast and history; a dangerous request cannot be signed without the typed
confirmation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.errors import ReviewRequired
from app.proposals import pending_proposals
from app.review_types import DANGER_CONFIRMATION
from tests.ui.conftest import wait_idle
from ui.demo import dangerous_approval


def _eth(services, address: str) -> Decimal:
    return next(b.amount for b in services.wallet.balances(address) if b.symbol == "ETH")


def test_a_safe_send_goes_through(qtbot, controller, services, demo) -> None:
    me = demo.accounts[0].address
    alice = demo.others["alice"]
    before = _eth(services, me)
    send = controller.window.open("send")
    wait_idle(qtbot)
    assert send.account_box.currentData() == me
    send.recipient.setText("Alice (demo)")  # a name from the address book
    assert "address book" in send.recipient_note.text()
    send.asset_box.setCurrentIndex(send.asset_box.findData("ETH"))
    send.amount.setText("0.25")
    assert send.fiat.isHidden()  # the demo ETH price is a 2022 recording, not today's
    qtbot.mouseClick(send.review_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: send.dialog is not None and send.dialog.isVisible(), timeout=30000)
    dialog = send.dialog
    assert dialog.outcome.verdict == "safe"
    assert alice in " ".join(lab.text() for lab in dialog.findChildren(type(dialog.verdict_label)))
    with qtbot.waitSignal(send.sent, timeout=60000) as sent:
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    tx_hash = sent.args[0]
    after = _eth(services, me)
    assert before - Decimal("0.25") - Decimal("0.01") < after < before - Decimal("0.25")
    row = next(r for r in services.wallet.history(me) if r.tx_hash == tx_hash)
    assert (row.direction, row.amount, row.status) == ("out", Decimal("0.25"), "confirmed")


def test_a_lookalike_recipient_is_flagged(qtbot, controller, demo) -> None:
    send = controller.window.open("send")
    wait_idle(qtbot)
    alice = demo.others["alice"]
    fake = (alice[:8] + "0" * 28 + alice[-6:]).lower()
    send.recipient.setText(fake)
    assert not send.lookalike.isHidden()
    assert "only looks like Alice (demo)" in send.lookalike.text()
    send.recipient.setText(alice)
    assert send.lookalike.isHidden()


def test_bad_amount_is_a_clear_message_and_builds_nothing(qtbot, controller) -> None:
    send = controller.window.open("send")
    wait_idle(qtbot)
    send.recipient.setText("Alice (demo)")
    send.amount.setText("lots")
    send.review()
    assert "not an amount" in send.error.text()
    assert send.dialog is None
    send.amount.setText("1000000")
    send.review()
    wait_idle(qtbot)
    assert "above the balance" in send.error.text()
    assert send.dialog is None


def test_danger_cannot_be_signed_without_the_typed_confirmation(qtbot, services, demo) -> None:
    from ui.review_dialog import ReviewDialog

    prepared, action = dangerous_approval(services)
    assert prepared.review.verdict == "danger"
    history_before = len(services.wallet.history())
    for confirmation in (None, "", "i understand the risk", "I understand"):
        with pytest.raises(ReviewRequired):
            services.wallet.sign_and_send(prepared, confirmation)
    assert len(services.wallet.history()) == history_before  # nothing signed, nothing recorded
    dialog = ReviewDialog(prepared.review, action=action)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.sign_button.isEnabled()
    qtbot.keyClicks(dialog.typed, DANGER_CONFIRMATION)
    assert dialog.sign_button.isEnabled()
    tx_hash = services.wallet.sign_and_send(prepared, dialog.confirmation())
    assert tx_hash.startswith("0x")


def test_a_delegate_proposal_is_approved_through_the_review(qtbot, controller, services) -> None:
    """Approval hygiene proposes revoking the risky allowance; approving opens the same review
    dialog as a send, and only after it the revoke is signed and the proposal closes."""
    services.delegates.run_now("approval_hygiene")
    d = controller.window.open("delegates")
    wait_idle(qtbot)
    pending = [p for p in pending_proposals(services.store) if p.kind == "revoke"]
    assert pending
    d.approve(pending[0].id)
    qtbot.waitUntil(lambda: d.dialog is not None and d.dialog.isVisible(), timeout=30000)
    dialog = d.dialog
    assert dialog.outcome.decoded  # the revoke was decoded by the review
    if dialog.outcome.verdict == "caution":
        dialog.tick.setChecked(True)
    assert dialog.outcome.verdict != "danger"
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: pending[0].id not in {p.id for p in pending_proposals(services.store)},
        timeout=60000,
    )
    wait_idle(qtbot)
    # the allowance is gone: a new run finds nothing to propose for it
    services.delegates.run_now("approval_hygiene")
    assert not [
        p
        for p in pending_proposals(services.store)
        if p.payload.get("spender") == pending[0].payload["spender"]
    ]


def test_an_incoming_transfer_is_notified_and_the_click_opens_the_wallet(
    qtbot, controller, services, demo
) -> None:
    """The real path: a transfer on the demo chain, the chain watcher, the incoming-watch
    delegate, the notifications port (batching), the window's notifier; no tray offscreen,
    so the notice is recorded where the tray would show it."""
    controller.window.open("settings")
    notifier = controller.notifier
    before = len(notifier.sent)
    w3 = demo.w3
    w3.eth.send_transaction(
        {"from": demo.others["bob"], "to": demo.accounts[1].address, "value": 10**15}
    )

    def transfer_notices() -> list:
        return [n for n in notifier.sent[before:] if n.kind == "transfer"]

    # A deadline, not a delay: by design the notifications port holds a notice for up to a
    # minute when earlier tests in this shared session already used the minute's six.
    qtbot.waitUntil(lambda: bool(transfer_notices()), timeout=120000)
    assert transfer_notices()[0].screen == "wallet"
    assert len(transfer_notices()) == 1  # announced once (events and delegate not both)
    notifier._clicked()  # what the tray's messageClicked does: open the last notice's screen
    last = notifier.sent[-1].screen
    qtbot.waitUntil(lambda: controller.window.shell.pages.currentWidget().key == last)
