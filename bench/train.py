"""Generation speed and memory of base, parent (base + adapter) and child, in one run.

The evaluation's figures come from separate processes on a shared CPU; this measures the
models one after the other in the same process, same prompt, threads and token count.
Usage: python bench/train.py [--work build/training] [--threads 2] [--adapter PATH]
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
    args = ap.parse_args()
    export = args.work / "export"
    base = bundled_model_path()
    adapter = args.adapter or export / "warden-parent.lora.gguf"
    cands = [
        Candidate("base", base, trained=False),
        Candidate("parent", base, adapter),
        Candidate("child", export / "warden-child.Q8_0.gguf"),
    ]
    out = {}
    for cand in cands:
        if not cand.model.exists() or (cand.adapter and not cand.adapter.exists()):
            continue
        run = Runner(cand, threads=args.threads)
        out[cand.name] = {
            "gen_tok_s": round(run.gen_speed(runs=5), 1),
            "rss_mb": round(run.rss_mb, 1),
            "params_m": round(gguf_params(cand.model) / 1e6, 1),
        }
        run.close()
    if "parent" in out and "child" in out:
        out["child_vs_parent"] = {
            "speed": round(out["child"]["gen_tok_s"] / out["parent"]["gen_tok_s"], 2),
            "params": round(out["child"]["params_m"] / out["parent"]["params_m"], 3),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
