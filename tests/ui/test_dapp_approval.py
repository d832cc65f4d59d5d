"""The app's approval port: a site's request, asked from a worker thread as the provider
does, opens the real connect prompt and the real review dialog; the answers are the clicks
and the typed words. The review outcomes are made here (this checks the port, not the
review)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QLabel

from app.dapp.approval import Decision, SigningPrompt
from app.review_types import DANGER_CONFIRMATION, Finding, ReviewOutcome
from ui.dapp_approval import ConnectDialog, QtApproval
from ui.review_dialog import ReviewDialog

ORIGIN = "https://dapp.example"
ACCOUNTS = [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
]


def _in_worker(fn: Any) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: out.setdefault("answer", fn()), daemon=True)
    thread.start()
    return thread, out


def _prompt(verdict: str) -> SigningPrompt:
    findings = (
        (Finding("unlimited_approval", "danger", "Unlimited approval"),)
        if verdict == "danger"
        else ()
    )
    outcome = ReviewOutcome(verdict, findings, "approve a token", "d" * 64)  # type: ignore[arg-type]
    return SigningPrompt(ORIGIN, "transaction", {"method": "eth_sendTransaction"}, outcome)


def test_danger_needs_the_typed_words_in_the_review_dialog(qtbot: Any) -> None:
    approval = QtApproval()
    thread, out = _in_worker(lambda: approval.review(_prompt("danger")))
    qtbot.waitUntil(lambda: bool(approval.open_dialogs), timeout=10_000)
    dialog = approval.open_dialogs[0]
    assert isinstance(dialog, ReviewDialog)
    assert not dialog.sign_button.isEnabled()
    dialog.typed.setText("yes")
    assert not dialog.sign_button.isEnabled()
    dialog.typed.setText(DANGER_CONFIRMATION)
    dialog.sign_button.click()
    qtbot.waitUntil(lambda: "answer" in out, timeout=10_000)
    thread.join(5)
    assert out["answer"] == Decision(True, DANGER_CONFIRMATION)


def test_rejecting_the_review_is_a_no(qtbot: Any) -> None:
    approval = QtApproval()
    thread, out = _in_worker(lambda: approval.review(_prompt("safe")))
    qtbot.waitUntil(lambda: bool(approval.open_dialogs), timeout=10_000)
    approval.open_dialogs[0].reject_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "answer" in out, timeout=10_000)
    thread.join(5)
    assert out["answer"] == Decision(False)


def test_the_connect_prompt_names_the_origin_and_shares_only_ticked_accounts(qtbot: Any) -> None:
    approval = QtApproval()
    thread, out = _in_worker(lambda: approval.connect(ORIGIN, ACCOUNTS, "https://uniswap.org"))
    qtbot.waitUntil(lambda: bool(approval.open_dialogs), timeout=10_000)
    dialog = approval.open_dialogs[0]
    assert isinstance(dialog, ConnectDialog)
    labels = [w.text() for w in dialog.findChildren(QLabel)]
    assert any(ORIGIN in t for t in labels)
    assert any("looks like https://uniswap.org" in t for t in labels)
    assert [b.text() for b in dialog.boxes] == ACCOUNTS
    assert not any(b.isChecked() for b in dialog.boxes)  # a look-alike: nothing ticked for you
    dialog.boxes[1].setChecked(True)
    dialog.connect_button.click()
    qtbot.waitUntil(lambda: "answer" in out, timeout=10_000)
    thread.join(5)
    assert out["answer"] == [ACCOUNTS[1]]
