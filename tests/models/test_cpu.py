"""CPU flags and what they decide: AMX turns off llama.cpp's repack buffers, a library built for
a newer CPU is named, not run. The flags come from faked ``/proc/cpuinfo`` texts (the decisions
must hold on CPUs this machine is not); the load uses the real bundled model."""

from __future__ import annotations

from models.catalog import ModelEntry
from models.cpu import (
    CpuFlags,
    missing_features,
    parse_proc_cpuinfo,
    parse_system_info,
    read_cpu_flags,
    use_extra_buffer_types,
)
from models.runtime import construct_llama, llama_kwargs

HASWELL = "sse sse2 pni ssse3 sse4_1 sse4_2 avx avx2 fma f16c bmi1 bmi2 movbe"
SAPPHIRE_RAPIDS = HASWELL + " avx512f avx512bw avx512vl avx512_vnni avx512_bf16 amx_tile amx_int8"


def cpuinfo(flags: str, key: str = "flags") -> str:
    return f"processor\t: 0\nvendor_id\t: GenuineIntel\n{key}\t\t: {flags}\n\nprocessor\t: 1\n"


def cpu(flags: str, machine: str = "x86_64") -> CpuFlags:
    return read_cpu_flags(lambda: cpuinfo(flags), machine=machine)


def test_amx_turns_extra_buffer_types_off() -> None:
    assert cpu(SAPPHIRE_RAPIDS).has_amx
    assert use_extra_buffer_types(cpu(SAPPHIRE_RAPIDS)) is False
    assert use_extra_buffer_types(cpu(HASWELL)) is True


def test_unknown_flags_on_x86_are_not_safe_but_arm_keeps_its_repack() -> None:
    def unreadable() -> str:
        raise OSError("no /proc")

    unknown = read_cpu_flags(unreadable, machine="x86_64")
    assert not unknown.known and use_extra_buffer_types(unknown) is False
    arm = read_cpu_flags(lambda: cpuinfo("fp asimd aes crc32 asimddp", "Features"), "aarch64")
    assert arm.known and "asimd" in arm.flags and use_extra_buffer_types(arm) is True


def test_a_library_built_for_a_newer_cpu_is_named() -> None:
    native = parse_system_info(
        "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | "
        "AVX512 = 1 | AVX512_VNNI = 1 | AMX_INT8 = 1 | LLAMAFILE = 1 | OPENMP = 1 | REPACK = 1 |"
    )
    assert missing_features(native, cpu(HASWELL)) == ["AMX_INT8", "AVX512", "AVX512_VNNI"]
    assert missing_features(native, cpu(SAPPHIRE_RAPIDS)) == []
    portable = parse_system_info("CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | FMA = 1 | AVX512 = 0 |")
    assert portable == {"SSE3", "AVX", "AVX2", "FMA"}
    assert missing_features(portable, cpu(HASWELL)) == []
    assert missing_features(portable, cpu("sse sse2 pni ssse3")) == ["AVX", "AVX2", "FMA"]


def test_parse_ignores_text_without_flags() -> None:
    assert parse_proc_cpuinfo("processor : 0\nmodel name : Some CPU\n") == frozenset()
    assert not read_cpu_flags(lambda: "garbage", machine="x86_64").known


def test_the_real_load_follows_the_decision(bundled: ModelEntry) -> None:
    kwargs = {**llama_kwargs(bundled), "n_ctx": 256}
    on_amx = construct_llama(kwargs, cpu(SAPPHIRE_RAPIDS))
    try:
        assert on_amx.model_params.use_extra_bufts is False
        on_amx.eval(on_amx.tokenize(b"Hello there", add_bos=True))  # a batch decode
    finally:
        on_amx.close()
    plain = construct_llama(kwargs, cpu(HASWELL))
    try:
        assert plain.model_params.use_extra_bufts is True
    finally:
        plain.close()
    # the wrapper is gone after each load: a plain Llama gets llama.cpp's defaults again
    from llama_cpp import llama_cpp as lib

    assert lib.llama_model_default_params().use_extra_bufts is True
