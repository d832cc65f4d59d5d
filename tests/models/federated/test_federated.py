"""Federated LoRA fine-tuning with DP-SGD through a real Flower server on 127.0.0.1.

Real parts: flwr's gRPC server and clients (in threads of this process), opacus's per-example
clipping, noise and RDP accountant, encrypted stores holding each user's feedback, the
anonymizer, the bundled SmolLM2 tokenizer and chat template. To keep the round trips to
seconds on a CPU, the model they train is a tiny randomly initialised ``LlamaForCausalLM``
with SmolLM2's architecture (2 layers, width 32; ``simulate.tiny_base``); one test checks,
on the real SmolLM2 architecture read from the bundled GGUF (built on the meta device, no
weights, no training), that the LoRA adapter's arrays are what would travel.

Skipped only when the optional ``train`` extra is not installed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

for _m in ("torch", "transformers", "peft", "flwr", "opacus"):
    pytest.importorskip(_m, reason="the 'train' extra is not installed")

from app.errors import InvalidInput  # noqa: E402
from app.store import open_throwaway  # noqa: E402
from models.federated.flower import METRIC_KEYS  # noqa: E402
from models.federated.params import adapter_named, set_weights, weighted_average  # noqa: E402
from models.federated.privacy import LocalConfig, PrivacyConfig  # noqa: E402
from models.federated.simulate import run_federated, tiny_base  # noqa: E402
from models.federated.synthetic import synthetic_feedback  # noqa: E402
from models.training.feedback import add_feedback  # noqa: E402

# peft asks transformers a question under a deprecated name (simulate silences it too)
pytestmark = pytest.mark.filterwarnings("ignore:`is_gradient_checkpointing` is deprecated")

SIZES = (4, 5, 7)  # different amounts of feedback per user, so FedAvg's weights matter
LOCAL = LocalConfig(steps=2, lr=0.5, max_len=160)


@pytest.fixture(scope="module")
def tok() -> Any:
    from models.training.loop import load_tokenizer

    return load_tokenizer()


@pytest.fixture(scope="module")
def users(tmp_path_factory: pytest.TempPathFactory) -> Any:
    stores, raw = [], []
    for i, n in enumerate(SIZES):
        store = open_throwaway(tmp_path_factory.mktemp(f"user{i}"))
        rows = synthetic_feedback(i, n, seed=11)
        for kind, payload in rows:
            add_feedback(store, kind, payload)
        stores.append(store)
        raw.append(rows)
    yield stores, raw
    for s in stores:
        s.close()


@pytest.fixture(scope="module")
def dp_run(users: Any, tok: Any) -> Any:
    stores, _ = users
    privacy = PrivacyConfig(noise_multiplier=1.0, max_grad_norm=1.0, delta=1e-5, sample_rate=0.5)
    return run_federated(
        stores, tiny_base(len(tok)), tok, rounds=2, privacy=privacy, local=LOCAL, rank=4, alpha=8
    )


@pytest.mark.slow
def test_rounds_change_the_adapter_and_report_the_privacy_spent(dp_run: Any) -> None:
    from opacus.accountants import RDPAccountant

    assert [r.round for r in dp_run.reports] == [1, 2]
    assert all(r.clients == 3 and r.examples == sum(SIZES) for r in dp_run.reports)
    assert any(not np.array_equal(a, b) for a, b in zip(dp_run.initial, dp_run.final, strict=True))
    # lora_B starts at zero (peft): after training it no longer is
    assert any(np.abs(a).max() > 0 for a in dp_run.final[1::2])
    # epsilon grows with the rounds and is what an independent accountant finds for the
    # same noise, sampling rate and number of steps
    eps = [r.epsilon for r in dp_run.reports]
    assert 0 < eps[0] < eps[1] < math.inf
    for rnd, e in enumerate(eps, start=1):
        ref = RDPAccountant()
        ref.history = [(1.0, 0.5, LOCAL.steps * rnd)]
        assert e == pytest.approx(ref.get_epsilon(delta=1e-5), rel=1e-9)
    assert all(r.delta == 1e-5 for r in dp_run.reports)


@pytest.mark.slow
def test_only_adapter_arrays_and_numbers_reach_the_server(dp_run: Any, users: Any) -> None:
    _, raw = users
    shapes = [a.shape for a in dp_run.initial]
    for rnd, got in enumerate(dp_run.strategy.received):
        assert len(got) == 3
        for r in got:
            assert r.shapes == shapes and set(r.dtypes) == {"float32"}
            assert set(r.metrics) <= METRIC_KEYS
            assert all(isinstance(v, float | int) for v in r.metrics.values())
        # the server received exactly what the clients sent, nothing added
        sent = [c.sent[rnd] for c in dp_run.clients]
        for r in got:
            assert any(
                all(np.array_equal(a, b) for a, b in zip(r.arrays, s, strict=True)) for s in sent
            )
    assert sorted(r.num_examples for r in dp_run.strategy.received[0]) == list(SIZES)
    # and what each client trained on was anonymized before use: no raw address in it
    for rows, records in zip(raw, dp_run.records, strict=True):
        text = json.dumps(records)
        addresses = [p["intent"]["address"] for _, p in rows if "address" in p["intent"]]
        assert addresses and not any(a in text for a in addresses)
        assert "ADDR_1" in text


def test_dp_noise_is_added_to_each_step(tok: Any) -> None:
    """Same data, same sampling, one SGD step with and without noise: the difference is the
    Gaussian noise, of standard deviation lr * sigma * clip / expected batch."""
    from models.federated.params import get_weights
    from models.federated.privacy import DPTrainer, encode_records
    from models.federated.synthetic import synthetic_feedback
    from models.training.feedback import feedback_records
    from models.training.parent import lora_model

    records = feedback_records(synthetic_feedback(0, 6, seed=3))
    encoded = encode_records(tok, records, 160)
    runs = []
    for sigma in (0.0, 2.0):
        model = lora_model(tiny_base(len(tok), seed=1), 4, 8)
        cfg = PrivacyConfig(noise_multiplier=sigma, max_grad_norm=0.5, sample_rate=0.5)
        trainer = DPTrainer(model, encoded, tok.eos_token_id, cfg, seed=5)
        before = get_weights(model)
        trainer.train_round(LocalConfig(steps=1, lr=0.1))
        runs.append([b - a for a, b in zip(before, get_weights(model), strict=True)])
    noise = np.concatenate([(b - a).ravel() for a, b in zip(*runs, strict=True)])
    expected_std = 0.1 * 2.0 * 0.5 / round(0.5 * len(encoded))  # lr * sigma * clip / batch
    assert noise.std() == pytest.approx(expected_std, rel=0.05)
    assert abs(noise.mean()) < expected_std / 10


@pytest.mark.slow
def test_without_noise_the_aggregate_is_the_weighted_average(users: Any, tok: Any) -> None:
    stores, _ = users
    run = run_federated(
        stores,
        tiny_base(len(tok)),
        tok,
        rounds=1,
        privacy=PrivacyConfig(noise_multiplier=0.0),
        local=LOCAL,
        rank=4,
        alpha=8,
    )
    updates = [(r.arrays, r.num_examples) for r in run.strategy.received[0]]
    expected = weighted_average(updates)
    for a, b in zip(run.final, expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    plain = [np.mean([u[0][i] for u in updates], axis=0) for i in range(len(expected))]
    assert any(not np.allclose(a, b, atol=1e-7) for a, b in zip(run.final, plain, strict=True))
    assert math.isinf(run.reports[0].epsilon)  # no noise, no privacy claim


def test_the_real_smollm2_adapter_is_what_travels() -> None:
    """SmolLM2's architecture from the bundled GGUF's metadata, built on the meta device (no
    weights): the arrays that travel are LoRA's A and B for each projection of each layer,
    each fitting the matching weight of the real base, and a small share of the model."""
    import gguf
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from models.bundled import bundled_model_path
    from models.training.export import HF_TO_GGUF
    from models.training.parent import FIRST_LORA_LAYER, TARGETS, lora_model

    reader = gguf.GGUFReader(bundled_model_path())

    def meta(key: str) -> int:
        return int(reader.fields[f"llama.{key}"].contents())

    config = LlamaConfig(
        vocab_size=len(reader.fields["tokenizer.ggml.tokens"].data),
        hidden_size=meta("embedding_length"),
        intermediate_size=meta("feed_forward_length"),
        num_hidden_layers=meta("block_count"),
        num_attention_heads=meta("attention.head_count"),
        num_key_value_heads=meta("attention.head_count_kv"),
        tie_word_embeddings=True,
    )
    with torch.device("meta"):
        model = lora_model(LlamaForCausalLM(config), 8, 16)
    named = dict(adapter_named(model))
    adapted = config.num_hidden_layers - FIRST_LORA_LAYER  # the parent adapts the upper layers
    assert len(named) == adapted * len(TARGETS) * 2
    base = {t.name: [int(x) for x in t.shape] for t in reader.tensors}  # GGUF order: (in, out)
    for layer in (FIRST_LORA_LAYER, config.num_hidden_layers - 1):
        for hf, gg in HF_TO_GGUF.items():
            if hf.split(".")[-1] not in TARGETS:
                continue  # the norms carry no adapter
            prefix = f"base_model.model.model.layers.{layer}.{hf}"
            a = named[f"{prefix}.lora_A.default.weight"]
            b = named[f"{prefix}.lora_B.default.weight"]
            n_in, n_out = base[f"blk.{layer}.{gg}.weight"]
            assert tuple(a.shape) == (8, n_in) and tuple(b.shape) == (n_out, 8)
    travelling = sum(p.numel() for p in named.values())
    total = sum(p.numel() for p in model.parameters())
    assert travelling < 0.05 * total  # the frozen base (most of the weights) never travels


def test_bad_inputs_are_refused_with_a_message(tmp_path: Path, tok: Any) -> None:
    from models.training.parent import lora_model

    model = lora_model(tiny_base(len(tok)), 4, 8)
    with pytest.raises(InvalidInput, match="expected"):
        set_weights(model, [np.zeros((1, 1), np.float32)] * len(adapter_named(model)))
    with pytest.raises(InvalidInput, match="arrays"):
        set_weights(model, [])
    with pytest.raises(ValueError, match="sample_rate"):
        PrivacyConfig(sample_rate=0)
    empty = open_throwaway(tmp_path / "empty")
    other = open_throwaway(tmp_path / "other")
    try:
        with pytest.raises(InvalidInput, match="no usable feedback"):
            run_federated([empty, other], tiny_base(len(tok)), tok, rounds=1)
    finally:
        empty.close()
        other.close()


@pytest.mark.parametrize(
    "argv, message",
    [(["--noise", "-1"], "noise_multiplier"), (["--clients", "1"], "at least 2 clients")],
)
def test_the_command_refuses_bad_settings_before_loading_anything(
    argv: list[str], message: str, tmp_path: Path
) -> None:
    import argparse

    from models.federated.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["federated", "--work", str(tmp_path), *argv])
    with pytest.raises(InvalidInput, match=message):
        args.func(args)
    assert not (tmp_path / "federated").exists()
