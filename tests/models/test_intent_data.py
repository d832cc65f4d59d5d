"""The labelled intent splits: large enough, schema-valid, grounded, and kept apart."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from models.intent_guard import check
from models.intent_model import POOL_FILE, messages_for
from models.intent_schema import ACTIONS, normalize_action, validate_action
from models.intent_spans import read_spans
from models.intents import DATA_FILE

DATA = Path(DATA_FILE).parent
HELDOUT = DATA / "intents_heldout.jsonl"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_heldout_split_is_large_and_covers_every_action() -> None:
    rows = _rows(HELDOUT)
    assert len(rows) >= 120
    counts = Counter(r["intent"]["action"] for r in rows)
    assert set(counts) == set(ACTIONS)
    assert min(counts.values()) >= 10
    for r in rows + _rows(POOL_FILE):
        validate_action(r["intent"])


def test_splits_share_no_sentence() -> None:
    heldout = {r["text"].lower() for r in _rows(HELDOUT)}
    dev = {r["text"].lower() for r in _rows(POOL_FILE)}
    first = {r["text"].lower() for r in _rows(DATA_FILE)}
    assert len(heldout) == len(_rows(HELDOUT))
    assert not heldout & dev and not heldout & first and not dev & first


def test_every_label_uses_only_values_its_sentence_gives() -> None:
    """A label the guard would change is a label that guesses."""
    for r in _rows(HELDOUT) + _rows(POOL_FILE):
        if r["intent"]["action"] in ("clarify", "refuse"):
            continue
        out = check(r["intent"], read_spans(r["text"]))
        assert normalize_action(out) == normalize_action(r["intent"]), r["text"]


def test_the_models_examples_never_come_from_the_heldout_split() -> None:
    heldout = {r["text"] for r in _rows(HELDOUT)}
    for sentence in list(heldout)[:40]:
        shown = {m["content"] for m in messages_for(sentence) if m["role"] == "user"}
        assert shown - {sentence} and not (shown - {sentence}) & heldout
