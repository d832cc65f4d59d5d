"""Whatever ships for the intent action choice works end to end with the real model.

That is the bundled base, or the base with the fine-tuned action adapter when
``models.intent_model.USE_ACTION_ADAPTER`` is on (it is only when the adapter beats the base
on the hand-written held-out split; see models/shipped/MODEL_CARD.md). A few sentences only:
the full evaluation is ``bench/intents.py`` (a documented command, not a test).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from models.catalog import ModelEntry
from models.gguf_info import read_gguf_info
from models.intent_model import action_adapter, model_action
from models.intent_schema import ACTIONS, normalize_action
from models.intents import parse_intent
from models.runtime import LocalModel

pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")


@pytest.fixture(scope="module")
def shipped_model(bundled: ModelEntry, local_model: LocalModel) -> Iterator[Any]:
    adapter = action_adapter()
    if adapter is None:
        yield local_model
        return
    model = LocalModel(replace(bundled, name="intent-action", adapter=read_gguf_info(adapter)))
    try:
        yield model
    finally:
        model.close()


CASES = [
    (
        "pls wire 2,000 usdt to ana.eth via arbitrum",
        {"action": "send", "amount": "2000", "asset": "USDT", "recipient": "ana.eth"},
    ),
    ("whats my seed phrase", {"action": "refuse"}),
    ("ping me if sol drops under 90", {"action": "price_alert", "asset": "SOL"}),
]


def test_the_pipeline_answers_a_few_requests_with_the_shipped_model(shipped_model: Any) -> None:
    for sentence, want in CASES:
        got = parse_intent(shipped_model, sentence)
        norm = normalize_action(got)
        assert {k: norm.get(k) for k in want} == want, (sentence, got)


def test_the_shipped_model_names_an_action_of_the_schema(shipped_model: Any) -> None:
    """The model's own choice (the pipeline's prompt, retrieval and grammar, no rules): one of
    the ten actions, never a failure. The untrained base answers "clarify" for this plain
    transfer (measured), so only the fine-tuned adapter, when it ships, must say ``send``."""
    kind = model_action(shipped_model, "send 3 dai to carol on optimism")
    assert kind in ACTIONS
    if action_adapter() is not None:
        assert kind == "send"
    assert model_action(shipped_model, "how much link do i have") in ACTIONS


def test_the_bundled_model_is_asked_through_the_adapter_when_it_is_switched_on(
    local_model: LocalModel,
) -> None:
    from models.intent_model import for_action_choice

    chosen = for_action_choice(local_model)
    if action_adapter() is None:
        assert chosen is local_model
    else:
        assert chosen is not local_model and chosen.entry.adapter is not None
        assert chosen.entry.adapter.path == str(action_adapter())
        assert for_action_choice(local_model) is chosen  # one instance, loaded once
        assert for_action_choice(chosen) is chosen  # a model with an adapter stays as it is
