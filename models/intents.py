"""Intent parsing: a sentence becomes a schema-validated wallet action, or a question back.

``parse_intent`` is the grounded pipeline (rules, the model for the action only, a guard;
see ``models/intent_*.py``) and answers in ``models.intent_schema.ACTION_SCHEMA``.
``legacy_parse_intent`` and ``INTENT_SCHEMA`` are the first parser, kept for the training
pipeline's evaluation and as the benchmark's baseline (``bench/intents.py``). The app shows
the action for confirmation; nothing here acts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import jsonschema

from app.errors import WardenError
from models.intent_guard import check
from models.intent_model import model_action
from models.intent_rules import fill, parse_by_rules, question_for
from models.intent_schema import REQUIRED, empty, validate_action
from models.intent_spans import Spans, WalletWords, read_spans
from models.reply import ChatModel
from models.settings import GenerationOptions

DATA_FILE = Path(__file__).resolve().parent / "data" / "intents.jsonl"
CHAINS = ["ethereum", "base", "arbitrum", "optimism", "polygon", "sepolia"]
ACTIONS = ["send", "swap", "add_contact", "check_balance", "explain_last_tx", "clarify"]

# Patterns use [.] for a dot: llama.cpp's grammar parser rejects the escape "\\.".
_AMOUNT = {"type": "string", "pattern": "^[0-9]+([.][0-9]+)?$"}
_ASSET = {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9]{1,9}$"}
_CHAIN = {"enum": [*CHAINS, None]}
# No maxLength on free text: llama.cpp unrolls it into deeply nested rules that slow sampling.
_TEXT = {"type": "string", "minLength": 1}


def _branch(action: str, **props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"action": {"enum": [action]}, **props},
        "required": ["action", *props],
        "additionalProperties": False,
    }


INTENT_SCHEMA: dict[str, Any] = {
    "oneOf": [
        _branch("send", amount=_AMOUNT, asset=_ASSET, to=_TEXT, chain=_CHAIN),
        _branch("swap", amount=_AMOUNT, from_asset=_ASSET, to_asset=_ASSET, chain=_CHAIN),
        _branch(
            "add_contact",
            name=_TEXT,
            address={"type": "string", "pattern": "^(0x[0-9a-fA-F]{40}|[a-z0-9-]+[.]eth)$"},
        ),
        _branch("check_balance", asset={"anyOf": [_ASSET, {"type": "null"}]}, chain=_CHAIN),
        _branch("explain_last_tx"),
        _branch("clarify", question={"type": "string", "minLength": 5}),
    ]
}

SYSTEM = (
    "You turn one wallet request into one JSON action. Actions: send, swap, add_contact, "
    "check_balance, explain_last_tx, clarify. Copy amounts, assets, names, addresses and "
    "chains exactly from the request. If anything needed is missing or unclear, answer with "
    "action clarify and a short question. Never guess."
)
# A few worked examples (none of them in the labelled set).
EXAMPLES: list[tuple[str, dict[str, Any]]] = [
    ("what did my last transaction do?", {"action": "explain_last_tx"}),
    (
        "send 3 DAI to carol on optimism",
        {"action": "send", "amount": "3", "asset": "DAI", "to": "carol", "chain": "optimism"},
    ),
    (
        "swap 0.1 ETH for USDC",
        {"action": "swap", "amount": "0.1", "from_asset": "ETH", "to_asset": "USDC", "chain": None},
    ),
    (
        "save 0x000000000000000000000000000000000000dEaD as burner",
        {
            "action": "add_contact",
            "name": "burner",
            "address": "0x000000000000000000000000000000000000dEaD",
        },
    ),
    (
        "how much WETH do I have on base?",
        {"action": "check_balance", "asset": "WETH", "chain": "base"},
    ),
    (
        "send some tokens to dave",
        {"action": "clarify", "question": "How much, and of which token, should I send?"},
    ),
]


def _as_decoded(action: dict[str, Any]) -> str:
    """An example written in the key order the grammar decodes (action, then sorted keys)."""
    rest = {k: action[k] for k in sorted(action) if k != "action"}
    return json.dumps({"action": action["action"], **rest})


def messages_for(sentence: str) -> list[dict[str, str]]:
    msgs = [{"role": "system", "content": SYSTEM}]
    for text, action in EXAMPLES:
        msgs.append({"role": "user", "content": text})
        msgs.append({"role": "assistant", "content": _as_decoded(action)})
    msgs.append({"role": "user", "content": sentence})
    return msgs


def _numbers(sentence: str) -> set[Decimal]:
    out = set()
    for raw in re.findall(r"\d[\d,]*(?:\.\d+)?|\.\d+", sentence):
        try:
            out.add(Decimal(raw.replace(",", "")))
        except InvalidOperation:
            pass
    return out


def _has_word(sentence: str, word: str | None) -> bool:
    if not word:
        return False
    return re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", sentence, re.IGNORECASE) is not None


def _in_sentence_amount(sentence: str, amount: str) -> bool:
    try:
        return Decimal(amount) in _numbers(sentence)
    except InvalidOperation:
        return False


def guard(sentence: str, action: dict[str, Any]) -> dict[str, Any]:
    """Keep only what the sentence says: anything invented becomes a question back."""
    kind = action.get("action")
    missing: list[str] = []
    chain = action.get("chain")
    if chain is not None and not _has_word(sentence, chain):
        missing.append("on which chain")
    if kind in ("send", "swap") and not _in_sentence_amount(sentence, str(action["amount"])):
        missing.append("how much")
    if kind == "send":
        if not _has_word(sentence, action["asset"]):
            missing.append("which token")
        if not _has_word(sentence, action["to"]):
            missing.append("to whom")
    elif kind == "swap":
        for key in ("from_asset", "to_asset"):
            if not _has_word(sentence, action[key]):
                missing.append("which tokens")
                break
    elif kind == "add_contact":
        if action["address"].lower() not in sentence.lower():
            missing.append("which address")
        if not _has_word(sentence, action["name"]):
            missing.append("under which name")
    elif (
        kind == "check_balance" and action.get("asset") and not _has_word(sentence, action["asset"])
    ):
        missing.append("which token")
    if not missing:
        return action
    verb = {"send": "send", "swap": "swap", "add_contact": "save"}.get(str(kind), "do")
    return {
        "action": "clarify",
        "question": f"Before I {verb} anything: {', '.join(dict.fromkeys(missing))}?",
    }


def legacy_parse_intent(
    model: ChatModel, sentence: str, *, timeout_s: float = 30.0
) -> dict[str, Any]:
    """The first parser (kept as the benchmark's baseline): the model writes the whole action
    in ``INTENT_SCHEMA`` under a grammar, with fixed examples, and ``guard`` checks it."""
    opts = GenerationOptions(
        max_tokens=96,
        temperature=0.0,
        timeout_s=timeout_s,
        schema=INTENT_SCHEMA,
        schema_hint=False,
    )
    try:
        data = model.submit(messages_for(sentence), opts).result().data
    except WardenError:
        return {"action": "clarify", "question": "Sorry, I did not understand. Please rephrase?"}
    return guard(sentence, data)


MAX_SENTENCE_CHARS = 500


def parse_intent(
    model: ChatModel | None,
    sentence: str,
    *,
    timeout_s: float = 30.0,
    wallet: WalletWords | None = None,
) -> dict[str, Any]:
    """One sentence -> one action of ``models.intent_schema.ACTION_SCHEMA``.

    Rules tell the action where its words do (secrets and pressure are refused here, before any
    model sees the request); otherwise the model picks the action only, under a grammar, with
    the nearest labelled examples. Every field is read from the sentence by code and checked
    again by the guard: a value the sentence does not give is ``None``, and a required one
    missing makes a ``clarify`` with the list of what is missing. Never raises for bad input.
    """
    if not isinstance(sentence, str) or not sentence.strip():
        return _clarify(["action"])
    if len(sentence) > MAX_SENTENCE_CHARS:
        return _clarify(["action"], "That is too long for one request: please say it in short.")
    sp = read_spans(sentence, wallet)
    action = parse_by_rules(sp)
    if action is None and model is not None:
        kind = model_action(model, sentence, timeout_s=timeout_s)
        action = _accept_model_choice(kind, sp)
    if action is None:
        return _clarify(["action"])
    out = check(action, sp)
    try:
        validate_action(out)
    except jsonschema.ValidationError:
        return _clarify(["action"])
    return out


def _clarify(missing: list[str], question: str | None = None) -> dict[str, Any]:
    return empty("clarify", missing=missing, question=question or question_for("clarify", missing))


def _accept_model_choice(kind: str | None, sp: Spans) -> dict[str, Any] | None:
    """The model's action, kept only where the sentence gives it something to act on: a small
    model names some action for anything, "hmm" included."""
    if kind is None or kind in ("clarify", "refuse"):
        return None  # a refusal only from the rules; the model's doubt is a question back
    action = fill(kind, sp)
    values = [v for k, v in action.items() if k != "action" and v is not None]
    required = REQUIRED.get(kind, ())
    if required and not any(action.get(f) is not None for f in required):
        return None
    if not required and not values:
        return None
    return action


# -- the labelled set and its evaluation (the training issue reuses this) ----------------------
@dataclass(frozen=True)
class LabelledIntent:
    text: str
    intent: dict[str, Any]


def load_labelled(path: Path = DATA_FILE) -> list[LabelledIntent]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append(LabelledIntent(row["text"], row["intent"]))
    return rows


def normalize(action: dict[str, Any]) -> dict[str, Any]:
    """The comparable core of an action: a question's wording and letter case do not count."""
    kind = action.get("action")
    if kind == "clarify":
        return {"action": "clarify"}
    out: dict[str, Any] = {"action": kind}
    for key, value in action.items():
        if key == "action":
            continue
        if value is None:
            out[key] = None
        elif key == "amount":
            try:
                out[key] = str(Decimal(str(value)).normalize())
            except InvalidOperation:
                out[key] = str(value)
        elif key in ("asset", "from_asset", "to_asset"):
            out[key] = str(value).upper()
        else:
            out[key] = str(value).strip().lower()
    return out


@dataclass
class IntentReport:
    total: int = 0
    correct: int = 0
    by_action: dict[str, list[int]] = field(default_factory=dict)  # action -> [correct, total]
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "by_action": {k: {"correct": v[0], "total": v[1]} for k, v in self.by_action.items()},
        }


