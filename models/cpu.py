"""What this computer's processor can do, and what that means for loading a model.

Two crashes came from the processor rather than the model, and both are decided here:

- llama.cpp's AMX weight-repack path (an "extra buffer type") segfaults on every batch decode
  of Q4_1 models on CPUs with AMX (llama.cpp issue 20824). Where the CPU reports AMX, or its
  flags cannot be read, models load without extra buffer types, whatever build is installed.
- A llama.cpp library compiled for a newer CPU than this one dies with SIGILL on its first
  instruction the CPU lacks. Warden builds a portable library, but a user may bring their own:
  the features a library was compiled with (its system info) are compared with the CPU's flags
  before any model is loaded, so a mismatch is a message, not a crash.

The flags come from ``/proc/cpuinfo`` (Linux) or ``sysctl`` (macOS); the source is a parameter
so that the decisions are tested with any CPU.
"""

from __future__ import annotations

import platform
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

AMX_FLAGS = frozenset({"amx_tile", "amx_int8", "amx_bf16", "amx_fp16", "amx_complex"})

# llama.cpp system-info feature name -> the CPU flag (Linux spelling) it needs.
FEATURE_FLAGS: dict[str, tuple[str, ...]] = {
    "SSE3": ("pni",),
    "SSSE3": ("ssse3",),
    "AVX": ("avx",),
    "AVX_VNNI": ("avx_vnni",),
    "AVX2": ("avx2",),
    "F16C": ("f16c",),
    "FMA": ("fma",),
    "BMI2": ("bmi2",),
    "AVX512": ("avx512f",),
    "AVX512_VBMI": ("avx512_vbmi", "avx512vbmi"),
    "AVX512_VNNI": ("avx512_vnni", "avx512vnni"),
    "AVX512_BF16": ("avx512_bf16",),
    "AMX_INT8": ("amx_int8",),
}

# macOS sysctl spelling -> Linux spelling, for the flags above.
_MAC_NAMES = {
    "sse3": "pni",
    "avx1.0": "avx",
    "fma": "fma",
    "f16c": "f16c",
    "avx2": "avx2",
    "bmi2": "bmi2",
    "avx512f": "avx512f",
    "avx512vnni": "avx512_vnni",
    "avx512vbmi": "avx512_vbmi",
    "ssse3": "ssse3",
    "amx_tile": "amx_tile",
}


@dataclass(frozen=True)
class CpuFlags:
    """The processor's feature flags; ``known`` is False where they could not be read."""

    flags: frozenset[str]
    known: bool
    machine: str

    @property
    def is_x86(self) -> bool:
        return self.machine.lower() in {"x86_64", "amd64", "i386", "i686", "x86"}

    @property
    def has_amx(self) -> bool:
        return bool(self.flags & AMX_FLAGS)


def parse_proc_cpuinfo(text: str) -> frozenset[str]:
    """The ``flags`` (x86) or ``Features`` (ARM) of the first processor in ``/proc/cpuinfo``."""
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in {"flags", "features"}:
            return frozenset(value.split())
    return frozenset()


def _read_linux() -> str:
    with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
        return fh.read(1_000_000)


def _read_macos() -> str:
    out = subprocess.run(
        ["sysctl", "-n", "machdep.cpu.features", "machdep.cpu.leaf7_features"],
        capture_output=True,
        text=True,
        timeout=5,
        check=False,
    )
    names = out.stdout.lower().split()
    return "flags : " + " ".join(_MAC_NAMES.get(n, n) for n in names)


def read_cpu_flags(source: Callable[[], str] | None = None, machine: str | None = None) -> CpuFlags:
    """The CPU's flags. ``source`` returns text in ``/proc/cpuinfo`` form (tests pass their own)."""
    machine = machine or platform.machine()
    if source is None:
        if sys.platform.startswith("linux"):
            source = _read_linux
        elif sys.platform == "darwin" and machine.lower() in {"x86_64", "amd64"}:
            source = _read_macos
        else:
            return CpuFlags(frozenset(), known=False, machine=machine)
    try:
        flags = parse_proc_cpuinfo(source())
    except (OSError, subprocess.SubprocessError, UnicodeError):
        return CpuFlags(frozenset(), known=False, machine=machine)
    return CpuFlags(flags, known=bool(flags), machine=machine)


def use_extra_buffer_types(cpu: CpuFlags) -> bool:
    """Whether llama.cpp may repack weights into extra buffer types on this CPU.

    Off where the CPU reports AMX (the repack path segfaults there), and off on x86 where the
    flags are unknown: unknown is not safe. The bundled Q4_1 model is not repacked by the AVX2
    path anyway, so turning it off costs it nothing.
    """
    if cpu.has_amx:
        return False
    return not (cpu.is_x86 and not cpu.known)


def parse_system_info(text: str) -> frozenset[str]:
    """The CPU features a llama.cpp library was compiled with, from ``llama_print_system_info``
    (``"CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | ..."``)."""
    return frozenset(m.group(1) for m in re.finditer(r"([A-Z0-9_]+)\s*=\s*1\b", text))


def missing_features(compiled: Iterable[str], cpu: CpuFlags) -> list[str]:
    """The compiled-in CPU features this processor lacks (empty when it can run the library,
    or when the flags are unknown and nothing can be said)."""
    if not cpu.known or not cpu.is_x86:
        return []
    missing = []
    for feature in sorted(set(compiled)):
        needs = FEATURE_FLAGS.get(feature)
        if needs and not any(flag in cpu.flags for flag in needs):
            missing.append(feature)
    return missing
