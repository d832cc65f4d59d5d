#!/usr/bin/env bash
# Build llama-cpp-python as a *portable* wheel, once, into a wheelhouse keyed by version and
# build flags, and print the wheel's path. Never -march=native: a library compiled on the build
# machine's CPU dies with SIGILL on an older one (no AVX-512) and crashed on AMX.
#   x86_64:  the x86-64-v3 baseline (AVX, AVX2, FMA, F16C, BMI2); AVX-512, AVX-VNNI and AMX off.
#   aarch64: the compiler's armv8-a baseline (NEON); no -mcpu=native.
# pip's own wheel cache ignores CMAKE_ARGS, so a wheel cached by a native build could come back:
# this wheelhouse is keyed by the flags themselves, and pip is told not to use its cache here.
# Usage: bash packaging/llama-wheel.sh [PYTHON]  (default .venv/bin/python)
# Env: WARDEN_WHEELHOUSE (default ~/.cache/warden/wheelhouse), LLAMA_CPP_VERSION.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-.venv/bin/python}"
VERSION="${LLAMA_CPP_VERSION:-0.3.36}"
case "$(uname -m)" in
  x86_64 | amd64)
    FLAGS="-DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_SSE42=ON -DGGML_AVX=ON"
    FLAGS="$FLAGS -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
    FLAGS="$FLAGS -DGGML_AVX_VNNI=OFF -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF"
    FLAGS="$FLAGS -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF"
    FLAGS="$FLAGS -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
    ;;
  *)
    FLAGS="-DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS=OFF"
    ;;
esac
FLAGS="$FLAGS -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF"
PYTAG="$("$PY" -c 'import sys, sysconfig; print(f"cp{sys.version_info[0]}{sys.version_info[1]}-" + sysconfig.get_platform())')"
sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }
cores() { nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2; }
KEY="$(printf '%s|%s|%s' "$VERSION" "$PYTAG" "$FLAGS" | sha256 | cut -c1-16)"
HOUSE="${WARDEN_WHEELHOUSE:-${XDG_CACHE_HOME:-$HOME/.cache}/warden/wheelhouse}/llama-cpp-python-$VERSION-$KEY"
wheel="$(ls "$HOUSE"/llama_cpp_python-*.whl 2>/dev/null | head -1 || true)"
if [ -z "$wheel" ]; then
  mkdir -p "$HOUSE"
  echo "building llama-cpp-python $VERSION (portable: $FLAGS); 10-20 minutes on two cores" >&2
  tmp="$(mktemp -d)"
  CMAKE_ARGS="$FLAGS" FORCE_CMAKE=1 \
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(cores)}" \
    "$PY" -m pip wheel -q --no-cache-dir --no-deps -w "$tmp" "llama-cpp-python==$VERSION" >&2
  printf '%s\n' "$FLAGS" >"$HOUSE/FLAGS"
  mv "$tmp"/llama_cpp_python-*.whl "$HOUSE/"
  rm -rf "$tmp"
  wheel="$(ls "$HOUSE"/llama_cpp_python-*.whl | head -1)"
fi
printf '%s\n' "$wheel"