def evaluate(
    parse: Callable[[str], dict[str, Any]], examples: Iterable[LabelledIntent] | None = None
) -> IntentReport:
    """Exact-match accuracy of any sentence -> action function over the labelled set."""
    report = IntentReport()
    for ex in load_labelled() if examples is None else examples:
        got = parse(ex.text)
        ok = normalize(got) == normalize(ex.intent)
        action = str(ex.intent["action"])
        tally = report.by_action.setdefault(action, [0, 0])
        tally[0] += ok
        tally[1] += 1
        report.total += 1
        report.correct += ok
        if not ok:
            report.failures.append({"text": ex.text, "expected": ex.intent, "got": got})
    return report


def evaluate_model(
    model: ChatModel, examples: Sequence[LabelledIntent] | None = None
) -> IntentReport:
    """The first parser's figure: the model with grammar-constrained decoding and the guard."""
    return evaluate(lambda s: legacy_parse_intent(model, s), examples)


def main() -> None:
    """``python -m models.intents``: the bundled model's baseline on the labelled set, as JSON."""
    import sys
    import tempfile

    from models.catalog import Catalog
    from models.runtime import LocalModel

    with tempfile.TemporaryDirectory() as tmp, LocalModel(Catalog(Path(tmp)).get()) as model:
        report = evaluate_model(model)
    json.dump(report.to_json(), sys.stdout)
    print()


if __name__ == "__main__":
    main()
