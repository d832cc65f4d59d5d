"""Which of the parent's layers should the child keep? Scored before any training.

For each plan, the bundled model cut to those layers is run on intent training prompts beside
the whole model (the teacher), and three figures are printed: the cross-entropy of the true
answer, the KL divergence from the teacher's answer distribution, and the mean cosine
similarity of the last hidden state to the teacher's over every prompt position. Lower,
lower, higher is a better start for distillation.

    PYTHONPATH=. python bench/child_layers.py [--data build/intent-training/train.jsonl] [--n 24]

Needs the ``train`` extra and ``python -m models.training.intent_train data`` first.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

N_LAYERS, CHILD = 30, 12
PLANS = {
    "even (DistilBERT-like)": [round(i * (N_LAYERS - 1) / (CHILD - 1)) for i in range(CHILD)],
    "first 8 + last 4": list(range(8)) + list(range(26, 30)),
    "first 6 + last 6": list(range(6)) + list(range(24, 30)),
    "first 3 + last 9 (head-tail, used)": list(range(3)) + list(range(21, 30)),
    "first 2 + last 10": [0, 1] + list(range(20, 30)),
}


def main() -> None:
    import torch
    import torch.nn.functional as F

    from models.training.child import make_child
    from models.training.loop import IGNORE, collate, encode, load_base, load_tokenizer

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("build/intent-training/train.jsonl"))
    ap.add_argument("--n", type=int, default=24)
    args = ap.parse_args()
    torch.set_num_threads(2)
    tok, base = load_tokenizer(), load_base().eval()
    rows = [json.loads(x) for x in args.data.read_text(encoding="utf-8").splitlines() if x]
    random.Random(1).shuffle(rows)
    enc = [encode(tok, r, 384) for r in rows[: args.n]]
    enc = [e for e in enc if e[0]]
    ids, labels, mask = collate(enc, list(range(len(enc))), tok.eos_token_id)
    target = labels[:, 1:]
    pos = (target != IGNORE).nonzero()
    gold = target[pos[:, 0], pos[:, 1]]
    real = mask.bool()

    def run(model: Any) -> tuple[Any, Any]:
        with torch.no_grad():
            hidden = model.model(input_ids=ids, attention_mask=mask).last_hidden_state
            return hidden, model.lm_head(hidden[pos[:, 0], pos[:, 1]])

    t_hidden, t_logits = run(base)
    print(f"teacher (30 layers): answer cross-entropy {F.cross_entropy(t_logits, gold):.3f}")
    print(f"{'plan':36} {'answer CE':>9} {'answer KL':>9} {'hidden cos':>10}")
    for name, keep in PLANS.items():
        hidden, logits = run(make_child(base, keep=keep))
        ce = F.cross_entropy(logits, gold).item()
        kl = F.kl_div(
            F.log_softmax(logits, -1),
            F.log_softmax(t_logits, -1),
            log_target=True,
            reduction="batchmean",
        ).item()
        cos = F.cosine_similarity(hidden[real], t_hidden[real], dim=-1).mean().item()
        print(f"{name:36} {ce:9.2f} {kl:9.2f} {cos:10.3f}", flush=True)


if __name__ == "__main__":
    main()
