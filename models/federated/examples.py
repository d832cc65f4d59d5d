"""A wallet's training examples for a federation, through the anonymization layer.

``prepare_examples`` is what ``warden federate join`` writes for the ClientApp; ``scrub_records``
runs again in the ClientApp over whatever it reads, just before tokenizing, so an example file
written by anything else still passes the layer. Both are the same pass:

- every text of an example (each message and the answer) goes through one ``Scrubber`` with
  the wallet's names (accounts, address-book contacts, labels), so an address, a hash, an
  amount or a contact's name becomes a placeholder (``ADDR_1``, ``NAME_1``...), consistently
  between the prompt and the answer;
- an example in which ``models.anonymize.refuse_secrets`` finds a private key or a recovery
  phrase is dropped whole: nothing of it is trained on.

Running it twice changes nothing: placeholders match no pattern and no name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from app.errors import InvalidInput


def _texts(record: dict[str, Any]) -> list[str]:
    messages = record.get("messages")
    if not isinstance(messages, list):
        raise ValueError("an example has no list of messages")
    return [str(m.get("content", "")) for m in messages if isinstance(m, dict)] + [
        str(record.get("answer", ""))
    ]


def scrub_record(record: Any, names: Iterable[str] = ()) -> dict[str, Any] | None:
    """``record`` with every text anonymized; ``None`` when it holds a secret or is malformed
    (fails closed: an example that cannot be checked is not trained on)."""
    from models.anonymize import refuse_secrets
    from models.shipped.anon import Scrubber

    if not isinstance(record, dict):
        return None
    try:
        texts = _texts(record)
        for text in [*texts, "\n".join(texts)]:
            refuse_secrets(text)
        scrub = Scrubber(names)
        messages = [
            {**m, "content": scrub(str(m.get("content", "")))}
            for m in record["messages"]
            if isinstance(m, dict)
        ]
        return {**record, "messages": messages, "answer": scrub(str(record.get("answer", "")))}
    except (InvalidInput, ValueError, TypeError, KeyError):
        return None


def with_parts(names: Iterable[str]) -> list[str]:
    """The names and each of their words of three letters or more: a contact is also named by
    a part of the name alone ("Mirabel" of "Mirabel Quintero"), as ``Anonymizer`` does; the
    ``Scrubber`` of the training texts looks only for the names it is given."""
    full = [n.strip() for n in names if n and n.strip()]
    parts = [p for n in full for p in re.split(r"[\s,]+", n) if len(p) >= 3]
    return list(dict.fromkeys([*full, *parts]))


def scrub_records(records: Iterable[Any], names: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The records that pass ``scrub_record``, anonymized; the others left out."""
    names = with_parts(names)
    out = [scrub_record(r, names) for r in records]
    return [r for r in out if r is not None]


def prepare_examples(
    rows: list[tuple[str, dict[str, Any]]], names: Iterable[str] = ()
) -> tuple[list[dict[str, Any]], int]:
    """(examples, how many feedback rows were left out) from the store's feedback rows.

    Each row becomes its example on its own (the tone rows apply to all), so one row the
    layer refuses (a phrase, a key, a malformed payload) drops that row only."""
    from models.training.feedback import feedback_records

    names = with_parts(names)
    tone = [(k, p) for k, p in rows if k == "tone"]
    examples: list[dict[str, Any]] = []
    dropped = 0
    for row in rows:
        if row[0] == "tone":
            continue
        try:
            made = feedback_records([*tone, row])
        except (InvalidInput, KeyError, TypeError, ValueError, AttributeError):
            dropped += 1
            continue
        kept = scrub_records(made, names)
        dropped += len(made) - len(kept)
        examples += kept
    return examples, dropped
