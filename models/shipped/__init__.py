"""The model Warden ships for its own tasks: a LoRA adapter (GGUF) over the bundled SmolLM2.

Trained by ``models.training`` (see ``MODEL_CARD.md`` beside this file). A fine-tuned small
model answers well only in the shape it learned, so this package also holds that shape: the
prompts (``prompts``), the request describer (``describe``) and the anonymizing scrubber
(``anon``). Pure Python, light: the runtime may import it; torch is never needed here.

Hook for the runtime: ``register(catalog)`` adds the catalog model ``SHIPPED_NAME`` (the
bundled file, referenced, with the adapter applied); the three helpers take any
``chat(messages, max_tokens) -> str`` callable (greedy decoding) and do the task end to end.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from models.shipped.anon import Scrubber
from models.shipped.describe import describe
from models.shipped.prompts import (
    explain_messages,
    explanation_text,
    intent_messages,
    parse_json,
    parse_review,
    review_messages,
)

SHIPPED_NAME = "smollm2-135m-warden"
ADAPTER_FILE = Path(__file__).resolve().with_name("warden-smollm2-135m.lora.gguf")
TASKS = ("review", "explain", "intent")
Chat = Callable[[list[dict[str, str]], int], str]


def adapter_path() -> Path | None:
    return ADAPTER_FILE if ADAPTER_FILE.is_file() else None


def register(catalog: Any) -> Any:
    """Add (once) the shipped model to a ``models.catalog.Catalog``; its entry, or None."""
    path = adapter_path()
    if path is None:
        return None
    from models.bundled import bundled_model_path

    if SHIPPED_NAME not in catalog.names():
        catalog.import_model(bundled_model_path(), name=SHIPPED_NAME, copy=False)
    entry = catalog.get(SHIPPED_NAME)
    if entry.adapter is None:
        entry = catalog.import_adapter(path, base=SHIPPED_NAME)
    return entry


def review_opinion(chat: Chat, request: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    """The model's own review (no rule findings given) in the shape ``apply_model_opinion``
    takes: it may raise the verdict or add findings, never lower or remove."""
    s = Scrubber()
    answer = s.restore(chat(review_messages(s(describe(request, facts))), 160))
    verdict, codes = parse_review(answer)
    opinion: dict[str, Any] = {"findings": [{"code": c, "detail": answer[:300]} for c in codes]}
    if verdict:
        opinion["verdict"] = verdict
    return opinion


def _action(summary: str) -> str:
    from delegates.tx_review.explainer import HEADLINES

    for h in HEADLINES.values():
        if summary.startswith(h):
            summary = summary[len(h) :].strip()
    return summary.split(". ")[0].rstrip(".") + "."


def explain(chat: Chat, outcome: Any) -> tuple[str, dict[str, Any] | None]:
    """An explanation of a ``ReviewOutcome`` (text, parsed JSON or None), real values restored.
    The caller still checks it (``models.explain.rejection_reason``) before showing it."""
    s = Scrubber()
    findings = [
        {"code": f.code, "severity": f.severity, "detail": s(f.detail)} for f in outcome.findings
    ]
    messages = explain_messages(outcome.verdict, s(_action(outcome.summary)), findings)
    raw = s.restore(chat(messages, 200))
    data = parse_json(raw)
    return (explanation_text(data) if data else raw), data


def parse_intent(chat: Chat, sentence: str) -> dict[str, Any]:
    """A sentence -> a validated action (``clarify`` when unclear or invalid), guarded."""
    from models.intents import INTENT_SCHEMA, guard
    from models.structured import parse_and_validate

    s = Scrubber()
    raw = s.restore(chat(intent_messages(s(sentence)), 96))
    try:
        data = parse_and_validate(raw, INTENT_SCHEMA)
    except Exception:  # not a valid action: ask back rather than guess
        return {"action": "clarify", "question": "Sorry, I did not understand. Please rephrase?"}
    return guard(sentence, json.loads(json.dumps(data)))
