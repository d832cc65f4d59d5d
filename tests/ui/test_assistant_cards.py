"""The Assistant on the real demo (in-process EVM, encrypted store, delegates): every intent
becomes a card wired to the real feature or an answer computed by code; free text from the
model shows only after the check against the wallet's facts."""

from __future__ import annotations

from sqlalchemy import select

from app.store import schema as s
from models.answer_check import FALLBACK
from tests.ui.conftest import wait_idle


def _ask(qtbot, a, text: str) -> None:  # type: ignore[no-untyped-def]
    a.input.setText(text)
    a.send()
    qtbot.waitUntil(lambda: not a.busy, timeout=90000)
    wait_idle(qtbot)


def _market_settings(services) -> dict:  # type: ignore[no-untyped-def]
    return next(dict(r.settings) for r in services.delegates.list() if r.name == "market_analysis")


def test_revoke_opens_the_approval_delegates_proposal_in_its_review(
    qtbot, controller, services
) -> None:
    services.delegates.run_now("approval_hygiene")
    a = controller.window.open("assistant")
    wait_idle(qtbot)
    _ask(qtbot, a, "revoke the dUSD approval")
    assert a.action is not None and a.action.kind == "revoke"
    proposal_id = a.action.fields["proposal_id"]
    assert isinstance(proposal_id, int)
    assert a.action.description.startswith("Revoke the unlimited dUSD allowance")
    assert a.action_go.text() == "Review the revoke…"
    a._do_action()
    d = controller.window.shell.pages.currentWidget()
    assert d.key == "delegates"
    qtbot.waitUntil(lambda: getattr(d, "dialog", None) is not None, timeout=30000)
    assert d.dialog.isVisible()  # the same review as Approve in Delegates; nothing signed
    d.dialog.reject()  # the user's no: the request and its proposal are rejected, unsigned
    wait_idle(qtbot)
    with services.store.session() as ses:
        proposal = ses.get(s.Proposal, proposal_id)
        assert proposal.status == "rejected"
        requests = ses.scalars(
            select(s.SignRequest).where(s.SignRequest.proposal_id == proposal_id)
        )
        assert [r.status for r in requests] == ["rejected"]
        proposal.status = "pending"  # the demo is shared: later tests expect the proposal


def test_a_revoke_nobody_proposed_says_how_to_find_approvals(qtbot, controller) -> None:
    a = controller.window.open("assistant")
    wait_idle(qtbot)
    _ask(qtbot, a, "revoke the dGOV approval to 0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF")
    assert a.action is not None and a.action.kind == "revoke"
    assert a.action.fields["proposal_id"] is None
    assert "No revoke of the DGOV approval to 0x2B5A…D6cF is proposed" in a.action.description
    assert a.action_go.text() == "Open Delegates"


def test_a_price_alert_is_stored_as_the_market_delegates_rule(qtbot, controller, services) -> None:
    before = _market_settings(services)
    a = controller.window.open("assistant")
    wait_idle(qtbot)
    try:
        _ask(qtbot, a, "alert me when eth goes above 4000")
        assert a.action is not None and a.action.kind == "price_alert"
        assert a.action.fields == {"symbol": "ETH/USD", "direction": "above", "price": "4000"}
        assert (a.action_go.text(), a.action_card.isHidden()) == ("Save the alert", False)
        rules = _market_settings(services).get("alert_rules") or {}
        assert "price_above" not in rules.get("ETH/USD", {})  # nothing stored before the click
        a._do_action()
        wait_idle(qtbot)
        rules = _market_settings(services)["alert_rules"]
        assert rules["ETH/USD"]["price_above"] == 4000.0
        assert a.messages[-1]["content"].startswith("Saved: the market delegate will tell you")
    finally:
        services.delegates.save_settings(
            "market_analysis", {"alert_rules": before.get("alert_rules")}
        )


def test_market_questions_get_the_delegates_stored_brief(qtbot, controller, services) -> None:
    services.delegates.run_now("market_analysis")
    with services.store.session() as ses:
        run = ses.scalars(
            select(s.DelegateRun)
            .where(s.DelegateRun.delegate == "market_analysis")
            .order_by(s.DelegateRun.id.desc())
        ).first()
        brief = next(r["brief"] for r in run.output["assets"] if r["symbol"] == "ETH/USD")
    a = controller.window.open("assistant")
    wait_idle(qtbot)
    _ask(qtbot, a, "is ETH in a downtrend")
    said = a.messages[-1]["content"]
    assert said.startswith("From the market delegate's brief of ")
    assert brief.strip() in said  # the delegate's words, not the model's
    assert a.action is not None and a.action_go.text() == "Open Market"


def test_explain_my_last_transaction_is_read_from_history(qtbot, controller, services) -> None:
    last = next(r for r in services.wallet.history() if not r.hidden)
    a = controller.window.open("assistant")
    wait_idle(qtbot)
    _ask(qtbot, a, "explain my last transaction")
    said = a.messages[-1]["content"]
    assert said.startswith("Your last transfer: you ")
    assert last.asset in said and (last.counterparty_name or last.counterparty) in said


def test_the_models_free_text_shows_only_when_its_values_are_in_the_facts(
    qtbot, controller
) -> None:
    a = controller.window.open("assistant")
    wait_idle(qtbot)
    a.messages = [{"role": "user", "content": "how is my wallet doing?"}]
    assert a._checked("The company has revoked the risky approval.") == FALLBACK
    assert a._checked("You hold 123456.78 ETH.") == FALLBACK
    assert a._checked("A gas fee pays the network for your transaction.").startswith("A gas")
    assert a._checked("You hold 1 PEPE [stopped]") == FALLBACK + " [stopped]"
