"""The installed llama.cpp runs on CPUs older than this one: no AVX-512 or AMX instruction in the
library, and the bundled model answers through Warden's runtime on an emulated Haswell CPU
(``qemu-x86_64 -cpu Haswell-v4``, Debian's qemu-user, installed by packaging/system-deps.sh)."""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.bundled import BUNDLED_NAME
from models.catalog import Catalog

pytestmark = pytest.mark.skipif(
    platform.machine() not in {"x86_64", "AMD64"}, reason="x86-64 instructions are checked"
)
REPO = Path(__file__).resolve().parents[2]
# AT&T syntax as objdump prints it: a zmm register, an opmask register, an embedded broadcast,
# or an AMX tile instruction all mean the CPU needs AVX-512 or AMX.
NEEDS_AVX512_OR_AMX = re.compile(
    r"%zmm\d|\{%k[1-7]\}|\{1to\d+\}|\b(ldtilecfg|sttilecfg|tileloadd|tilestored|tdpb[su]{2}d|"
    r"tdpbf16ps|tilezero|tilerelease)\b"
)


def _llama_libraries() -> list[Path]:
    spec = importlib.util.find_spec("llama_cpp")
    assert spec and spec.origin, "llama_cpp is not installed"
    libs = sorted(Path(spec.origin).parent.glob("lib/*.so*"))
    assert any("ggml-cpu" in p.name for p in libs), libs
    return libs


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: run packaging/system-deps.sh"
    return path


def test_the_installed_library_has_no_avx512_or_amx_instructions() -> None:
    objdump = _tool("objdump")
    for lib in _llama_libraries():
        text = subprocess.run(
            [objdump, "-d", "--no-show-raw-insn", str(lib)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "vfmadd" in text or "ggml-cpu" not in lib.name  # the CPU library was read
        hits = [line for line in text.splitlines() if NEEDS_AVX512_OR_AMX.search(line)]
        assert not hits, f"{lib.name}: {len(hits)} AVX-512/AMX instructions, e.g. {hits[:3]}"


def test_the_pattern_finds_what_a_native_build_would_contain() -> None:
    # the check above can fail: lines as objdump prints them for AVX-512 and AMX code
    for line in (
        "vpaddd %zmm1,%zmm2,%zmm3",
        "vmovdqu32 (%rax),%ymm0{%k1}",
        "vbroadcastss (%rdi){1to16},%zmm0",
        "tileloadd (%rsi,%rdx,1),%tmm0",
        "tdpbssd %tmm2,%tmm1,%tmm0",
    ):
        assert NEEDS_AVX512_OR_AMX.search(line), line
    assert not NEEDS_AVX512_OR_AMX.search("vfmadd231ps %ymm1,%ymm2,%ymm0")


def _haswell(argv: list[str], timeout: float, **kw) -> subprocess.CompletedProcess[str]:
    qemu = _tool("qemu-x86_64")
    return subprocess.run(
        [qemu, "-cpu", "Haswell-v4", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kw,
    )


def test_the_emulated_haswell_refuses_avx512(tmp_path: Path) -> None:
    """Control: the emulated CPU really lacks AVX-512, so the next test proves something."""
    src = tmp_path / "avx512.c"
    src.write_text('int main(void) { __asm__ volatile("vpxord %zmm0, %zmm0, %zmm0"); return 0; }')
    exe = tmp_path / "avx512"
    subprocess.run([_tool("cc"), str(src), "-o", str(exe)], check=True)
    assert _haswell([str(exe)], timeout=60).returncode == -4  # SIGILL
    assert _haswell(["/bin/true"], timeout=60).returncode == 0


@pytest.mark.slow
def test_the_bundled_model_answers_on_an_emulated_haswell(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from models.catalog import Catalog
        from models.runtime import LocalModel
        from models.settings import GenerationOptions

        entry = Catalog(Path(sys.argv[1])).get()
        with LocalModel(entry) as model:
            # few prompt tokens: emulated, each token takes about a second
            reply = model.submit(
                [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
                GenerationOptions(max_tokens=3, temperature=0, timeout_s=240),
            )
            result = reply.result()
        print("ANSWER:" + repr(result.text), result.completion_tokens)
        """
    )
    # The catalog is read natively first: parsing the GGUF's vocabulary takes a minute emulated.
    # One thread: under emulation a second one only spins (measured: twice as slow with two).
    Catalog(tmp_path / "models").update_settings(BUNDLED_NAME, n_threads=1)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = _haswell(
        [sys.executable, "-c", script, str(tmp_path / "models")], timeout=280, env=env, cwd=REPO
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = [line for line in done.stdout.splitlines() if line.startswith("ANSWER:")]
    assert answer and answer[0] != "ANSWER:''", done.stdout
