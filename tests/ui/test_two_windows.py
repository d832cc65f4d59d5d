"""A delegate proposal approved twice, from two windows, is sent once (issue 18).

Two Delegates screens, each in a window of its own with its own event bridge, over one set of
demo services (one encrypted store, one demo chain). Both open the review of the same proposal
and both confirm it; the request lifecycle in the core (``app.wallet.requests``) lets one of
them sign. The chain is the judge: the owner's nonce moves by exactly one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.proposals import pending_proposals
from tests.ui.conftest import wait_idle
from ui.bridge import EventBridge
from ui.screens.base import ScreenContext


def _window(qtbot: Any, services: Any) -> Any:
    from ui.screens.delegates import DelegatesScreen

    window = QWidget()
    qtbot.addWidget(window)
    bridge = EventBridge(services.bus, window)
    ctx = ScreenContext(
        services=services,
        bridge=bridge,
        navigate=lambda *_a, **_k: None,
        status=lambda _m: None,
        window=window,
    )
    screen = DelegatesScreen(ctx, window)
    QVBoxLayout(window).addWidget(screen)
    window.resize(1000, 700)
    window.show()
    screen.ensure_loaded()
    return screen


def test_a_proposal_approved_from_two_windows_is_sent_once(qtbot, services, demo) -> None:
    from ui.demo import prepare_scenario

    prepare_scenario(demo)  # a fresh unlimited allowance to a personal address
    services.delegates.run_now("approval_hygiene")
    first, second = _window(qtbot, services), _window(qtbot, services)
    wait_idle(qtbot)
    proposal = next(p for p in pending_proposals(services.store) if p.kind == "revoke")
    owner = services.wallet.accounts()[0].address
    nonce_before = demo.w3.eth.get_transaction_count(owner)

    for screen in (first, second):
        screen.approve(proposal.id)
    for screen in (first, second):
        qtbot.waitUntil(
            lambda s=screen: s.dialog is not None and s.dialog.isVisible(), timeout=60000
        )
    for screen in (first, second):
        if screen.dialog.outcome.verdict == "caution":
            screen.dialog.tick.setChecked(True)
        assert screen.dialog.outcome.verdict != "danger"
    # Both yeses, one right after the other, before either send has finished.
    qtbot.mouseClick(first.dialog.sign_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(second.dialog.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: proposal.id not in {p.id for p in pending_proposals(services.store)},
        timeout=60000,
    )
    wait_idle(qtbot)

    assert demo.w3.eth.get_transaction_count(owner) == nonce_before + 1
