"""The review dialog shows what is signed (issue 19, items 4 and 5): the decoded call with its
arguments in units, a revoke as "set the allowance … to 0", a simulation line that agrees
with the headline, finding names (codes only in the details view), the amount in words.

Real parts: a real anvil node with a freshly compiled ERC-20, the app's own reviewer
(facts from the node and a real encrypted store, simulation by eth_simulateV1), real widgets.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_abi import encode
from PySide6.QtWidgets import QLabel

from app.review_types import Finding, ReviewOutcome
from app.store import open_throwaway
from app.store.schema import Contact, Transfer
from delegates.tx_review import make_reviewer, review_request
from tests.support.anvil import anvil  # noqa: F401  (fixture)
from ui.review_dialog import ReviewDialog, amount_in_words, simulation_lines, simulation_text


def _texts(d: ReviewDialog, *, visible_only: bool = False) -> str:
    labels = d.findChildren(QLabel)
    if visible_only:
        labels = [lab for lab in labels if lab.isVisibleTo(d)]
    return " ".join(lab.text() for lab in labels)


@pytest.fixture
def world(anvil, tmp_path: Path):  # noqa: F811
    from web3 import HTTPProvider, Web3

    from tests.support.erc20 import deploy_token

    w3 = Web3(HTTPProvider(anvil.url))
    user, friend = w3.eth.accounts[:2]
    anvil.mine(3)
    token = deploy_token(w3, user, "Demo Dollar", "dUSD", 6, 1_000_000 * 10**6)
    anvil.mine(2)
    db = open_throwaway(tmp_path)
    with db.session() as s:
        s.add(Contact(address=friend, name="Friend"))
        for i, to in enumerate((friend, token)):
            s.add(
                Transfer(
                    chain_id=31337,
                    account=user,
                    tx_hash=f"0x0{i}",
                    direction="out",
                    sender=user,
                    recipient=to,
                    token=None,
                    amount="1",
                )
            )
    return {"user": user, "friend": friend, "token": token, "reviewer": make_reviewer(w3, db)}


def _tx(world: dict, data: str) -> dict:
    return {
        "method": "eth_sendTransaction",
        "chain_id": 31337,
        "origin": None,
        "from": world["user"],
        "params": {"to": world["token"], "value": "0x0", "data": data},
    }


@pytest.mark.anvil
def test_a_revoke_shows_token_spender_and_zero(world, qtbot) -> None:
    data = "0x095ea7b3" + encode(["address", "uint256"], [world["friend"], 0]).hex()
    d = ReviewDialog(world["reviewer"].review(_tx(world, data)), action="Revoke")
    qtbot.addWidget(d)
    sentence = d.signed_sentence.text()
    assert sentence.startswith("Set the allowance of dUSD for ")
    assert world["friend"][:6] in sentence and "(Friend)" in sentence
    assert sentence.endswith("to 0 (a revoke)")
    shown = _texts(d)
    assert "spender: " in shown and "amount: 0 dUSD" in shown
    assert "calls approve on" not in d.outcome.summary


@pytest.mark.anvil
def test_simulated_send_says_what_was_simulated_and_never_unknown_under_safe(world, qtbot) -> None:
    data = "0xa9059cbb" + encode(["address", "uint256"], [world["friend"], 5 * 10**6]).hex()
    outcome = world["reviewer"].review(_tx(world, data))
    assert outcome.simulation is not None
    d = ReviewDialog(outcome)
    qtbot.addWidget(d)
    d.show()
    shown = _texts(d)
    assert "Unknown is not safe" not in shown
    assert "Simulated with eth_simulateV1" in d.simulation_label.text()
    assert ("out", "5 dUSD") in simulation_lines(outcome.simulation)
    assert d.moved_label is not None and "5 dUSD" in d.moved_label.text()
    assert "of your balance" in d.moved_label.text()
    if outcome.verdict == "safe":
        assert d.verdict_label.text() == "Looks safe"


def test_simulation_line_agrees_with_the_headline_when_nothing_was_simulated() -> None:
    user, to = "0x" + "11" * 20, "0x" + "22" * 20
    send = {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "from": user,
        "params": {"to": to, "value": hex(10**17), "data": "0x"},
    }
    safe = review_request(send, {"own_accounts": [to]})
    assert safe.verdict == "safe"
    assert "not safe" not in simulation_text(safe) and "Not simulated" in simulation_text(safe)
    risky = review_request(send, {})
    assert risky.verdict != "safe"
    assert "risk" in simulation_text(risky)
    message = review_request(
        {"method": "personal_sign", "chain_id": 1, "from": user, "params": ["0x68690a"]}, {}
    )
    assert simulation_text(message).startswith("Nothing to simulate")


def test_simulator_keys_are_read_even_without_the_reviews_texts() -> None:
    sim = {"method": "eth_simulateV1", "ok": True, "assets_out": [{"asset": "native", "amount": 7}]}
    assert simulation_lines(sim) == [("out", "7 units of native")]


def test_finding_codes_only_in_the_details_view(qtbot) -> None:
    outcome = ReviewOutcome(
        verdict="caution",
        findings=(Finding("address_poisoning", "caution", "looks like a friend"),),
        summary="s",
        request_digest="d",
    )
    d = ReviewDialog(outcome)
    qtbot.addWidget(d)
    d.show()
    assert "Possible address poisoning" in _texts(d, visible_only=True)
    assert "address_poisoning" not in _texts(d, visible_only=True)
    d.details_button.click()
    assert "address_poisoning" in _texts(d, visible_only=True)


def test_amount_in_words_follows_the_locale() -> None:
    assert amount_in_words("0.5", "ETH", "de_DE") == "null Komma fünf ETH"
    assert amount_in_words("0.5", "ETH", "en_US") == "zero point five ETH"
    assert amount_in_words("1500", "dUSD", "C") == "one thousand, five hundred dUSD"
    assert amount_in_words("nonsense", "ETH", "en_US") == ""
    assert amount_in_words("1e400", "ETH", "en_US") == ""


def test_share_of_balance_and_words_from_a_real_review(qtbot) -> None:
    user, to = "0x" + "11" * 20, "0x" + "22" * 20
    send = {
        "method": "eth_sendTransaction",
        "chain_id": 1,
        "from": user,
        "params": {"to": to, "value": hex(5 * 10**17), "data": "0x"},
    }
    outcome = review_request(send, {"balances": {"native": str(2 * 10**18)}})
    d = ReviewDialog(outcome)
    qtbot.addWidget(d)
    assert d.moved_label is not None
    text = d.moved_label.text()
    assert text.startswith("0.5 ETH (") and "25% of your balance" in text
