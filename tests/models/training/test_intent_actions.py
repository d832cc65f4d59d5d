"""The generator of labelled requests for the intent-action fine-tuning (no model, no torch)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from models.intent_model import messages_for
from models.intent_schema import ACTIONS, validate_action
from models.training.intent_actions import generate, heldout_filter
from models.training.intent_train import HELDOUT, record, splits

DATA = Path(__file__).resolve().parents[3] / "models" / "data"


@pytest.fixture(scope="module")
def split() -> tuple[list[dict], list[dict]]:
    return splits(1500, 200)


def test_every_label_is_valid_and_every_action_is_there(split) -> None:
    train, val = split
    for row in train + val:
        validate_action(row["intent"])
    counts = Counter(r["intent"]["action"] for r in train)
    assert set(counts) == set(ACTIONS)
    assert counts["refuse"] > 50
    reasons = {r["intent"]["reason"] for r in train if r["intent"]["action"] == "refuse"}
    assert reasons == {"secret", "pressure"}


def test_the_same_seed_gives_the_same_rows() -> None:
    assert generate(50, 3) == generate(50, 3)
    assert generate(50, 3) != generate(50, 4)


def test_values_in_a_label_are_written_in_the_sentence(split) -> None:
    for row in split[0]:
        text = row["text"].lower()
        for key in ("recipient", "name", "address", "spender", "which"):
            value = row["intent"].get(key)
            if value not in (None, "last"):
                assert str(value).lower() in text, (key, row)


def test_no_row_is_a_held_out_sentence_or_a_near_copy_of_one(split) -> None:
    near = heldout_filter(HELDOUT)
    held = {json.loads(x)["text"].lower() for x in HELDOUT.read_text().splitlines() if x}
    for row in split[0] + split[1]:
        assert row["text"].lower() not in held
        assert not near(row["text"]), row["text"]


def test_near_key_sees_through_case_punctuation_numbers_and_names() -> None:
    near = heldout_filter(HELDOUT)
    # held-out: "send 0.25 eth to bob", "pls send 40 DAI to marcus on polygon" and
    # "how much ETH do i have"
    assert near("Send 7 ETH to Alice!")
    assert near("pls send 1,200 dai to rosa on polygon")
    assert near("How much USDC do I have?")
    assert not near("please explain what a gas fee is")


def test_train_and_validation_share_no_sentence(split) -> None:
    train, val = split
    assert not {r["text"].lower() for r in train} & {r["text"].lower() for r in val}


def test_a_training_chat_is_the_runtime_prompt_with_its_examples_from_the_dev_pool(split) -> None:
    row = split[0][0]
    rec = record(row)
    assert rec["messages"] == messages_for(row["text"])
    assert json.loads(rec["answer"]) == {"action": row["intent"]["action"]}
    lines = (DATA / "intents_dev.jsonl").read_text().splitlines()
    dev = {json.loads(x)["text"] for x in lines if x}
    shown = [m["content"] for m in rec["messages"][1:-1] if m["role"] == "user"]
    assert shown and set(shown) <= dev
