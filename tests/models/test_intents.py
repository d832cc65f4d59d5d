"""Intent parsing: schema-validated actions, questions instead of guesses, the labelled set."""

from __future__ import annotations

import jsonschema

from models.intents import (
    INTENT_SCHEMA,
    LabelledIntent,
    evaluate,
    guard,
    legacy_parse_intent,
    load_labelled,
    normalize,
)
from models.runtime import LocalModel

ADDR = "0x52908400098527886E0F7030069857D2E4169EE7"


def test_labelled_set_is_large_valid_and_covers_every_action() -> None:
    rows = load_labelled()
    assert len(rows) >= 100
    assert len({r.text for r in rows}) == len(rows)
    assert {r.intent["action"] for r in rows} == {
        "send",
        "swap",
        "add_contact",
        "check_balance",
        "explain_last_tx",
        "clarify",
    }
    for r in rows:
        jsonschema.validate(r.intent, INTENT_SCHEMA)
        if r.intent["action"] != "clarify":  # a correct label survives the guard unchanged
            assert normalize(guard(r.text, r.intent)) == normalize(r.intent), r.text


def test_invented_values_become_a_question() -> None:
    sentence = "send some ETH to bob"
    guessed = {"action": "send", "amount": "1", "asset": "ETH", "to": "bob", "chain": None}
    out = guard(sentence, guessed)
    assert out["action"] == "clarify" and "how much" in out["question"]
    wrong_addr = {"action": "add_contact", "name": "bob", "address": "0x" + "12" * 20}
    assert guard(f"add {ADDR} as bob", wrong_addr)["action"] == "clarify"
    wrong_chain = {"action": "check_balance", "asset": "ETH", "chain": "base"}
    assert guard("how much ETH do I have", wrong_chain)["action"] == "clarify"


def test_evaluate_counts_exact_matches() -> None:
    rows = [
        LabelledIntent(
            "send 1 ETH to bob",
            {"action": "send", "amount": "1", "asset": "ETH", "to": "bob", "chain": None},
        ),
        LabelledIntent("hmm", {"action": "clarify", "question": "What should I do?"}),
    ]
    perfect = evaluate(lambda s: next(r.intent for r in rows if r.text == s), rows)
    assert perfect.accuracy == 1.0
    # Letter case and number spelling do not count; a question's wording does not either.
    loose = {"action": "send", "amount": "1.0", "asset": "eth", "to": "Bob", "chain": None}
    other = {"action": "clarify", "question": "Say again?"}
    assert evaluate(lambda s: loose if s.startswith("send") else other, rows).accuracy == 1.0
    wrong = evaluate(lambda s: {"action": "explain_last_tx"}, rows)
    assert wrong.accuracy == 0.0 and len(wrong.failures) == 2


def test_bundled_model_parses_with_the_grammar(local_model: LocalModel) -> None:
    """The first parser, kept as the benchmark's baseline."""
    explained = legacy_parse_intent(local_model, "explain my last transaction")
    assert explained == {"action": "explain_last_tx"}
    vague = legacy_parse_intent(local_model, "send some ETH to bob")
    jsonschema.validate(vague, INTENT_SCHEMA)
    assert vague["action"] != "send"  # no amount in the sentence: never a guessed one
