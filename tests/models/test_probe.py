"""Bad model files never take Warden down: the child-process check names the file, the runtime
reports a ``ModelError`` and the same process goes on answering with a good model."""

from __future__ import annotations

import shutil
import signal
import struct
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from app.errors import ModelError
from models.catalog import ModelEntry
from models.probe import probe
from models.runtime import LocalModel
from models.settings import GenerationOptions

HELLO = [{"role": "user", "content": "Say hello."}]
OPTS = GenerationOptions(max_tokens=2, temperature=0)


def _entry_for(bundled: ModelEntry, path: Path) -> ModelEntry:
    st = path.stat()
    info = replace(bundled.info, path=str(path), size_bytes=st.st_size, mtime_ns=st.st_mtime_ns)
    return replace(bundled, name=path.stem, info=info)


def _ask(entry: ModelEntry) -> str:
    with LocalModel(entry) as model:
        return model.submit(HELLO, OPTS).result(timeout=180).text


def test_a_truncated_model_is_an_error_naming_the_file(bundled: ModelEntry, tmp_path: Path):
    cut = tmp_path / "half-model.gguf"
    data = Path(bundled.info.path).read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError) as err:
        _ask(_entry_for(bundled, cut))
    assert "half-model.gguf" in err.value.user_message()
    assert "built-in texts" in err.value.user_message()
    assert _ask(bundled)  # the process is alive and the good model still answers


def test_a_quantization_llama_cpp_cannot_run_is_an_error(bundled: ModelEntry, tmp_path: Path):
    import gguf

    odd = tmp_path / "odd-quant.gguf"
    shutil.copyfile(bundled.info.path, odd)
    tensor = gguf.GGUFReader(bundled.info.path).tensors[0]
    name = tensor.name.encode()
    # tensor info: name (u64 length + bytes), n_dims (u32), dims (u64 each), type (u32)
    at = tensor.field.offset + 8 + len(name) + 4 + 8 * len(tensor.shape)
    with odd.open("r+b") as fh:
        fh.seek(at)
        assert struct.unpack("<I", fh.read(4))[0] == int(tensor.tensor_type)
        fh.seek(at)
        fh.write(struct.pack("<I", 4))  # Q4_2: removed from ggml long ago
    with pytest.raises(ModelError) as err:
        _ask(_entry_for(bundled, odd))
    assert "odd-quant.gguf" in str(err.value)


def test_a_crash_in_the_child_is_reported_not_shared(bundled: ModelEntry) -> None:
    """The child here is a real process that kills itself with SIGSEGV, standing in for
    llama.cpp crashing on a hostile file (no such file is at hand to crash it on purpose)."""
    crash = [sys.executable, "-c", f"import os; os.kill(os.getpid(), {int(signal.SIGSEGV)})"]
    with pytest.raises(ModelError) as err:
        probe("/models/evil.gguf", command=crash)
    assert "segmentation fault" in str(err.value) and "evil.gguf" in str(err.value)
    sigill = [sys.executable, "-c", f"import os; os.kill(os.getpid(), {int(signal.SIGILL)})"]
    with pytest.raises(ModelError, match="instructions this computer does not have"):
        probe("/models/any.gguf", command=sigill)


def test_the_good_model_passes_and_is_checked_once(bundled: ModelEntry) -> None:
    probe(bundled.info.path, llama_args={"n_ctx": 256, "n_threads": 1})
    # a second check of the same file and options is answered from memory: a child that
    # would fail is not even started
    probe(bundled.info.path, llama_args={"n_ctx": 256, "n_threads": 1}, command=["false"])
