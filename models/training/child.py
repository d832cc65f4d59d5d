"""``warden train child``: knowledge distillation of the fine-tuned parent into a smaller child.

The child is the parent with 12 of its 30 decoder layers, initialised from the parent's weights,
with the parent's embeddings, final norm and tied output head (kept frozen, so the child
answers in the parent's own output space). 12 layers make it about 53 % of the parent's
parameters (the target is at most 60 %; 15 layers would be 60.5 %).

Which layers: the first quarter and the rest from the top ("head-tail"), not every
other layer as DistilBERT took from BERT. Before any training (``bench/child_layers.py``, 24
intent prompts, the bundled model as teacher), the head-tail child's last hidden state was 0.61
cosine-similar to the full model's and its answer KL 9.1, against 0.20 and 16.6 for evenly
spaced layers: in this model the top layers carry the answer format, the middle ones repeat.

It is trained on the parent's logits at the answer (KL divergence at temperature T), the
task's cross-entropy, and the cosine distance of its last hidden state to the parent's at every
prompt position (as DistilBERT), which teaches it to read the prompt, not only to answer.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from models.training.data import read_jsonl
from models.training.loop import TrainConfig, load_tokenizer, train
from models.training.parent import load_parent

CHILD_LAYERS = 12
HIDDEN_WEIGHT = 1.0  # the weight of the hidden-state term beside KD and cross-entropy


def layer_plan(parent_layers: int, child_layers: int) -> list[int]:
    """The first quarter of the child's layers from the bottom, the rest from the top."""
    if child_layers >= parent_layers:
        return list(range(parent_layers))
    head = max(1, child_layers // 4)
    return list(range(head)) + list(range(parent_layers - (child_layers - head), parent_layers))


def make_child(parent: Any, child_layers: int = CHILD_LAYERS, keep: list[int] | None = None) -> Any:
    """A copy of the parent that keeps only the planned layers (weights copied), or the
    parent's layers ``keep`` when given."""
    import torch

    child = copy.deepcopy(parent)
    if keep is None:
        keep = layer_plan(parent.config.num_hidden_layers, child_layers)
    child.model.layers = torch.nn.ModuleList([child.model.layers[i] for i in keep])
    for new_index, layer in enumerate(child.model.layers):
        layer.self_attn.layer_idx = new_index
    child.config.num_hidden_layers = len(keep)
    if getattr(child.config, "layer_types", None):
        child.config.layer_types = [child.config.layer_types[i] for i in keep]
    for p in child.parameters():
        p.requires_grad_(True)
    for p in child.get_input_embeddings().parameters():
        p.requires_grad_(False)  # tied to the head: the parent's output space stays
    return child


def train_child(
    data_dir: Path,
    out_dir: Path,
    cfg: TrainConfig,
    *,
    child_layers: int = CHILD_LAYERS,
    base: Any = None,
) -> Path:
    """Distil into the child; save it (safetensors) in ``out_dir/child/model``.
    ``base``: an already loaded base model to build the teacher on (modified in place)."""
    tok = load_tokenizer()
    teacher = load_parent(out_dir / "parent" / "adapter", base=base).eval()
    for p in teacher.parameters():
        p.requires_grad_(False)
    child = make_child(teacher, child_layers)
    work = out_dir / "child"
    records = read_jsonl(data_dir / "train.jsonl")
    cfg = replace(cfg, hidden_weight=cfg.hidden_weight or HIDDEN_WEIGHT)
    losses = train(
        child, tok, records, cfg, work / "checkpoint.pt", teacher=teacher, desc="child (KD)"
    )
    target = work / "model"
    save_weights(child, target)
    (work / "losses.json").write_text(json.dumps(losses))
    return target


def parameter_count(model: Any) -> int:
    """Distinct parameters (the tied head counted once)."""
    seen: set[int] = set()
    total = 0
    for p in model.parameters():
        if id(p) not in seen:
            seen.add(id(p))
            total += p.numel()
    return total


def save_weights(model: Any, folder: Path) -> Path:
    """Weights as safetensors (the tied head once) and the config. ``save_pretrained``
    refuses a model that was read from a GGUF, so the file is written directly."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = {
        k: v.detach().contiguous()
        for k, v in model.state_dict().items()
        if k != "lm_head.weight" or not model.config.tie_word_embeddings
    }
    save_file(state, str(folder / "model.safetensors"))
    model.config.to_json_file(str(folder / "config.json"))
    return folder
