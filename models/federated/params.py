"""The adapter's weights as the list of arrays that travels between a client and the server.

Only the trainable parameters of a peft LoRA model are in the list (``lora_A`` and ``lora_B``
of each targeted projection), in the model's own parameter order, which is the same on every
client because all start from the same base and the same LoRA configuration.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from app.errors import InvalidInput


def adapter_named(model: Any) -> list[tuple[str, Any]]:
    """(name, parameter) of the adapter: the trainable parameters, in model order."""
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    if not named or not all("lora_" in n for n, _ in named):
        raise InvalidInput(
            "Federated training needs a LoRA model whose only trainable weights are the adapter.",
            hint="Wrap the base with models.training.parent.lora_model first.",
        )
    return named


def get_weights(model: Any) -> list[np.ndarray]:
    """Copies of the adapter's weights as float32 arrays."""
    return [p.detach().cpu().numpy().astype(np.float32, copy=True) for _, p in adapter_named(model)]


def set_weights(model: Any, arrays: list[np.ndarray]) -> None:
    """Load ``arrays`` (from ``get_weights`` of a model of the same shape) into the adapter."""
    import torch

    named = adapter_named(model)
    if len(arrays) != len(named):
        raise InvalidInput(
            f"Received {len(arrays)} adapter arrays; this model has {len(named)}.",
            hint="Every client and the server must use the same base model and LoRA rank.",
        )
    with torch.no_grad():
        for (name, p), a in zip(named, arrays, strict=True):
            if tuple(a.shape) != tuple(p.shape):
                raise InvalidInput(
                    f"Adapter weight {name} has shape {tuple(a.shape)}, expected {tuple(p.shape)}.",
                    hint="Every client and the server must use the same base model and LoRA rank.",
                )
            p.copy_(torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)))


def weighted_average(updates: list[tuple[list[np.ndarray], int]]) -> list[np.ndarray]:
    """FedAvg's aggregate: the example-weighted mean of each array (a reference for checks)."""
    total = sum(n for _, n in updates)
    if total <= 0:
        raise InvalidInput("No examples to average over.")
    out: list[np.ndarray] = []
    for i in range(len(updates[0][0])):
        acc = np.zeros(updates[0][0][i].shape, dtype=np.float64)
        for arrays, n in updates:
            acc += arrays[i].astype(np.float64) * n
        out.append((acc / total).astype(np.float32))
    return out
