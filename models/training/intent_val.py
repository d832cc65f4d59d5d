"""The training-side check of the intent-action model: on the generated validation split (never
trained on), the mean loss over the answer tokens and how often the whole answer is the
model's top choice at every token (under teacher forcing this is the greedy answer, which the
grammar can only narrow). Cheap (one forward pass a batch, no llama.cpp), so it can follow
training; the held-out score that decides what ships is ``bench/intents.py``.

    python -m models.training.intent_train val --of base|parent|child
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any


def load(which: str, work: Path) -> Any:
    """The base, the parent (base + adapter, merged) or the child, as trained in ``work``."""
    from models.training.loop import load_base
    from models.training.parent import load_parent

    if which == "base":
        return load_base()
    if which == "parent":
        return load_parent(work / "parent" / "adapter")
    import torch
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(work / "child" / "model", dtype=torch.float32)


def score(model: Any, tok: Any, records: list[dict[str, Any]], batch: int = 16) -> dict[str, Any]:
    import torch
    import torch.nn.functional as F

    from models.training.loop import IGNORE, collate, encode, hidden_and_logits

    encoded = [encode(tok, r, 512) for r in records]
    keep = [i for i, e in enumerate(encoded) if e[0]]
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    losses: list[float] = []
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    model.eval()
    with torch.no_grad():
        for start in range(0, len(keep), batch):
            idx = keep[start : start + batch]
            ids, labels, mask = collate(encoded, idx, pad)
            target = labels[:, 1:]
            pos = (target != IGNORE).nonzero()
            gold = target[pos[:, 0], pos[:, 1]]
            _, logits = hidden_and_logits(model, ids, mask, pos)
            tok_loss = F.cross_entropy(logits, gold, reduction="none")
            hit = logits.argmax(-1) == gold
            for row, i in enumerate(idx):
                mine = pos[:, 0] == row
                losses.append(float(tok_loss[mine].mean()))
                action = json.loads(records[i]["answer"])["action"]
                total[action] += 1
                right[action] += bool(hit[mine].all())
    n = sum(total.values())
    return {
        "n": n,
        "answer_loss": round(sum(losses) / max(1, n), 4),
        "answer_accuracy": round(sum(right.values()) / max(1, n), 3),
        "by_action": {a: f"{right[a]}/{total[a]}" for a in sorted(total)},
    }
