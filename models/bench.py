"""Speed and memory of Warden's runtime against raw ``llama_cpp.Llama``, same model and settings.

Each side runs in a fresh process (so its resident memory is its own) with the same chat
prompt, the same settings and exactly the same number of generated tokens (end-of-text is
banned on both sides). Figures, both sides alike:

- ``load_s``: constructing the ``Llama`` (Warden: through its owner thread);
- ``prompt_tok_s``: prompt tokens / time from request to first token;
- ``gen_tok_s``: (tokens - 1) / time from first to last token, as the caller receives them;
- ``rss_mb``: resident memory of the process with the model loaded, after generating.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from models.catalog import Catalog, ModelEntry

PROMPT = [{"role": "user", "content": "Write a short story about a lighthouse keeper and a storm."}]
DEFAULT_TOKENS = 64


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _figures(load_s: float, start: float, first: float, last: float, n_prompt: int, n_gen: int):
    return {
        "load_s": round(load_s, 4),
        "prompt_tok_s": round(n_prompt / max(first - start, 1e-9), 1),
        "gen_tok_s": round((n_gen - 1) / max(last - first, 1e-9), 1),
        "rss_mb": round(_rss_mb(), 1),
        "tokens": n_gen,
    }


def measure_warden(entry: ModelEntry, n_tokens: int) -> dict[str, Any]:
    import llama_cpp  # noqa: F401 - imported before timing, as on the raw side

    from models.runtime import LocalModel
    from models.settings import GenerationOptions

    with LocalModel(entry) as model:
        load_s = model.preload().result()
        opts = GenerationOptions(max_tokens=n_tokens, temperature=0.0, ignore_eos=True)
        start = time.perf_counter()
        reply = model.submit(PROMPT, opts)
        result = reply.result()
        assert reply.first_token_at is not None and reply.last_token_at is not None
        return _figures(
            load_s,
            start,
            reply.first_token_at,
            reply.last_token_at,
            result.prompt_tokens,
            result.completion_tokens,
        )


def measure_raw(entry: ModelEntry, n_tokens: int) -> dict[str, Any]:
    import llama_cpp  # noqa: F401 - imported before timing, as on Warden's side

    from models.runtime import construct_llama, llama_kwargs

    started = time.perf_counter()
    # Llama(**kwargs) itself, only without the repack buffers where the CPU has AMX (they crash)
    llama: Any = construct_llama(llama_kwargs(entry))
    load_s = time.perf_counter() - started
    start = time.perf_counter()
    first = last = 0.0
    count = 0
    for chunk in llama.create_chat_completion(
        messages=PROMPT,
        max_tokens=n_tokens,
        temperature=0.0,
        stream=True,
        logit_bias={llama.token_eos(): float("-inf")},
    ):
        if chunk["choices"][0]["delta"].get("content"):
            last = time.perf_counter()
            first = first or last
            count += 1
    figures = _figures(load_s, start, first, last, int(llama.n_tokens) - count, count)
    llama.close()
    return figures


def _side_in_subprocess(side: str, models_dir: Path, name: str, n_tokens: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "models.bench", "--side", side, "--models-dir", str(models_dir)]
    cmd += ["--model", name, "--tokens", str(n_tokens)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"bench side {side} failed: {out.stderr.strip()[-2000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run(
    models_dir: Path,
    name: str,
    n_tokens: int = DEFAULT_TOKENS,
    order: tuple[str, ...] = ("raw", "warden"),
) -> dict[str, Any]:
    """One measurement of both sides; returns the ``warden model bench --json`` object."""
    entry = Catalog(models_dir).checked(name)  # parse once here; the sides read the cache
    sides = {s: _side_in_subprocess(s, models_dir, entry.name, n_tokens) for s in order}
    warden, raw = sides["warden"], sides["raw"]
    return {
        "model": entry.name,
        "warden": warden,
        "raw": raw,
        "gen_ratio": round(warden["gen_tok_s"] / raw["gen_tok_s"], 3) if raw["gen_tok_s"] else 0,
        "settings": {"n_ctx": entry.settings.n_ctx, "n_threads": entry.settings.n_threads},
    }


def run_reps(models_dir: Path, name: str, n_tokens: int = DEFAULT_TOKENS, reps: int = 3):
    """``reps`` measurements, alternating which side goes first; the medians of each figure and
    ``gen_ratio`` as the ratio of the median generation speeds (one run is too noisy to judge
    a 5 % difference by)."""
    import statistics

    if reps < 1:
        raise ValueError("reps must be at least 1")
    runs = [
        run(models_dir, name, n_tokens, ("raw", "warden") if i % 2 == 0 else ("warden", "raw"))
        for i in range(reps)
    ]
    out: dict[str, Any] = {"model": runs[0]["model"], "settings": runs[0]["settings"]}
    for side in ("warden", "raw"):
        out[side] = {
            key: round(statistics.median(r[side][key] for r in runs), 4) for key in runs[0][side]
        }
        out[side]["tokens"] = n_tokens
    raw = out["raw"]["gen_tok_s"]
    out["gen_ratio"] = round(out["warden"]["gen_tok_s"] / raw, 3) if raw else 0
    out["reps"] = reps
    out["rep_ratios"] = [r["gen_ratio"] for r in runs]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--side", choices=["warden", "raw"], required=True)
    parser.add_argument("--models-dir", type=Path, default=None)
    parser.add_argument("--model", default="smollm2-135m-instruct")
    parser.add_argument("--tokens", type=int, default=DEFAULT_TOKENS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        entry = Catalog(args.models_dir or Path(tmp)).checked(args.model)
        measure = measure_warden if args.side == "warden" else measure_raw
        print(json.dumps(measure(entry, args.tokens)))


if __name__ == "__main__":
    main()
