"""The model's part in intent parsing: only *which action*, when no rule can tell.

The prompt carries the labelled requests nearest to the sentence (retrieved from the dev set,
so no fixed example's names can leak and the held-out set is never shown), and decoding is
constrained to ``{"action": <one of the ten>}``: the model cannot write a value at all. The
fields are then read from the sentence by code (``models.intent_rules.fill``).
"""

from __future__ import annotations

import functools
import json
import re
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.errors import WardenError
from models.intent_schema import ACTION_ONLY_SCHEMA, ACTIONS
from models.reply import ChatModel
from models.settings import GenerationOptions

POOL_FILE = Path(__file__).resolve().parent / "data" / "intents_dev.jsonl"
# The LoRA adapter fine-tuned for this prompt (``models/training/intent_train.py``). It is used
# for the action choice only when it beats the untrained base on the hand-written held-out
# split in model-only action accuracy (``bench/intents.py``; figures in
# ``models/shipped/MODEL_CARD.md``); set it to False when a retrained one does not.
ACTION_ADAPTER = Path(__file__).resolve().parent / "shipped" / "warden-intent-action.lora.gguf"
USE_ACTION_ADAPTER = True  # measured: 0.863 vs the base's 0.687 on the 131 held-out rows
SYSTEM = (
    "Tell which wallet action one request asks for. Actions: send (tokens to someone), swap "
    "(one token for another), balance, add_contact, explain_tx (a past transaction), revoke "
    "(a token approval), price_alert, market_brief (market news or trend), refuse (asks for a "
    "recovery phrase or key), clarify (anything else). Answer with JSON only."
)
_PLACEHOLDERS = [
    (re.compile(r"0x[0-9a-fA-F]{40,64}"), " <address> "),
    (re.compile(r"[a-z0-9-]+\.eth\b"), " <ens> "),
    (re.compile(r"\$?\d[\d,]*(?:\.\d+)?[km]?|\.\d+"), " <number> "),
]


def _words(text: str) -> frozenset[str]:
    low = text.lower()
    for pattern, token in _PLACEHOLDERS:
        low = pattern.sub(token, low)
    return frozenset(re.findall(r"<\w+>|[a-z']+", low))


@functools.lru_cache(maxsize=4)
def _pool(path: Path) -> tuple[tuple[str, str, frozenset[str]], ...]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append((row["text"], row["intent"]["action"], _words(row["text"])))
    return tuple(rows)


def nearest_examples(sentence: str, k: int = 4, pool: Path = POOL_FILE) -> list[tuple[str, str]]:
    """The ``k`` labelled requests sharing the most words with ``sentence`` (Jaccard)."""
    words = _words(sentence)

    def score(row: tuple[str, str, frozenset[str]]) -> float:
        union = words | row[2]
        return len(words & row[2]) / len(union) if union else 0.0

    ranked = sorted(_pool(pool), key=score, reverse=True)
    return [(text, action) for text, action, _ in ranked[:k]]


def messages_for(sentence: str, k: int = 4) -> list[dict[str, str]]:
    msgs = [{"role": "system", "content": SYSTEM}]
    for text, action in reversed(nearest_examples(sentence, k)):  # the nearest one last
        msgs.append({"role": "user", "content": text})
        msgs.append({"role": "assistant", "content": json.dumps({"action": action})})
    msgs.append({"role": "user", "content": sentence})
    return msgs


def action_adapter() -> Path | None:
    """The adapter the action choice should load over the bundled base, or ``None``."""
    return ACTION_ADAPTER if USE_ACTION_ADAPTER and ACTION_ADAPTER.is_file() else None


_ACTION_MODELS: dict[str, Any] = {}
_ACTION_LOCK = threading.Lock()


def for_action_choice(model: Any) -> Any:
    """The model to ask for the action: for the plain bundled model, the same file with the
    action adapter applied (its own ``LocalModel``, loaded on first use, unloaded when idle);
    any other model (an imported one, one with an adapter already) as it is."""
    adapter = action_adapter()
    entry = getattr(model, "entry", None)
    if adapter is None or entry is None or entry.source != "bundled" or entry.adapter:
        return model
    with _ACTION_LOCK:
        chosen = _ACTION_MODELS.get(entry.name)
        if chosen is None:
            from models.gguf_info import read_gguf_info
            from models.runtime import LocalModel

            info = read_gguf_info(adapter)
            chosen = LocalModel(replace(entry, name=f"{entry.name}+intent", adapter=info))
            _ACTION_MODELS[entry.name] = chosen
    return chosen


def model_action(model: ChatModel, sentence: str, *, timeout_s: float = 30.0) -> str | None:
    """The action the model picks under the grammar, or ``None`` if it fails."""
    opts = GenerationOptions(
        max_tokens=16,
        temperature=0.0,
        timeout_s=timeout_s,
        schema=ACTION_ONLY_SCHEMA,
        schema_hint=False,
    )
    try:
        data: Any = for_action_choice(model).submit(messages_for(sentence), opts).result().data
    except WardenError:
        return None
    action = data.get("action") if isinstance(data, dict) else None
    return action if action in ACTIONS else None
