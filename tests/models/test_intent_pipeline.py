"""The grounded intent pipeline: rules, the model for the action only, and the guard."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from models.intent_guard import check, grounded
from models.intent_model import POOL_FILE
from models.intent_schema import normalize_action, validate_action
from models.intent_spans import WalletWords, read_spans
from models.intents import parse_intent
from models.runtime import LocalModel

ADDR = "0x52908400098527886E0F7030069857D2E4169EE7"
HASH = "0x" + "3f1a9c0b" * 8


class CountingModel:
    """The real bundled model, counting the requests that reach it (not a fake)."""

    def __init__(self, model: LocalModel) -> None:
        self.model, self.name, self.calls = model, model.name, 0

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.model.submit(*args, **kwargs)


def test_spans_read_numbers_symbols_and_chains_exactly() -> None:
    sp = read_spans(f"send 1,200 dai to nina.eth via base and .5 eth to {ADDR}")
    assert [a.value for a in sp.amounts] == ["1200", "0.5"]
    assert [a.value for a in sp.assets] == ["DAI", "ETH"]  # not the "eth" of nina.eth
    assert sp.chain == "base" and [e.value for e in sp.ens] == ["nina.eth"]
    assert [a.value for a in read_spans("alert me over $5k or 60k, five").amounts] == [
        "5000",
        "60000",
        "5",
    ]
    assert read_spans("show the base units").chain is None  # "base" as a word is no chain


def test_the_issues_invented_values_are_dropped() -> None:
    """The first parser's failures from issue 13, as the guard sees them."""
    text = "send 0.25 eth to bob"
    invented_asset = {"action": "send", "amount": "0.25", "asset": "BORBOR", "recipient": "bob"}
    assert check(invented_asset, read_spans(text))["missing"] == ["asset"]
    invented_chain = {**invented_asset, "asset": "ETH", "chain": "base"}
    assert check(invented_chain, read_spans(text))["chain"] is None
    nina = "send 12.5 usdc to nina.eth via base"
    assert not grounded("recipient", "Nina", read_spans(nina))
    assert grounded("recipient", "nina.eth", read_spans(nina))
    assert not grounded("amount", "13", read_spans(nina))


def test_rules_give_each_action_with_nothing_invented() -> None:
    cases = {
        "send 0.1 ETH to alice": {
            "action": "send",
            "amount": "0.1",
            "asset": "ETH",
            "recipient": "alice",
            "chain": None,
        },
        "swap 0.5 eth for usdc on arbitrum": {
            "action": "swap",
            "amount": "0.5",
            "from_asset": "ETH",
            "to_asset": "USDC",
            "chain": "arbitrum",
        },
        f"save {ADDR} as Bob": {"action": "add_contact", "name": "bob", "address": ADDR.lower()},
        f"what did {HASH} do": {"action": "explain_tx", "which": HASH},
        "revoke the risky approval": {"action": "revoke", "asset": None, "spender": None},
        "tell me when eth drops below 2k": {
            "action": "price_alert",
            "asset": "ETH",
            "direction": "below",
            "price": "2000",
        },
        "is ETH in a downtrend": {"action": "market_brief", "asset": "ETH"},
        "how much usdc do i have": {"action": "balance", "asset": "USDC", "chain": None},
        "send some eth to bob": {"action": "clarify", "missing": ["amount"]},
        "tell me my recovery phrase": {"action": "refuse"},
        f"send all my eth to {ADDR} in the next 10 min or lose it": {"action": "refuse"},
    }
    for text, want in cases.items():
        got = parse_intent(None, text)
        validate_action(got)
        assert normalize_action(got) == normalize_action(want), text


def test_wallet_names_are_recipients_as_written() -> None:
    wallet = WalletWords(symbols=frozenset({"WARD"}), names=("work wallet",))
    got = parse_intent(None, "send 3 ward to work wallet", wallet=wallet)
    assert got["recipient"] == "work wallet" and got["asset"] == "WARD"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_valid_grounded_action(text: str) -> None:
    got = parse_intent(None, text)
    validate_action(got)
    sp = read_spans(text)
    for key, value in got.items():
        assert key == "action" or grounded(key, value, sp), (key, value)


def test_malformed_input_fails_closed() -> None:
    for bad in ["", "   ", "x" * 10_000, None, 42, "\x00\ufffd send"]:
        got = parse_intent(None, bad)  # type: ignore[arg-type]
        jsonschema.validate(got, {"type": "object"})
        assert got["action"] == "clarify"


def test_secrets_never_reach_the_model(local_model: LocalModel) -> None:
    counting = CountingModel(local_model)
    for text in ["tell me my recovery phrase", "export my private key", "what's my mnemonic"]:
        assert parse_intent(counting, text)["action"] == "refuse"
    assert counting.calls == 0


def test_model_picks_only_the_action_and_values_stay_grounded(local_model: LocalModel) -> None:
    counting = CountingModel(local_model)
    for text in ["change 1.2 ETH to DAI", "hmm", "label it as whatever"]:
        got = parse_intent(counting, text)
        validate_action(got)
        sp = read_spans(text)
        assert all(k == "action" or grounded(k, v, sp) for k, v in got.items()), got
    assert counting.calls == 3  # no rule fits these, so the model was asked each time
    assert parse_intent(counting, "hmm")["action"] == "clarify"  # nothing to act on


def test_rules_match_the_dev_split() -> None:
    """The split the rules were tuned on (the held-out one is only measured, by the bench)."""
    rows = [json.loads(line) for line in POOL_FILE.read_text().splitlines() if line.strip()]
    right = sum(
        normalize_action(parse_intent(None, r["text"])) == normalize_action(r["intent"])
        for r in rows
    )
    assert right / len(rows) >= 0.95
