"""Generation speed, memory, parameters and file size of several models, measured in the same
process with the same prompt, threads and token count. The machine's load changes from minute
to minute, so each model is timed in several rounds, in alternating order, and its best round
(the one it was least disturbed in) is kept."""

from __future__ import annotations

from typing import Any

from models.training.evaluate import Candidate, Runner, gguf_params


def size_and_speed(
    cands: list[Candidate], *, threads: int | None, rounds: int = 3
) -> dict[str, Any]:
    """Per model: gen_tok_s, rss_mb, params_m, file_mb (model + adapter); with a parent and a
    child, also ``child_vs_parent`` (speed, params and file ratios)."""
    runners: dict[str, Runner] = {}
    out: dict[str, Any] = {}
    try:
        for cand in cands:
            if not cand.model.exists() or (cand.adapter and not cand.adapter.exists()):
                continue
            run = Runner(cand, threads=threads)
            runners[cand.name] = run
            size = cand.model.stat().st_size + (cand.adapter.stat().st_size if cand.adapter else 0)
            out[cand.name] = {
                "gen_tok_s": 0.0,
                "rss_mb": round(run.rss_mb, 1),
                "params_m": round(gguf_params(cand.model) / 1e6, 1),
                "file_mb": round(size / 1_048_576, 1),
            }
        names = list(runners)
        for r in range(rounds):
            for name in names if r % 2 == 0 else names[::-1]:
                speed = round(runners[name].gen_speed(runs=3), 1)
                out[name]["gen_tok_s"] = max(out[name]["gen_tok_s"], speed)
    finally:
        for run in runners.values():
            run.close()
    if "parent" in out and "child" in out:
        child, parent = out["child"], out["parent"]
        out["child_vs_parent"] = {
            "speed": round(child["gen_tok_s"] / parent["gen_tok_s"], 2),
            "params": round(child["params_m"] / parent["params_m"], 3),
            "file": round(child["file_mb"] / parent["file_mb"], 3),
        }
    return out
