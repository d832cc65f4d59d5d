"""Shared fixtures: the real bundled GGUF model, read and loaded once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from models.catalog import Catalog, ModelEntry
from models.runtime import LocalModel


@pytest.fixture(scope="session")
def warden_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A WARDEN_HOME whose catalog the session's tests share (the bundled file is read once)."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="session")
def catalog(warden_home: Path) -> Catalog:
    return Catalog(warden_home / "data" / "models")


@pytest.fixture(scope="session")
def bundled(catalog: Catalog) -> ModelEntry:
    return catalog.get()


@pytest.fixture(scope="session")
def local_model(bundled: ModelEntry) -> Iterator[LocalModel]:
    model = LocalModel(bundled)
    yield model
    model.close()


def write_gguf(path: Path, **kv: Any) -> Path:
    """A small GGUF file with only a header, written with the gguf package's own writer."""
    import gguf

    arch = str(kv.pop("arch", "llama"))
    w = gguf.GGUFWriter(path, arch)
    w.add_name(str(kv.pop("name", "tiny")))
    if kv.pop("adapter", False):
        w.add_type("adapter")
        w.add_string("adapter.type", "lora")
        w.add_float32("adapter.lora.alpha", 1.0)
    w.add_context_length(int(kv.pop("ctx", 2048)))
    w.add_block_count(int(kv.pop("blocks", 2)))
    w.add_embedding_length(int(kv.pop("emb", 64)))
    w.add_head_count(int(kv.pop("heads", 4)))
    w.add_head_count_kv(int(kv.pop("kv_heads", 4)))
    w.add_vocab_size(int(kv.pop("vocab", 100)))
    for name, array in kv.pop("tensors", {}).items():
        w.add_tensor(name, array)
    assert not kv, kv
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def lora_tensors(target: str, n_in: int, n_out: int, *, rank_b: int = 1, scale: float = 0.0):
    """A rank-1 LoRA pair for ``target`` ([in, out] in GGUF order); zeros unless ``scale``."""
    import numpy as np

    rng = np.random.default_rng(7)
    a = (rng.normal(size=(1, n_in)) * scale).astype(np.float32)
    b = (rng.normal(size=(n_out, rank_b)) * scale).astype(np.float32)
    return {f"{target}.lora_a": a, f"{target}.lora_b": b}
