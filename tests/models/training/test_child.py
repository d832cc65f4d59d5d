"""The child's shape and the distillation loss, on a tiny random Llama (fast, no GGUF)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch", reason="the 'train' extra (torch, transformers) is not installed")
pytest.importorskip("transformers", reason="the 'train' extra is not installed")

import torch  # noqa: E402

from models.training.child import layer_plan, make_child  # noqa: E402
from models.training.loop import TrainConfig, train  # noqa: E402


def test_the_plan_keeps_the_first_quarter_and_the_top() -> None:
    assert layer_plan(30, 12) == [0, 1, 2, *range(21, 30)]
    assert layer_plan(8, 4) == [0, 5, 6, 7]
    assert layer_plan(6, 6) == list(range(6))
    assert layer_plan(30, 2) == [0, 29]


def _tiny_llama() -> Any:
    from models.federated.simulate import tiny_base

    return tiny_base(64, layers=8)


def test_the_child_has_the_planned_layers_and_the_parents_frozen_head() -> None:
    parent = _tiny_llama()
    child = make_child(parent, 4)
    assert child.config.num_hidden_layers == 4
    assert [layer.self_attn.layer_idx for layer in child.model.layers] == [0, 1, 2, 3]
    kept = child.model.layers[1].self_attn.q_proj.weight
    assert torch.equal(kept, parent.model.layers[5].self_attn.q_proj.weight)
    assert not child.get_input_embeddings().weight.requires_grad
    assert child.lm_head.weight is child.get_input_embeddings().weight
    assert child.model.layers[0].mlp.up_proj.weight.requires_grad
    ids = torch.tensor([[1, 2, 3, 4]])
    assert child(input_ids=ids).logits.shape == (1, 4, 64)


class _Tok:
    """The few tokenizer calls the training loop makes, over a 64-word vocabulary."""

    eos_token, eos_token_id, pad_token_id = "", 0, 0

    def apply_chat_template(self, messages, **_: object) -> str:
        return " ".join(m["content"] for m in messages) + " >"

    def __call__(self, text: str, **_: object):
        return type("E", (), {"input_ids": [1 + ord(c) % 60 for c in text if c != " "]})


def _run(tmp_path: Path, hidden_weight: float) -> list[float]:
    teacher = _tiny_llama()
    child = make_child(copy.deepcopy(teacher), 4)
    records = [{"messages": [{"content": f"send {i} eth"}], "answer": "ok"} for i in range(6)]
    cfg = TrainConfig(steps=3, batch_size=2, lr=1e-3, save_every=10, hidden_weight=hidden_weight)
    return train(child, _Tok(), records, cfg, tmp_path / f"h{hidden_weight}.pt", teacher=teacher)


def test_the_hidden_state_term_adds_the_distance_to_the_teacher(tmp_path: Path) -> None:
    plain, with_hidden = _run(tmp_path, 0.0), _run(tmp_path, 1.0)
    assert len(plain) == len(with_hidden) == 3
    # the same child and batch at step 0: the only difference is the cosine term, in (0, 2]
    assert 0.0 < with_hidden[0] - plain[0] <= 2.0


def test_the_validation_score_counts_every_answer_by_action() -> None:
    from models.training.intent_val import score

    records = [
        {"messages": [{"content": f"send {i} eth"}], "answer": f'{{"action": "{a}"}}'}
        for i, a in enumerate(["send", "send", "swap"])
    ]
    got = score(_tiny_llama(), _Tok(), records, batch=2)
    assert got["n"] == 3 and got["by_action"] in (
        {"send": f"{k}/2", "swap": f"{j}/1"} for k in range(3) for j in range(2)
    )
    assert got["answer_loss"] > 0 and 0.0 <= got["answer_accuracy"] <= 1.0
