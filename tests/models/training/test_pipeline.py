"""The tiny end-to-end training run: data, parent, child, export, llama.cpp load, evaluation,
personalization from feedback in a real encrypted store. A step or two on a few short
examples: it proves the pipeline works, not that the model learns (that is ``warden eval``).

Skipped only when the optional ``train`` extra (torch, transformers, peft) is not installed.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

pytest.importorskip(
    "torch", reason="the 'train' extra (torch, transformers, peft) is not installed"
)
pytest.importorskip("transformers", reason="the 'train' extra is not installed")
pytest.importorskip("peft", reason="the 'train' extra is not installed")
pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")

from models.training.data import TINY_SIZES, build, read_jsonl  # noqa: E402
from models.training.loop import TrainConfig  # noqa: E402

# Only short examples (intents, a few explanations) fit: a step stays a few seconds on a CPU.
TINY = TrainConfig(steps=1, batch_size=2, lr=1e-3, max_len=160, save_every=1)


def _generate(model: Path, adapter: Path | None = None) -> str:
    from models.training.evaluate import Candidate, Runner

    run = Runner(Candidate("t", model, adapter), n_ctx=256)
    try:
        return run.chat([{"role": "user", "content": "Send 1 ETH to bob"}], 4)
    finally:
        run.close()


@pytest.mark.slow
def test_tiny_pipeline_end_to_end(tmp_path: Path) -> None:
    import gguf

    from app.store import open_throwaway
    from models.bundled import bundled_model_path
    from models.training.child import parameter_count, train_child
    from models.training.evaluate import Candidate, evaluate_candidates
    from models.training.export import export_adapter, export_child
    from models.training.feedback import add_feedback
    from models.training.loop import load_base
    from models.training.parent import train_parent
    from models.training.personalize import personalize

    data = tmp_path / "data"
    counts = build(data, seed=3, sizes=TINY_SIZES)
    assert counts["heldout"] == TINY_SIZES["heldout"]
    rows = read_jsonl(data / "train.jsonl")
    assert {r["task"] for r in rows} == {"review", "explain", "intent", "brief"}
    assert not any("0x" in json.dumps(r) for r in rows), "addresses must be anonymized"

    base = load_base()
    adapter_dir = train_parent(data, tmp_path, TINY, base=copy.deepcopy(base))
    assert (tmp_path / "parent" / "checkpoint.pt").exists()
    adapter = export_adapter(adapter_dir, tmp_path / "parent.lora.gguf")
    assert gguf.GGUFReader(adapter).fields["general.type"].contents() == "adapter"
    assert isinstance(_generate(bundled_model_path(), adapter), str)

    child_dir = train_child(data, tmp_path, TINY, child_layers=12, base=copy.deepcopy(base))
    child = export_child(child_dir, tmp_path / "child.gguf")
    reader = gguf.GGUFReader(child)
    assert reader.fields["llama.block_count"].contents() == 12
    assert parameter_count(base) * 0.6 >= sum(int(t.n_elements) for t in reader.tensors)
    assert isinstance(_generate(child), str)
    from models.training.intent_train import CHILD_KINDS

    mixed = export_child(child_dir, tmp_path / "mixed.gguf", kinds=CHILD_KINDS)
    kinds = {t.name: t.tensor_type.name for t in gguf.GGUFReader(mixed).tensors}
    assert kinds["token_embd.weight"] == "Q4_1" and kinds["blk.0.ffn_up.weight"] == "Q5_1"
    assert kinds["blk.0.attn_q.weight"] == kinds["blk.11.ffn_down.weight"] == "Q8_0"
    assert mixed.stat().st_size < child.stat().st_size
    assert isinstance(_generate(mixed), str)

    results = evaluate_candidates(
        [Candidate("child", child)], data / "heldout_cases.jsonl", None, limit=1, intents=False
    )
    review = results["child"]["review_heldout"]
    assert review["n"] == 1 and 0.0 <= review["verdict_accuracy"] <= 1.0
    assert results["child"]["size"]["gen_tok_s"] > 0
    assert 0.0 <= results["templates"]["explain_heldout"]["faithfulness"] <= 1.0

    db = open_throwaway(tmp_path)
    add_feedback(
        db,
        "intent",
        {
            "text": "send 2 DAI to nina",
            "intent": {
                "action": "send",
                "amount": "2",
                "asset": "DAI",
                "to": "nina",
                "chain": None,
            },
        },
    )
    add_feedback(db, "tone", {"tone": "short"})
    out = personalize(
        db, adapter, tmp_path / "personal.lora.gguf", tmp_path / "personal", TINY, base=base
    )
    assert out["feedback"] == 2
    assert isinstance(_generate(bundled_model_path(), Path(out["adapter"])), str)
    db.close()
