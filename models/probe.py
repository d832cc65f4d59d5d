"""Try a model in a child process first, so that a crash in native code is a message, not the end
of Warden.

llama.cpp is C++: a truncated or hostile GGUF, a quantization the CPU path cannot run, an adapter
made for another model, or a library compiled for a newer CPU can kill the process (SIGSEGV,
SIGABRT, SIGILL) rather than raise. Before a model is loaded in the app's own process, a child
process (``python -m models.probe``) loads it with the same arguments and decodes a token; only
when that worked does the owner thread load it. Results are kept per process, keyed by the files'
identity, the library's identity and the load options, so the check runs once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from app.errors import ModelError
from models.cpu import missing_features, parse_system_info, read_cpu_flags
from models.llama_construct import construct_llama

PROBE_TIMEOUT_S = 120.0
_SIGNAL_NAMES = {
    int(signal.SIGSEGV): "a segmentation fault",
    int(signal.SIGABRT): "an abort",
    int(signal.SIGILL): "an illegal instruction",
    int(signal.SIGBUS): "a bus error",
    int(signal.SIGFPE): "an arithmetic fault",
}

_passed: set[tuple[Any, ...]] = set()
_lock = threading.Lock()


def _identity(path: str | None) -> tuple[str, int, int] | None:
    if not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return (path, -1, -1)
    return (str(Path(path).resolve()), st.st_size, st.st_mtime_ns)


def _library_identity() -> tuple[Any, ...]:
    import importlib.util

    spec = importlib.util.find_spec("llama_cpp")
    origin = spec.origin if spec else None
    return (origin, _identity(str(Path(origin).parent / "lib")) if origin else None)


# The frozen desktop bundle has no ``python -m``: its program takes this first argument instead
# (``warden.cli.main`` hands it to ``main`` below).
FROZEN_ARG = "__model_probe__"


def _child_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, "-m", "warden", FROZEN_ARG]
    return [sys.executable, "-m", "models.probe"]


def _describe_failure(code: int, out: dict[str, Any], model: str, adapter: str | None) -> str:
    what = f"{Path(model).name}" + (f" with the adapter {Path(adapter).name}" if adapter else "")
    if code < 0:
        sig = -code
        name = _SIGNAL_NAMES.get(sig, f"signal {sig}")
        if sig == signal.SIGILL:
            compiled = parse_system_info(str(out.get("system_info", "")))
            missing = missing_features(compiled, read_cpu_flags())
            lacking = f" (this CPU lacks {', '.join(missing)})" if missing else ""
            return (
                "The installed llama.cpp library uses processor instructions this computer does "
                f"not have{lacking}; it was built for a newer CPU."
            )
        return f"llama.cpp crashed with {name} while loading or running {what}."
    error = str(out.get("error") or "unknown error")[:500]
    return f"The model file {what} could not be loaded: {error}"


def probe(
    model_path: str,
    *,
    adapter_path: str | None = None,
    llama_args: dict[str, Any] | None = None,
    timeout_s: float = PROBE_TIMEOUT_S,
    command: list[str] | None = None,
) -> None:
    """Load ``model_path`` (with ``adapter_path``) in a child process and decode one token;
    raise ``ModelError`` naming the file if that fails or crashes. ``command`` replaces the
    child (tests use a real process that dies by a signal)."""
    args = {
        k: v
        for k, v in (llama_args or {}).items()
        if k not in {"model_path", "lora_path", "verbose"} and isinstance(v, int | float | str)
    }
    key = (
        _identity(model_path),
        _identity(adapter_path),
        _library_identity(),
        tuple(sorted(args.items())),
    )
    with _lock:
        if key in _passed:
            return
    request = {"model_path": model_path, "lora_path": adapter_path, "args": args}
    env = {**os.environ, "PYTHONFAULTHANDLER": "0"}
    try:
        done = subprocess.run(
            command or _child_command(),
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise ModelError(
            f"Loading {Path(model_path).name} did not finish within {timeout_s:g} s.",
            hint="The file may be damaged or too large for this computer; Warden keeps "
            "working with its built-in texts.",
        ) from None
    except OSError as exc:
        raise ModelError(f"The model check could not start: {exc}") from None
    out: dict[str, Any] = {}
    for line in done.stdout.splitlines():
        try:
            out.update(json.loads(line))
        except ValueError:
            continue
    if done.returncode == 0 and out.get("ok"):
        with _lock:
            _passed.add(key)
        return
    raise ModelError(
        _describe_failure(done.returncode, out, model_path, adapter_path),
        hint="Warden keeps working with its built-in texts. Remove or replace the file "
        "('warden model list' shows where it is).",
    )


def _child(request: dict[str, Any]) -> int:
    """Runs in the child: report the library's features, then load and decode one token."""
    import llama_cpp

    print(json.dumps({"system_info": llama_cpp.llama_print_system_info().decode()}), flush=True)
    kwargs = dict(request.get("args") or {})
    kwargs["model_path"] = request["model_path"]
    if request.get("lora_path"):
        kwargs["lora_path"] = request["lora_path"]
    kwargs["n_ctx"] = min(int(kwargs.get("n_ctx", 256)), 256)
    try:
        llama = construct_llama(kwargs)
        tokens = llama.tokenize(b"Hello", add_bos=True)
        llama.eval(tokens)
        llama.close()
    except Exception as exc:  # reported to the parent, which names the file
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}), flush=True)
        return 1
    print(json.dumps({"ok": True}), flush=True)
    return 0


def main() -> int:
    """``python -m models.probe``: reads the JSON request on stdin, prints JSON lines."""
    return _child(json.loads(sys.stdin.read()))


if __name__ == "__main__":
    sys.exit(main())
