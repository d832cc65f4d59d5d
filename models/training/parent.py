"""``warden train parent``: reasoning fine-tuning of SmolLM2-135M-Instruct with LoRA.

Why LoRA rather than full fine-tuning: what ships is a few-MB adapter over the bundled base
instead of a second 100 MB model; the optimizer holds 2.4 M parameters instead of 135 M (a
CPU-sized run); personalization on the device is the same operation again; and the base's
general chat skills stay intact for everything the adapter was not trained on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from models.training.data import read_jsonl
from models.training.loop import TrainConfig, load_base, load_tokenizer, train

TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
# The top 20 of 30 layers: backward stops at layer 10, a fifth less compute a step on a CPU,
# and the task format and rules are learnt in the upper layers.
FIRST_LORA_LAYER = 10


def lora_model(model: Any, rank: int = 8, alpha: int = 16) -> Any:
    from peft import LoraConfig, get_peft_model

    layers = list(range(FIRST_LORA_LAYER, model.config.num_hidden_layers))
    config = LoraConfig(
        r=rank,
        lora_alpha=alpha,
        target_modules=TARGETS,
        lora_dropout=0.0,
        layers_to_transform=layers,
    )
    return get_peft_model(model, config)


def train_parent(
    data_dir: Path,
    out_dir: Path,
    cfg: TrainConfig,
    *,
    rank: int = 8,
    alpha: int = 16,
    base: Any = None,
) -> Path:
    """Fine-tune and save the adapter in ``out_dir/parent/adapter``; return that folder.
    ``base``: an already loaded base model to use (it is modified in place)."""
    tok = load_tokenizer()
    model = lora_model(base if base is not None else load_base(), rank, alpha)
    records = read_jsonl(data_dir / "train.jsonl")
    work = out_dir / "parent"
    losses = train(model, tok, records, cfg, work / "checkpoint.pt", desc="parent (LoRA)")
    adapter = work / "adapter"
    model.save_pretrained(adapter)
    (work / "losses.json").write_text(json.dumps(losses))
    return adapter


def load_parent(adapter: Path, *, merged: bool = True, base: Any = None) -> Any:
    """The base with the trained adapter (merged into the weights for a fast teacher)."""
    from peft import PeftModel

    model = PeftModel.from_pretrained(base if base is not None else load_base(), adapter)
    return model.merge_and_unload() if merged else model
