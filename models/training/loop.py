"""The training loop shared by the parent, the child and personalization (torch imported here).

Loss is computed on the answer tokens only (the prompt is context, not a target), and the
language-model head runs only on those positions: on a CPU the 49k-word head is a large part
of each step. With a teacher, the loss is ``alpha * T^2 * KL(teacher_T || student_T) +
(1 - alpha) * cross-entropy`` (Hinton et al.), plus, if ``hidden_weight`` is set, that weight
times the cosine distance of the student's last hidden state to the teacher's at every position
(Sanh et al., DistilBERT): a dense signal where the answer alone is a few tokens. A checkpoint
(trainable weights, optimizer, step, data order) is written every ``save_every`` steps and
picked up again on restart.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from app.errors import ModelError

log = logging.getLogger(__name__)
IGNORE = -100


def base_gguf() -> tuple[Path, str]:
    """The bundled GGUF (folder, file name), found without importing its package."""
    from models.bundled import bundled_model_path

    path = bundled_model_path()
    return path.parent, path.name


def load_tokenizer() -> Any:
    from transformers import AutoTokenizer

    folder, name = base_gguf()
    return AutoTokenizer.from_pretrained(folder, gguf_file=name)


def load_base() -> Any:
    """SmolLM2-135M-Instruct dequantized from the bundled GGUF, in float32."""
    from transformers import AutoModelForCausalLM

    folder, name = base_gguf()
    return AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)


def set_seed(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def encode(tok: Any, record: dict[str, Any], max_len: int) -> tuple[list[int], list[int]]:
    """Token ids of prompt + answer, and labels that are IGNORE on the prompt (a longer
    example than ``max_len`` comes back empty: cutting it would drop its verdict)."""
    prompt = tok.apply_chat_template(record["messages"], add_generation_prompt=True, tokenize=False)
    p_ids = tok(prompt, add_special_tokens=False).input_ids
    a_ids = tok(record["answer"] + tok.eos_token + "\n", add_special_tokens=False).input_ids
    if len(p_ids) + len(a_ids) > max_len:
        return [], []
    return p_ids + a_ids, [IGNORE] * len(p_ids) + a_ids


def batches(
    encoded: Sequence[tuple[list[int], list[int]]], size: int, rng: random.Random
) -> list[list[int]]:
    """Index batches of similar length (less padding), in a seeded random order."""
    order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), rng.random()))
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(groups)
    return groups


def collate(
    encoded: Sequence[tuple[list[int], list[int]]], idx: list[int], pad: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(len(encoded[i][0]) for i in idx)
    ids = torch.full((len(idx), width), pad, dtype=torch.long)
    labels = torch.full((len(idx), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(idx), width), dtype=torch.long)
    for row, i in enumerate(idx):
        x, y = encoded[i]
        ids[row, : len(x)] = torch.tensor(x)
        labels[row, : len(y)] = torch.tensor(y)
        mask[row, : len(x)] = 1
    return ids, labels, mask


def hidden_and_logits(
    model: Any, ids: torch.Tensor, mask: torch.Tensor, pos: torch.Tensor
) -> tuple[Any, Any]:
    """The last hidden state at every position, and logits at the given (row, position)
    pairs only: the head skips the prompt."""
    inner = model.get_decoder() if hasattr(model, "get_decoder") else model.model
    hidden = inner(input_ids=ids, attention_mask=mask).last_hidden_state
    return hidden, model.get_output_embeddings()(hidden[pos[:, 0], pos[:, 1]])


def answer_logits(model: Any, ids: torch.Tensor, mask: torch.Tensor, pos: torch.Tensor) -> Any:
    """Logits at the given (row, position) pairs only."""
    return hidden_and_logits(model, ids, mask, pos)[1]


@dataclass
class TrainConfig:
    steps: int
    batch_size: int = 8
    lr: float = 1e-3
    warmup: int = 5
    max_len: int = 384
    seed: int = 7
    save_every: int = 20
    temperature: float = 2.0
    alpha: float = 0.5  # share of the distillation term when a teacher is given
    hidden_weight: float = 0.0  # with a teacher: weight of the last-hidden-state cosine term


def train(
    model: Any,
    tok: Any,
    records: Sequence[dict[str, Any]],
    cfg: TrainConfig,
    ckpt: Path,
    *,
    teacher: Any = None,
    desc: str = "train",
    on_step: Callable[[int, float], None] | None = None,
) -> list[float]:
    """Train ``model``'s trainable parameters for ``cfg.steps`` steps; resumable from ``ckpt``."""
    from tqdm import tqdm

    set_seed(cfg.seed)
    encoded = [encode(tok, r, cfg.max_len) for r in records]
    encoded = [e for e in encoded if any(y != IGNORE for y in e[1][1:])]
    if not encoded:
        raise ModelError("No training examples with an answer to learn.")
    rng = random.Random(cfg.seed)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.0)

    def lr_at(step: int) -> float:
        if step < cfg.warmup:
            return (step + 1) / cfg.warmup
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / max(1, cfg.steps)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    start, losses = 0, []
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        names = {n for n, p in model.named_parameters() if p.requires_grad}
        model.load_state_dict(
            {k: v for k, v in state["weights"].items() if k in names}, strict=False
        )
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        start, losses = state["step"], state["losses"]
        rng.setstate(state["rng"])
        log.info("resumed %s at step %d", desc, start)
    plan: list[list[int]] = []
    while len(plan) < cfg.steps:
        plan += batches(encoded, cfg.batch_size, random.Random(cfg.seed + len(plan)))
    model.train()
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    bar = tqdm(range(start, cfg.steps), desc=desc, initial=start, total=cfg.steps)
    for step in bar:
        ids, labels, mask = collate(encoded, plan[step], pad)
        # position t predicts token t+1: targets are labels shifted left
        target = labels[:, 1:]
        pos = (target != IGNORE).nonzero()
        gold = target[pos[:, 0], pos[:, 1]]
        hidden, logits = hidden_and_logits(model, ids, mask, pos)
        loss = F.cross_entropy(logits, gold)
        if teacher is not None:
            with torch.no_grad():
                t_hidden, t_logits = hidden_and_logits(teacher, ids, mask, pos)
            t = cfg.temperature
            kl = F.kl_div(
                F.log_softmax(logits / t, -1),
                F.log_softmax(t_logits / t, -1),
                log_target=True,
                reduction="batchmean",
            )
            loss = cfg.alpha * t * t * kl + (1 - cfg.alpha) * loss
            if cfg.hidden_weight:
                real = mask.bool()
                cos = F.cosine_similarity(hidden[real], t_hidden[real], dim=-1)
                loss = loss + cfg.hidden_weight * (1 - cos).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        value = float(loss.detach())
        losses.append(value)
        bar.set_postfix(loss=f"{value:.3f}")
        if on_step:
            on_step(step, value)
        if (step + 1) % cfg.save_every == 0 or step + 1 == cfg.steps:
            save_checkpoint(model, opt, sched, step + 1, losses, rng, ckpt)
    model.eval()
    return losses


def save_checkpoint(
    model: Any, opt: Any, sched: Any, step: int, losses: list[float], rng: random.Random, ckpt: Path
) -> None:
    weights = {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}
    state = {
        "weights": weights,
        "opt": opt.state_dict(),
        "sched": sched.state_dict(),
        "step": step,
        "losses": losses,
        "rng": rng.getstate(),
    }
    ckpt.parent.mkdir(parents=True, exist_ok=True)
    tmp = ckpt.with_suffix(".tmp")
    torch.save(state, tmp)
    tmp.replace(ckpt)
