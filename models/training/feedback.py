"""The user's feedback, kept in the encrypted store, as personalization examples.

Kinds (``Feedback.kind``) and their payloads:

- ``explanation``: ``{"outcome": {verdict, action, findings: [{code, severity, detail}]},
  "explanation": str, "helpful": bool}``: an explanation the user marked; helpful ones (or
  the user's own rewording) become targets;
- ``intent``: ``{"text": str, "intent": {...}}``: a parse the user corrected (the corrected
  action, in ``models.intents.INTENT_SCHEMA``);
- ``tone``: ``{"tone": "short" | "detailed"}``: the preferred length of explanations.

Every text passes the anonymization layer before it becomes training data. Pure Python.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from app.errors import InvalidInput
from models.shipped.anon import Scrubber
from models.shipped.prompts import explain_messages, intent_messages

KINDS = ("explanation", "intent", "tone")


class _Store(Protocol):
    def session(self) -> Any: ...


def add_feedback(store: _Store, kind: str, payload: dict[str, Any]) -> None:
    """Record one piece of feedback (checked, so a bad payload fails here, not at training)."""
    if kind not in KINDS:
        raise InvalidInput(f"Unknown feedback kind {kind!r}.", hint=f"Use one of {KINDS}.")
    _check(kind, payload)
    from app.store.schema import Feedback

    with store.session() as s:
        s.add(Feedback(kind=kind, payload=payload))


def _check(kind: str, p: dict[str, Any]) -> None:
    need = {"explanation": ("outcome", "explanation"), "intent": ("text", "intent"), "tone": ()}
    missing = [k for k in need[kind] if k not in p]
    if missing or (kind == "tone" and p.get("tone") not in ("short", "detailed")):
        raise InvalidInput(
            f"Feedback of kind {kind!r} lacks {', '.join(missing) or 'a valid tone'}.",
            hint="Nothing was stored.",
        )


def load_feedback(store: _Store) -> list[tuple[str, dict[str, Any]]]:
    from sqlalchemy import select

    from app.store.schema import Feedback

    with store.session() as s:
        return [
            (f.kind, dict(f.payload)) for f in s.scalars(select(Feedback).order_by(Feedback.id))
        ]


def feedback_records(rows: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Training examples from the feedback; unhelpful explanations teach nothing and are left."""
    short = any(k == "tone" and p.get("tone") == "short" for k, p in rows)
    out: list[dict[str, Any]] = []
    for kind, p in rows:
        s = Scrubber()
        if kind == "intent":
            out.append(
                {
                    "task": "intent",
                    "messages": intent_messages(s(str(p["text"]))),
                    "answer": s(json.dumps(p["intent"], ensure_ascii=False)),
                }
            )
        elif kind == "explanation" and p.get("helpful", True):
            o = p["outcome"]
            findings = [
                {"code": f["code"], "severity": f["severity"], "detail": s(f["detail"])}
                for f in o.get("findings", [])
            ]
            messages = explain_messages(o["verdict"], s(o.get("action", "")), findings)
            text = s(str(p["explanation"]))
            if short:
                text = text.split(". ")[0].rstrip(".") + "."
            data: dict[str, Any] = {"verdict": o["verdict"], "summary": text[:300]}
            if findings:
                data["points"] = [{"code": f["code"], "text": f["detail"][:200]} for f in findings]
            answer = json.dumps(data, ensure_ascii=False)
            out.append({"task": "explain", "messages": messages, "answer": answer})
    return out
