"""The data side of training (pure Python, always runs): generator, describer, anonymization,
prompts and parsers, the runtime hook in ``models.shipped`` with a scripted chat function."""

from __future__ import annotations

import json
import random
from pathlib import Path

from models.intents import load_labelled
from models.shipped import explain, parse_intent, review_opinion
from models.shipped.anon import Scrubber
from models.shipped.describe import describe
from models.shipped.prompts import parse_review
from models.training.data import build, read_jsonl
from models.training.evaluate import faithful, key_entities
from models.training.scenarios import make_case

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "review-cases"


def test_generation_is_reproducible_anonymized_and_labelled_by_the_rules(tmp_path: Path) -> None:
    sizes = {"review": 12, "explain": 4, "intent": 6, "brief": 2, "heldout": 5}
    build(tmp_path / "a", seed=11, sizes=sizes)
    build(tmp_path / "b", seed=11, sizes=sizes)
    a = (tmp_path / "a" / "train.jsonl").read_bytes()
    assert a == (tmp_path / "b" / "train.jsonl").read_bytes()
    rows = read_jsonl(tmp_path / "a" / "train.jsonl")
    assert "0x" not in a.decode(), "addresses and hashes pass the anonymizer"
    for r in rows:
        if r["task"] == "review":
            verdict, codes = parse_review(r["answer"])
            assert verdict in ("safe", "caution", "danger")
            assert ("Findings: none" in r["answer"]) == (not codes)
    held = read_jsonl(tmp_path / "a" / "heldout_cases.jsonl")
    train_prompts = {r["messages"][-1]["content"] for r in rows}
    for case in held:
        assert Scrubber()(describe(case["request"], case["facts"])) not in train_prompts


def test_training_intents_are_disjoint_from_the_runtime_set(tmp_path: Path) -> None:
    from models.intents import DATA_FILE

    build(
        tmp_path,
        seed=5,
        sizes={"review": 0, "explain": 0, "intent": 200, "brief": 0, "heldout": 0},
        intents=DATA_FILE,
    )
    labelled = {ex.text.lower() for ex in load_labelled()}
    for r in read_jsonl(tmp_path / "train.jsonl"):
        assert r["messages"][-1]["content"].lower() not in labelled


def test_describe_never_raises_and_hides_nothing_decisive() -> None:
    rng = random.Random(2)
    for i in range(50):
        case = make_case(rng, i)
        assert describe(case["request"], case["facts"]).startswith("Request")
    assert "could not be decoded" in describe({"params": 5}, {"now": "bad"})  # type: ignore[dict-item]
    cases = [json.loads(p.read_text()) for p in sorted(SHARED.glob("*.json"))]
    poisoning = [c for c in cases if "address_poisoning" in c["expected"]["findings"]]
    for c in poisoning:  # the describer states the look-alike fact the model must reason on
        assert "looks like known address" in describe(c["request"], c["facts"])


def test_scrubber_round_trip_keeps_reasoning_numbers() -> None:
    s = Scrubber(["Mom"])
    addr = "0xEBE0f06ed7eBA764d0CeD67fbCE2Ad8636b9050f"
    text = f"Send 4.75 ETH (95% of balance) to {addr} (Mom), 12 days old"
    out = s(text)
    assert "4.75" not in out and "0xEBE0" not in out and "Mom" not in out
    assert "95%" in out and "12 days" in out
    assert s.restore(out) == text


def test_shipped_hook_restores_values_and_parses_answers() -> None:
    from delegates.tx_review import review_case

    case = next(json.loads(p.read_text()) for p in SHARED.glob("approve-exact-eoa-otc-01.json"))
    seen: list[str] = []

    def chat(messages: list[dict[str, str]], max_tokens: int) -> str:
        seen.append(messages[-1]["content"])
        return (
            "Why: the spender ADDR_2 is not a contract.\nVerdict: danger\nFindings: approval_to_eoa"
        )

    opinion = review_opinion(chat, case["request"], case["facts"])
    assert opinion["verdict"] == "danger" and opinion["findings"][0]["code"] == "approval_to_eoa"
    assert "0x" not in seen[-1]
    outcome = review_case(case)

    def chat_explain(messages: list[dict[str, str]], max_tokens: int) -> str:
        return json.dumps({"verdict": "danger", "summary": "This lets ADDR_1 spend AMOUNT_1 USDC."})

    text, data = explain(chat_explain, outcome)
    assert data is not None and "0x" in text
    assert parse_intent(lambda m, n: '{"action": "explain_last_tx"}', "explain my last tx") == {
        "action": "explain_last_tx"
    }
    assert parse_intent(lambda m, n: "nonsense", "send it")["action"] == "clarify"


def test_faithfulness_needs_every_key_entity_and_the_verdict() -> None:
    from delegates.tx_review import review_case

    case = json.loads((SHARED / "approve-exact-eoa-otc-01.json").read_text())
    outcome = review_case(case)
    detail = outcome.findings[0].detail
    ents = key_entities(detail)
    assert any(e.startswith("0x") for e in ents) and "usdc" in ents
    assert faithful(outcome, outcome.summary, None)
    assert not faithful(outcome, "Nothing to worry about, it is safe to sign.", None)
    assert not faithful(outcome, detail, {"verdict": "safe"})
