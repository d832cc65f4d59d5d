"""``warden train personalize``: a LoRA adapter fine-tuned on the device from the user's feedback.

It starts from the shipped adapter (read back from its GGUF), trains on the feedback examples
mixed with a few generated ones (so that the general skills are not forgotten), and writes a
new GGUF adapter that the runtime applies over the bundled model. Minutes on a laptop CPU.
Nothing leaves the machine; the feedback is anonymized before it becomes training text.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np

from app.errors import InvalidInput
from models.training.data import DEFAULT_SIZES, _records
from models.training.export import HF_TO_GGUF, _base_reader, _heads, export_adapter
from models.training.feedback import feedback_records, load_feedback
from models.training.loop import TrainConfig, load_base, load_tokenizer, train
from models.training.parent import lora_model

REPLAY = 16  # generated examples mixed in per run
_GGUF_TO_HF = {v: k for k, v in HF_TO_GGUF.items()}


def unpermute_rows(w: np.ndarray, n_head: int) -> np.ndarray:
    """Inverse of ``export.permute_rows``: llama.cpp's row order back to transformers'."""
    return (
        w.reshape(n_head, w.shape[0] // n_head // 2, 2, *w.shape[1:])
        .swapaxes(1, 2)
        .reshape(w.shape)
    )


def adapter_from_gguf(model: Any, path: Path) -> tuple[int, float]:
    """Load a GGUF LoRA adapter's weights into a peft model of the same rank; (rank, alpha)."""
    import gguf
    import torch

    reader = gguf.GGUFReader(path)
    alpha = float(reader.fields["adapter.lora.alpha"].contents())
    heads = _heads(_base_reader())
    params = dict(model.named_parameters())
    rank = 0
    with torch.no_grad():
        for t in reader.tensors:
            blk, layer, name, _w, part = t.name.split(".")
            w = np.array(t.data, dtype=np.float32).reshape([int(x) for x in reversed(t.shape)])
            if part == "lora_b" and name in ("attn_q", "attn_k"):
                w = unpermute_rows(w, heads[0] if name == "attn_q" else heads[1])
            rank = w.shape[0] if part == "lora_a" else w.shape[1]
            side = "lora_A" if part == "lora_a" else "lora_B"
            key = f"base_model.model.model.layers.{layer}.{_GGUF_TO_HF[name]}.{side}.default.weight"
            if key not in params:
                raise InvalidInput(f"The adapter {path.name} does not fit this model ({key}).")
            params[key].copy_(torch.from_numpy(w))
    return rank, alpha


def adapter_shape(path: Path) -> tuple[int, float]:
    import gguf

    reader = gguf.GGUFReader(path)
    t = next(x for x in reader.tensors if x.name.endswith("lora_a"))
    return int(t.shape[1]), float(reader.fields["adapter.lora.alpha"].contents())


def personalize(
    store: Any,
    start_adapter: Path,
    out_file: Path,
    work: Path,
    cfg: TrainConfig,
    *,
    base: Any = None,
) -> dict[str, Any]:
    """Train on the store's feedback; write the personal GGUF adapter to ``out_file``.
    ``base``: an already loaded base model to use (modified in place)."""
    rows = load_feedback(store)
    records = feedback_records(rows)
    if not records:
        raise InvalidInput(
            "There is no usable feedback to learn from yet.",
            hint="Mark a few explanations as helpful or correct a few intent parses first.",
        )
    rng = random.Random(cfg.seed)
    sizes = dict(DEFAULT_SIZES, review=REPLAY, explain=REPLAY // 2, intent=REPLAY // 2, brief=0)
    replay = list(_records(cfg.seed, sizes, set()))
    rng.shuffle(replay)
    rank, alpha = adapter_shape(start_adapter)
    tok = load_tokenizer()
    model = lora_model(base if base is not None else load_base(), rank, int(alpha))
    adapter_from_gguf(model, start_adapter)
    data = records * max(1, 3 - len(records) // 20) + replay[:REPLAY]
    losses = train(model, tok, data, cfg, work / "checkpoint.pt", desc="personalize (LoRA)")
    model.save_pretrained(work / "adapter")
    export_adapter(work / "adapter", out_file)
    return {
        "feedback": len(rows),
        "examples": len(data),
        "losses": losses,
        "adapter": str(out_file),
    }
