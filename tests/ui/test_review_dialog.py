"""The review dialog gates signing: danger needs the typed phrase, caution a tick."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.review_types import DANGER_CONFIRMATION, Finding, ReviewOutcome
from ui.review_dialog import ReviewDialog, simulation_lines


def _outcome(verdict: str, findings: tuple[Finding, ...] = ()) -> ReviewOutcome:
    return ReviewOutcome(
        verdict=verdict,  # type: ignore[arg-type]
        findings=findings,
        summary=f"summary for {verdict}",
        request_digest="d",
        decoded={"call": "approve", "args": {"spender": "0xabc", "amount": "unlimited"}},
        simulation={"changes": [{"direction": "out", "amount": "-5", "symbol": "USDC"}]},
    )


def test_danger_cannot_be_signed_without_the_typed_confirmation(qtbot) -> None:
    d = ReviewDialog(_outcome("danger", (Finding("unlimited_approval", "danger", "all of it"),)))
    qtbot.addWidget(d)
    d.show()
    assert d.verdict_label.text().startswith("Dangerous")
    assert not d.sign_button.isEnabled()
    assert d.reject_button.isDefault()
    qtbot.mouseClick(d.sign_button, Qt.MouseButton.LeftButton)
    assert d.result() != ReviewDialog.DialogCode.Accepted
    qtbot.keyClicks(d.typed, "i understand")
    assert not d.sign_button.isEnabled()
    d.typed.setText(DANGER_CONFIRMATION)
    assert d.sign_button.isEnabled()
    assert d.confirmation() == DANGER_CONFIRMATION
    with qtbot.waitSignal(d.accepted, timeout=1000):
        qtbot.mouseClick(d.sign_button, Qt.MouseButton.LeftButton)


def test_caution_needs_the_tick_and_safe_needs_nothing(qtbot) -> None:
    c = ReviewDialog(_outcome("caution", (Finding("first_interaction", "caution", "new"),)))
    qtbot.addWidget(c)
    assert not c.sign_button.isEnabled()
    c.tick.setChecked(True)
    assert c.sign_button.isEnabled()
    assert c.confirmation() is None
    s = ReviewDialog(_outcome("safe"))
    qtbot.addWidget(s)
    assert s.sign_button.isEnabled()


def test_findings_simulation_and_decoded_call_are_shown(qtbot) -> None:
    d = ReviewDialog(
        _outcome("danger", (Finding("approval_to_eoa", "danger", "spender 0xabc is a person"),))
    )
    qtbot.addWidget(d)
    texts = " ".join(lab.text() for lab in d.findChildren(type(d.verdict_label)))
    assert "spender 0xabc is a person" in texts
    assert "summary for danger" in texts
    assert "5 USDC" in texts
    assert d.decoded.topLevelItemCount() >= 2
    assert simulation_lines({"changes": [{"amount": "+1", "symbol": "ETH"}]}) == [("in", "1 ETH")]
    assert simulation_lines(None) == []
