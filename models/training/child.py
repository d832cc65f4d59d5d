"""``warden train child``: knowledge distillation of the fine-tuned parent into a smaller child.

The child is the parent with 12 of its 30 decoder layers, taken evenly from bottom to top and
initialised from the parent's weights (as DistilBERT took every other layer of BERT), with the
parent's embeddings, final norm and tied output head. 12 layers make it about 53 % of the
parent's parameters (the target is at most 60 %; 15 layers would be 60.5 %). It is trained on
the parent's logits (KL divergence at temperature T) plus the task's cross-entropy.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from models.training.data import read_jsonl
from models.training.loop import TrainConfig, load_tokenizer, train
from models.training.parent import load_parent

CHILD_LAYERS = 12


def layer_plan(parent_layers: int, child_layers: int) -> list[int]:
    """Evenly spaced parent layers, always keeping the first and the last."""
    if child_layers >= parent_layers:
        return list(range(parent_layers))
    step = (parent_layers - 1) / (child_layers - 1)
    return [round(i * step) for i in range(child_layers)]


def make_child(parent: Any, child_layers: int = CHILD_LAYERS) -> Any:
    """A copy of the parent that keeps only the planned layers (weights shared by value)."""
    import torch

    child = copy.deepcopy(parent)
    keep = layer_plan(parent.config.num_hidden_layers, child_layers)
    child.model.layers = torch.nn.ModuleList([child.model.layers[i] for i in keep])
    for new_index, layer in enumerate(child.model.layers):
        layer.self_attn.layer_idx = new_index
    child.config.num_hidden_layers = len(keep)
    if getattr(child.config, "layer_types", None):
        child.config.layer_types = [child.config.layer_types[i] for i in keep]
    for p in child.parameters():
        p.requires_grad_(True)
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
