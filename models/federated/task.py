"""What a federated round trains: the LoRA adapter over a frozen base, on one wallet's examples.

Shared by the ServerApp (the initial adapter) and the ClientApp (training and scoring). Every
participant builds the same base and the same LoRA start from the run's settings, so only the
adapter's arrays need to travel. torch and friends are imported inside the functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

MODELS = ("tiny", "bundled")


@dataclass(frozen=True)
class RunSettings:
    """The run's settings (Flower's run config), checked; unknown values fail closed."""

    model: str = "tiny"
    rank: int = 4
    seed: int = 7
    steps: int = 2
    lr: float = 0.05
    noise: float = 1.0
    clip: float = 1.0
    delta: float = 1e-5
    sample_rate: float = 0.5
    max_len: int = 160

    @classmethod
    def from_config(cls, cfg: Any) -> RunSettings:
        def get(key: str, kind: type, default: Any) -> Any:
            value = cfg.get(key, default)
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ValueError(f"run setting {key} must be a {kind.__name__}")
            return value

        d = cls()
        s = cls(
            model=get("model", str, d.model),
            rank=get("rank", int, d.rank),
            seed=get("seed", int, d.seed),
            steps=get("local-steps", int, d.steps),
            lr=get("lr", float, d.lr),
            noise=get("noise", float, d.noise),
            clip=get("clip", float, d.clip),
            delta=get("delta", float, d.delta),
            sample_rate=get("sample-rate", float, d.sample_rate),
            max_len=get("max-len", int, d.max_len),
        )
        if s.model not in MODELS or not 1 <= s.rank <= 64 or not 1 <= s.steps <= 1000:
            raise ValueError("run settings out of range (model, rank or local-steps)")
        if s.noise < 0 or s.clip <= 0 or not 0 < s.delta < 1 or not 0 < s.sample_rate <= 1:
            raise ValueError("privacy settings out of range (noise, clip, delta, sample-rate)")
        return s


def build_model(s: RunSettings) -> tuple[Any, Any]:
    """(LoRA model, tokenizer): the same base and the same adapter start on every machine."""
    import torch

    from models.federated.privacy import quiet_warnings
    from models.federated.simulate import tiny_base
    from models.training.loop import load_base, load_tokenizer
    from models.training.parent import lora_model

    quiet_warnings()
    torch.set_num_threads(1)
    tok = load_tokenizer()
    base = tiny_base(len(tok), seed=s.seed) if s.model == "tiny" else load_base()
    torch.manual_seed(s.seed)
    return lora_model(base, s.rank, 2 * s.rank), tok


def initial_adapter(s: RunSettings) -> list[np.ndarray]:
    from models.federated.params import get_weights

    model, _ = build_model(s)
    return get_weights(model)


def split_heldout(records: list[Any]) -> tuple[list[Any], list[Any]]:
    """(train, held out): every fourth example is kept aside to score models on, never trained
    on; with fewer than four examples, the last one."""
    if len(records) < 2:
        return records, []
    held = [r for i, r in enumerate(records) if i % 4 == 3] or records[-1:]
    train = [r for r in records if not any(r is h for h in held)]
    return train, held


def heldout_loss(model: Any, tok: Any, records: list[Any], max_len: int) -> float:
    """Mean answer-token loss over ``records`` (lower is better); inf when none is usable."""
    import torch

    from models.federated.privacy import encode_records, per_example_loss
    from models.training.loop import collate

    encoded = encode_records(tok, records, max_len)
    if not encoded:
        return float("inf")
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    model.eval()
    with torch.no_grad():
        ids, labels, mask = collate(encoded, list(range(len(encoded))), pad)
        return float(per_example_loss(model, ids, labels, mask).item())
