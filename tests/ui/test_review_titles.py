"""The review dialog names the findings for own accounts and burn addresses in words, from a
real review of a send (rules and decoders, no model)."""

from __future__ import annotations

from delegates.tx_review import review_request
from ui.review_dialog import ReviewDialog

USER = "0x1111111111111111111111111111111111111111"
SPARE = "0x2222222222222222222222222222222222222222"


def _send(to: str) -> dict:
    return {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "origin": None,
        "from": USER,
        "params": {"to": to, "value": hex(10**17), "data": "0x"},
    }


def _texts(dialog: ReviewDialog) -> str:
    return " ".join(lab.text() for lab in dialog.findChildren(type(dialog.verdict_label)))


def test_burn_address_and_own_account_have_titles(qtbot) -> None:
    burn = ReviewDialog(review_request(_send("0x" + "0" * 40), {}))
    qtbot.addWidget(burn)
    assert burn.outcome.verdict == "danger"
    assert "Sending to a burn address" in _texts(burn)
    own = ReviewDialog(review_request(_send(SPARE), {"own_accounts": [SPARE]}))
    qtbot.addWidget(own)
    assert own.outcome.verdict == "safe"
    assert "Your own account" in _texts(own)
