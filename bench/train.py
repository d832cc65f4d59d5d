"""Generation speed, memory and file size of base, parent (base + adapter) and child, in one run.

The evaluation's figures come from separate processes on a shared CPU; this measures the
models in the same process, same prompt, threads and token count, and, because the machine's
load changes from minute to minute, in several rounds in alternating order, keeping each
model's best round (the round a model was least disturbed in).
Usage: python bench/train.py [--work build/training] [--threads 2] [--adapter PATH]
    [--child PATH] [--rounds 3]
For the intent-action models: python bench/train.py --work build/intent-training
    --adapter build/intent-training/export/warden-intent-action.lora.gguf
    --child build/intent-training/export/warden-intent-child.Q8_0.gguf --threads 1
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from models.bundled import bundled_model_path
from models.training.evaluate import Candidate, Runner, gguf_params


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=Path("build/training"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--adapter", type=Path, default=None)
    ap.add_argument("--child", type=Path, default=None)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    export = args.work / "export"
    base = bundled_model_path()
    adapter = args.adapter or export / "warden-parent.lora.gguf"
    cands = [
        Candidate("base", base, trained=False),
        Candidate("parent", base, adapter),
        Candidate("child", args.child or export / "warden-child.Q8_0.gguf"),
    ]
    runners = {}
    out: dict[str, dict[str, float]] = {}
    for cand in cands:
        if not cand.model.exists() or (cand.adapter and not cand.adapter.exists()):
            continue
        run = Runner(cand, threads=args.threads)
        runners[cand.name] = run
        size = cand.model.stat().st_size + (cand.adapter.stat().st_size if cand.adapter else 0)
        out[cand.name] = {
            "gen_tok_s": 0.0,
            "rss_mb": round(run.rss_mb, 1),
            "params_m": round(gguf_params(cand.model) / 1e6, 1),
            "file_mb": round(size / 1_048_576, 1),
        }
    names = list(runners)
    for r in range(args.rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            speed = round(runners[name].gen_speed(runs=3), 1)
            out[name]["gen_tok_s"] = max(out[name]["gen_tok_s"], speed)
    for run in runners.values():
        run.close()
    if "parent" in out and "child" in out:
        out["child_vs_parent"] = {
            "speed": round(out["child"]["gen_tok_s"] / out["parent"]["gen_tok_s"], 2),
            "params": round(out["child"]["params_m"] / out["parent"]["params_m"], 3),
            "file": round(out["child"]["file_mb"] / out["parent"]["file_mb"], 3),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
