"""The catalog: the bundled model, imports checked with the gguf package, memory refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import InvalidInput, ModelError
from app.store import open_throwaway
from models.bundled import BUNDLED_NAME, about
from models.catalog import Catalog, ModelEntry
from models.choice import ModelChoices
from models.gguf_info import check_fits, read_gguf_info
from tests.models.conftest import lora_tensors, write_gguf


def test_bundled_model_is_read_from_its_file(bundled: ModelEntry) -> None:
    info = bundled.info
    assert bundled.name == BUNDLED_NAME and bundled.source == "bundled"
    assert info.architecture == "llama" and info.kind == "model"
    assert info.context_length == 8192 and info.block_count == 30
    assert info.chat_template and "<|im_start|>" in info.chat_template
    assert info.license.lower() == "apache-2.0" == about()["license"].lower()


def test_listing_is_cached(catalog: Catalog, bundled: ModelEntry) -> None:
    assert catalog.entries()[0] == bundled
    assert (catalog.models_dir / "catalog.json").exists()


def test_bad_magic_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(InvalidInput, match="not a GGUF model file"):
        Catalog(tmp_path / "m").import_model(bad)


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    good = write_gguf(tmp_path / "good.gguf")
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(good.read_bytes()[:40])
    with pytest.raises(InvalidInput, match="could not be read"):
        read_gguf_info(cut)


def test_unknown_architecture_and_adapter_as_model_are_refused(tmp_path: Path) -> None:
    cat = Catalog(tmp_path / "m")
    with pytest.raises(InvalidInput, match="architecture"):
        cat.import_model(write_gguf(tmp_path / "a.gguf", arch="nosuchnet"))
    with pytest.raises(InvalidInput, match="adapter, not a model"):
        cat.import_model(write_gguf(tmp_path / "b.gguf", adapter=True))


def test_a_model_too_big_for_this_machine_is_refused(tmp_path: Path) -> None:
    # Its header claims a KV cache of ~67 GB at a 2048-token context.
    huge = write_gguf(tmp_path / "huge.gguf", blocks=1000, emb=8192, heads=64, kv_heads=64)
    with pytest.raises(ModelError, match="needs about .* MB"):
        Catalog(tmp_path / "m").import_model(huge)


def test_memory_check_refuses_with_a_clear_message(bundled: ModelEntry) -> None:
    with pytest.raises(ModelError, match="only 50 MB") as info:
        check_fits(bundled.info, 2048, available=50 * 1024 * 1024)
    assert "context size" in info.value.hint
    assert check_fits(bundled.info, 2048, available=4 << 30) > bundled.info.size_bytes


def test_import_copied_and_referenced(tmp_path: Path) -> None:
    src = write_gguf(tmp_path / "Tiny-Model.gguf", name="Tiny Model")
    cat = Catalog(tmp_path / "m")
    copied = cat.import_model(src)
    assert copied.name == "tiny-model" and copied.source == "copied"
    assert copied.path.parent == cat.models_dir and copied.path.read_bytes() == src.read_bytes()
    ref = cat.import_model(src, name="ref", copy=False)
    assert ref.path == src.resolve() and ref.source == "referenced"
    assert set(cat.names()) == {BUNDLED_NAME, "tiny-model", "ref"}
    with pytest.raises(InvalidInput, match="already"):
        cat.import_model(src, name="ref")
    src.write_bytes(src.read_bytes() + b"\0")  # the referenced file changed under us
    with pytest.raises(ModelError, match="changed or is gone"):
        cat.checked("ref")
    cat.checked("tiny-model")  # the copy is unaffected


def test_adapter_attaches_to_a_model_of_its_architecture(tmp_path: Path) -> None:
    import numpy as np

    cat = Catalog(tmp_path / "m")
    weight = {"blk.0.attn_q.weight": np.zeros((64, 64), np.float32)}
    cat.import_model(write_gguf(tmp_path / "base.gguf", tensors=weight), name="base")
    lora = write_gguf(
        tmp_path / "lora.gguf", adapter=True, tensors=lora_tensors("blk.0.attn_q.weight", 64, 64)
    )
    entry = cat.import_adapter(lora, base="base")
    assert entry.adapter is not None and Path(entry.adapter.path).exists()
    assert cat.get("base").adapter == entry.adapter
    with pytest.raises(InvalidInput, match="not a LoRA"):
        cat.import_adapter(tmp_path / "base.gguf", base="base")
    with pytest.raises(InvalidInput, match="bundled"):
        cat.import_adapter(lora, base=BUNDLED_NAME)


@pytest.mark.parametrize(
    ("tensors", "problem"),
    [
        (lora_tensors("blk.0.attn_q.weight", 64, 64, rank_b=2), "mismatched ranks"),
        (lora_tensors("blk.0.attn_q.weight", 32, 64), "does not fit"),
        (lora_tensors("blk.9.ffn_up.weight", 64, 64), "does not have"),
        ({}, "no LoRA tensors"),
    ],
)
def test_an_adapter_that_does_not_fit_is_refused(tmp_path: Path, tensors, problem) -> None:
    """llama.cpp would crash the process on these; the catalog refuses them at import."""
    import numpy as np

    cat = Catalog(tmp_path / "m")
    weight = {"blk.0.attn_q.weight": np.zeros((64, 64), np.float32)}
    cat.import_model(write_gguf(tmp_path / "base.gguf", tensors=weight), name="base")
    lora = write_gguf(tmp_path / "lora.gguf", adapter=True, tensors=tensors)
    with pytest.raises(InvalidInput, match=problem):
        cat.import_adapter(lora, base="base")


def test_settings_are_validated_and_kept(tmp_path: Path) -> None:
    cat = Catalog(tmp_path / "m")
    cat.import_model(write_gguf(tmp_path / "x.gguf"), name="x")
    assert cat.update_settings("x", n_ctx=1024, temperature=0.7).settings.n_ctx == 1024
    assert cat.get("x").settings.temperature == 0.7
    with pytest.raises(InvalidInput, match="out of range"):
        cat.update_settings("x", temperature=5.0)
    with pytest.raises(InvalidInput, match="Unknown"):
        cat.update_settings("x", colour="red")


def test_model_choice_per_task_lives_in_the_encrypted_store(tmp_path: Path) -> None:
    store = open_throwaway(tmp_path)
    choices = ModelChoices(store, known_names=[BUNDLED_NAME, "big"])
    assert choices.get("tx_review") == BUNDLED_NAME
    choices.set("tx_review", "big")
    assert ModelChoices(store).get("tx_review") == "big"
    assert choices.all() == {"tx_review": "big"}
    with pytest.raises(InvalidInput, match="No model"):
        choices.set("intent", "nope")
