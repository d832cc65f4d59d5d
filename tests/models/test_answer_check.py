"""The check on the model's free text: values not in the facts and claims of actions are
withheld; an answer built from the facts passes."""

from __future__ import annotations

import pytest

from models.answer_check import FALLBACK, check_answer

FACTS = (
    "- Account Demo main holds 9.9989 ETH ($24,997.25), 1,500 dUSD.\n"
    "- Sent 0.25 ETH to Alice (demo).\n"
    "- Received 100 dUSD from 0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF."
)


@pytest.mark.parametrize(
    "answer",
    [
        "You hold 9.9989 ETH and 1,500 dUSD in Demo main.",
        "Your last send was 0.25 ETH to Alice.",
        "You received 100 dUSD from 0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF.",
        "A gas fee is what the network charges to include a transaction.",
    ],
)
def test_answers_made_of_the_facts_pass(answer: str) -> None:
    checked = check_answer(answer, FACTS, "what do I have?")
    assert checked.ok and checked.text == answer


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("You hold 12.5 ETH.", "a number not in the facts"),
        ("ETH is relatively stable at 3,120 dollars.", "a number not in the facts"),
        ("Send it to 0x000000000000000000000000000000000000dEaD.", "an address or hash"),
        ("Your friend bob.eth sent you dUSD.", "an ENS name"),
        ("You also hold some PEPE.", "a token symbol"),
        ("You sent dUSD to Carol last week.", "a name not in the facts"),
        ("The company has revoked the risky approval.", "a claim that an action"),
        ("I have sent 0.25 ETH to Alice.", "a claim that an action"),
        ("Done: the alert is now set.", "a claim that an action"),
    ],
)
def test_made_up_values_and_claimed_actions_are_withheld(answer: str, reason: str) -> None:
    checked = check_answer(answer, FACTS, "tell me about my wallet")
    assert not checked.ok and checked.text == FALLBACK
    assert any(r.startswith(reason) for r in checked.reasons), checked.reasons


def test_a_value_from_the_question_may_be_repeated() -> None:
    assert check_answer("4000 is above the last close.", FACTS, "is eth above 4000?").ok
