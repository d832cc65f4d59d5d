"""``warden train export``: trained weights to GGUF files that llama.cpp (the runtime) loads.

- A LoRA adapter (peft) becomes a GGUF adapter (``general.type = adapter``, tensors
  ``blk.N.<name>.weight.lora_a`` / ``.lora_b``, ``adapter.lora.alpha``) applied over the
  bundled base at load time.
- The child becomes a full GGUF model: the base file's metadata (tokenizer, chat template,
  rope, licence) with its own layer count, weights in Q8_0 (F32 for norms).

llama.cpp's llama architecture expects the query and key rows in the interleaved rotary order
of the original checkpoints; transformers un-permutes them when it reads a GGUF, so the
export permutes them back (and, for an adapter, permutes lora_b, whose rows are the output).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from app.errors import ModelError

HF_TO_GGUF = {
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
    "input_layernorm": "attn_norm",
    "post_attention_layernorm": "ffn_norm",
}
_LAYER = re.compile(r"layers\.(\d+)\.(.+?)\.(?:weight|lora_A\.weight|lora_B\.weight)$")


def permute_rows(w: np.ndarray, n_head: int) -> np.ndarray:
    """transformers' rotate-half row order -> llama.cpp's interleaved order."""
    return (
        w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:])
        .swapaxes(1, 2)
        .reshape(w.shape)
    )


def _base_reader() -> Any:
    import gguf

    from models.bundled import bundled_model_path

    return gguf.GGUFReader(bundled_model_path())


def _heads(reader: Any) -> tuple[int, int]:
    f = reader.fields
    return int(f["llama.attention.head_count"].contents()), int(
        f["llama.attention.head_count_kv"].contents()
    )


def _maybe_permute(name: str, w: np.ndarray, heads: tuple[int, int]) -> np.ndarray:
    if name == "attn_q":
        return permute_rows(w, heads[0])
    if name == "attn_k":
        return permute_rows(w, heads[1])
    return w


def export_adapter(adapter_dir: Path, out_file: Path) -> Path:
    """A peft LoRA adapter folder -> one GGUF adapter file for the bundled base."""
    import gguf
    from safetensors.numpy import load_file

    config = json.loads((adapter_dir / "adapter_config.json").read_text())
    tensors = load_file(str(adapter_dir / "adapter_model.safetensors"))
    heads = _heads(_base_reader())
    writer = gguf.GGUFWriter(str(out_file), "llama")
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(config["lora_alpha"]))
    writer.add_string("general.name", "Warden review adapter")
    count = 0
    for key in sorted(tensors, key=_natural):
        m = _LAYER.search(key)
        if not m or m.group(2) not in HF_TO_GGUF:
            continue
        name = HF_TO_GGUF[m.group(2)]
        w = tensors[key].astype(np.float32)
        if "lora_B" in key:
            w = _maybe_permute(name, w, heads)
            suffix = "lora_b"
        else:
            suffix = "lora_a"
        writer.add_tensor(f"blk.{m.group(1)}.{name}.weight.{suffix}", w.astype(np.float16))
        count += 1
    if count == 0:
        raise ModelError(f"No LoRA tensors found in {adapter_dir}.")
    _write(writer)
    return out_file


def _natural(key: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key))


def _write(writer: Any) -> None:
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def _copy_metadata(reader: Any, writer: Any, overrides: dict[str, Any]) -> None:
    import gguf

    for key, field in reader.fields.items():
        if key.startswith("GGUF.") or key == "general.architecture":
            continue
        if key in overrides:
            continue
        vtype = field.types[0]
        value = field.contents()
        sub = field.types[1] if vtype == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(key, value, vtype, sub_type=sub)
    for key, value in overrides.items():
        if isinstance(value, int):
            writer.add_uint32(key, value)
        else:
            writer.add_string(key, str(value))


def export_child(
    model_dir: Path,
    out_file: Path,
    *,
    quantize: bool = True,
    kind: str = "Q8_0",
    kinds: dict[str, str] | None = None,
) -> Path:
    """The distilled child (safetensors) -> a full GGUF model with the base's metadata.
    ``kind``: the quantization of the matrices when ``quantize`` (Q8_0, or Q5_1 / Q5_0 for a
    smaller file); ``kinds``: another one for some matrices, by GGUF name (``token_embd``,
    ``ffn_up``, ...). The child's embedding (also its tied output head) is the base's, frozen
    in training, and the base ships it in Q4_1, so Q4_1 gives it back as it was."""
    import gguf
    from safetensors.numpy import load_file

    reader = _base_reader()
    heads = _heads(reader)
    files = sorted(model_dir.glob("*.safetensors"))
    if not files:
        raise ModelError(f"No child model in {model_dir}.", hint="Run 'warden train child' first.")
    tensors: dict[str, np.ndarray] = {}
    for f in files:
        tensors.update(load_file(str(f)))
    n_layers = 1 + max(int(m.group(1)) for k in tensors if (m := _LAYER.search(k)))
    writer = gguf.GGUFWriter(str(out_file), "llama")
    _copy_metadata(
        reader,
        writer,
        {"llama.block_count": n_layers, "general.name": f"Warden child ({n_layers} layers)"},
    )
    q = gguf.GGMLQuantizationType
    mat = q[kind] if quantize else q.F16
    other = {name: q[k] for name, k in (kinds or {}).items()} if quantize else {}
    emb = tensors["model.embed_tokens.weight"].astype(np.float32)
    _add(writer, "token_embd.weight", emb, other.get("token_embd", mat))
    _add(writer, "output_norm.weight", tensors["model.norm.weight"].astype(np.float32), q.F32)
    for key in sorted(tensors, key=_natural):
        m = _LAYER.search(key)
        if not m or m.group(2) not in HF_TO_GGUF:
            continue
        name = HF_TO_GGUF[m.group(2)]
        w = _maybe_permute(name, tensors[key].astype(np.float32), heads)
        # Q8_0: the fully fine-tuned child's weights do not survive Q4_1 (measured: the Q4_1
        # file answered garbage where the F16 and Q8_0 files match torch).
        matrix = other.get(name, mat)
        _add(writer, f"blk.{m.group(1)}.{name}.weight", w, q.F32 if w.ndim == 1 else matrix)
    _write(writer)
    return out_file


def _add(writer: Any, name: str, w: np.ndarray, kind: Any) -> None:
    import gguf

    if kind == gguf.GGMLQuantizationType.F32:
        writer.add_tensor(name, w.astype(np.float32))
    elif kind == gguf.GGMLQuantizationType.F16:
        writer.add_tensor(name, w.astype(np.float16))
    else:
        data = gguf.quants.quantize(w, kind)
        writer.add_tensor(name, data, raw_shape=data.shape, raw_dtype=kind)
