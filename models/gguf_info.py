"""What a GGUF file is, read with the ``gguf`` package, and whether it will fit in memory.

Reading a file's metadata parses its whole vocabulary (seconds for a real model), so the catalog
keeps the result; ``GGUFInfo`` round-trips through JSON for that.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from app.errors import InvalidInput, ModelError

log = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"
MIB = 1024 * 1024
# What llama.cpp allocates beside weights and KV cache (compute graph, logits), rounded up.
RUNTIME_OVERHEAD_BYTES = 96 * MIB
# Leave this share of the free memory to the rest of the system.
HEADROOM = 0.85


@dataclass(frozen=True)
class GGUFInfo:
    path: str
    size_bytes: int
    mtime_ns: int
    kind: str  # "model" | "adapter"
    architecture: str
    name: str
    context_length: int
    block_count: int
    embedding_length: int
    head_count: int
    head_count_kv: int
    vocab_size: int
    chat_template: str | None
    license: str
    adapter_type: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GGUFInfo:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def is_current(self) -> bool:
        """False once the file on disk changed since it was read (or vanished)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return False
        return st.st_size == self.size_bytes and st.st_mtime_ns == self.mtime_ns


def check_magic(path: Path) -> None:
    """Fail fast, before the parser sees a file that is not GGUF at all."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"No model file at {path}.", hint="Check the path and try again.")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise InvalidInput(
            f"{path.name} could not be opened ({exc.strerror or type(exc).__name__}).",
            hint="Check that the file can be read, then try again.",
        ) from None
    if head[:4] != GGUF_MAGIC:
        raise InvalidInput(
            f"{path.name} is not a GGUF model file: {describe_start(head)}.",
            hint="Warden runs models in the GGUF format used by llama.cpp; convert it first.",
        )


def describe_start(head: bytes) -> str:
    """What a file that is not GGUF looks like, in words (never its raw bytes)."""
    if not head:
        return "the file is empty"
    if head.startswith(b"PK\x03\x04"):
        return "it is a ZIP archive (unpack it and import the .gguf file inside)"
    if head.startswith(b"\x7fELF") or head.startswith(b"MZ"):
        return "it is a program, not a model"
    if len(head) > 8 and head[8:9] == b"{":
        return "it looks like a safetensors file (convert it to GGUF with llama.cpp)"
    stripped = head.lstrip()
    if stripped[:1] in (b"<", b"{", b"[") or stripped.lower().startswith(b"<!doctype"):
        return "it is a text or web page, perhaps a download page rather than the model"
    if head.startswith(b"\x80") or head.startswith(b"PYTORCH"):
        return "it looks like a PyTorch file (convert it to GGUF with llama.cpp)"
    return "it does not start with the GGUF signature"


def _unreadable(path: Path, exc: BaseException) -> InvalidInput:
    # the parser's own words ("index 5 is out of bounds for axis 0") mean nothing to a user
    log.info("GGUF parse failed: %s", type(exc).__name__)
    return InvalidInput(
        f"{path.name} looks like GGUF but could not be read: the file is cut short or damaged.",
        hint="Download or convert the model again, then import the new file.",
    )


def _field(reader: Any, key: str) -> Any:
    f = reader.fields.get(key)
    if f is None:
        return None
    try:
        return f.contents()
    except (ValueError, IndexError, TypeError):
        return None


def read_gguf_info(path: Path) -> GGUFInfo:
    """Parse a GGUF file's metadata; raise ``InvalidInput`` with a reason for a bad file."""
    import gguf  # heavy-ish (numpy); only needed when a file is actually checked

    path = Path(path).resolve()
    check_magic(path)
    try:
        reader = gguf.GGUFReader(path)
    except Exception as exc:  # the parser raises many kinds for a damaged file
        raise _unreadable(path, exc) from None
    try:
        return _info(path, reader)
    except InvalidInput:
        raise
    except Exception as exc:  # a field of an unexpected type deep in the metadata
        raise _unreadable(path, exc) from None


