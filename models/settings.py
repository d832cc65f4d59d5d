"""Per-model settings (context, threads, temperature) and per-request generation options."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from app.errors import InvalidInput

DEFAULT_CONTEXT = 2048


def default_threads() -> int:
    # Half the logical CPUs (about the physical cores), at most 4: llama.cpp's threads spin while
    # waiting, so one more than the free cores makes generation many times slower (measured on a
    # busy 2-CPU machine: 50 tokens/s with 1 thread, 3 tokens/s with 2).
    return max(1, min((os.cpu_count() or 2) // 2, 4))


@dataclass(frozen=True)
class ModelSettings:
    n_ctx: int = DEFAULT_CONTEXT
    n_threads: int = field(default_factory=default_threads)
    temperature: float = 0.2
    idle_unload_s: float = 300.0

    def __post_init__(self) -> None:
        if not 128 <= self.n_ctx <= 1_048_576:
            raise InvalidInput(f"Context size {self.n_ctx} is out of range (128 to 1048576).")
        if not 1 <= self.n_threads <= 256:
            raise InvalidInput(f"Thread count {self.n_threads} is out of range (1 to 256).")
        if not 0.0 <= self.temperature <= 2.0:
            raise InvalidInput(f"Temperature {self.temperature} is out of range (0 to 2).")
        if self.idle_unload_s <= 0:
            raise InvalidInput("The idle time before unloading must be positive.")

    def to_json(self) -> dict[str, Any]:
        """Only what differs from the defaults: a default (threads) follows the machine."""
        defaults = asdict(ModelSettings())
        return {k: v for k, v in asdict(self).items() if v != defaults[k]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelSettings:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def updated(self, **changes: Any) -> ModelSettings:
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise InvalidInput(f"Unknown model setting(s): {', '.join(sorted(unknown))}.")
        return replace(self, **changes)


@dataclass(frozen=True)
class GenerationOptions:
    """One request's limits. ``temperature=None`` uses the model's setting."""

    max_tokens: int = 256
    temperature: float | None = None
    timeout_s: float = 60.0
    schema: dict[str, Any] | None = None
    # Also show the schema to the model in a system message. A prompt that already teaches
    # the shape (by examples) turns it off: a small model reads a long schema badly.
    schema_hint: bool = True
    stop: tuple[str, ...] = ()
    seed: int | None = None
    # Benchmarks only: keep generating to max_tokens so every run does the same work.
    ignore_eos: bool = False

    def __post_init__(self) -> None:
        if self.max_tokens < 1:
            raise InvalidInput("max_tokens must be at least 1.")
        if self.timeout_s <= 0:
            raise InvalidInput("timeout_s must be positive.")