def _info(path: Path, reader: Any) -> GGUFInfo:
    arch = _field(reader, "general.architecture")
    if not isinstance(arch, str) or not arch:
        raise InvalidInput(
            f"{path.name} does not say which architecture it is (general.architecture).",
            hint="Use a GGUF file converted by a recent llama.cpp.",
        )
    kind = _field(reader, "general.type") or "model"
    st = path.stat()

    def num(key: str, default: int = 0) -> int:
        value = _field(reader, f"{arch}.{key}")
        return int(value) if isinstance(value, int | float) else default

    tokens = reader.fields.get("tokenizer.ggml.tokens")
    vocab = num("vocab_size") or (len(tokens.data) if tokens is not None else 0)
    head_count = num("attention.head_count", 1)
    return GGUFInfo(
        path=str(path),
        size_bytes=st.st_size,
        mtime_ns=st.st_mtime_ns,
        kind=str(kind),
        architecture=arch,
        name=str(_field(reader, "general.name") or path.stem),
        context_length=num("context_length"),
        block_count=num("block_count"),
        embedding_length=num("embedding_length"),
        head_count=head_count,
        head_count_kv=num("attention.head_count_kv", head_count),
        vocab_size=vocab,
        chat_template=_field(reader, "tokenizer.chat_template"),
        license=str(_field(reader, "general.license") or "unknown"),
        adapter_type=_field(reader, "adapter.type"),
    )


def check_model_file(info: GGUFInfo) -> None:
    """A model Warden can run: a known architecture, a context length, not an adapter."""
    import gguf

    if info.kind == "adapter":
        raise InvalidInput(
            f"{Path(info.path).name} is a {info.adapter_type or ''} adapter, not a model.",
            hint="Import it as an adapter: warden model import FILE --adapter-for MODEL",
        )
    if info.architecture not in set(gguf.MODEL_ARCH_NAMES.values()):
        raise InvalidInput(
            f"{Path(info.path).name} has architecture {info.architecture!r}, "
            "which this llama.cpp does not know.",
            hint="Update Warden or pick a model of a supported architecture.",
        )
    if info.context_length <= 0 or info.block_count <= 0:
        raise InvalidInput(
            f"{Path(info.path).name} lacks its context length or layer count.",
            hint="Use a GGUF file converted by a recent llama.cpp.",
        )


def estimate_memory(info: GGUFInfo, n_ctx: int) -> int:
    """Bytes needed once loaded: weights + f16 KV cache for ``n_ctx`` tokens + overhead."""
    head_dim = info.embedding_length // max(info.head_count, 1)
    kv_cache = 2 * info.block_count * n_ctx * info.head_count_kv * head_dim * 2
    logits = info.vocab_size * 4 * 2
    return info.size_bytes + kv_cache + logits + RUNTIME_OVERHEAD_BYTES


def available_memory() -> int:
    """Memory the system can give without swapping (MemAvailable), in bytes."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def check_fits(info: GGUFInfo, n_ctx: int, *, available: int | None = None) -> int:
    """Refuse, before loading, a model that would not fit; return the estimate in bytes."""
    need = estimate_memory(info, n_ctx)
    free = available_memory() if available is None else available
    if need > free * HEADROOM:
        raise ModelError(
            f"{info.name} needs about {need / MIB:,.0f} MB with a {n_ctx}-token context, "
            f"but only {free / MIB:,.0f} MB of memory is free.",
            hint="Lower the model's context size, close other programs, or pick a smaller model.",
        )
    return need


def check_adapter_shapes(adapter: Path, base: Path) -> None:
    """Refuse a LoRA adapter whose tensors do not fit the base model.

    llama.cpp crashes the whole process (segfault) on such an adapter instead of failing, so
    the shapes are checked here, once, at import: for each ``W.lora_a`` / ``W.lora_b`` pair,
    ``W`` exists in the base and ``a``: [in, r], ``b``: [r, out] match ``W``: [in, out].
    """
    import gguf

    def shapes(path: Path) -> dict[str, list[int]]:
        try:
            return {t.name: [int(n) for n in t.shape] for t in gguf.GGUFReader(path).tensors}
        except Exception as exc:
            raise _unreadable(Path(path), exc) from None

    lora, weights = shapes(adapter), shapes(base)
    pairs = {name.rsplit(".lora_", 1)[0] for name in lora if ".lora_" in name}
    if not pairs:
        raise InvalidInput(f"{adapter.name} holds no LoRA tensors (NAME.lora_a / NAME.lora_b).")
    for target in sorted(pairs):
        a, b = lora.get(f"{target}.lora_a"), lora.get(f"{target}.lora_b")
        w = weights.get(target)
        problem = None
        if a is None or b is None:
            problem = "has only one of its two LoRA tensors"
        elif w is None:
            problem = "targets a tensor the model does not have"
        elif len(a) < 2 or len(b) < 2 or len(w) < 2 or a[1] != b[0]:
            problem = f"has mismatched ranks ({a} and {b})"
        elif a[0] != w[0] or b[1] != w[1]:
            problem = f"does not fit the model's {w} tensor ({a} x {b})"
        if problem:
            raise InvalidInput(
                f"The adapter's {target} {problem}.",
                hint="Use an adapter trained for exactly this base model.",
            )
