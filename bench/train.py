"""Generation speed, memory and file size of base, parent (base + adapter) and child, in one run.

The evaluation's figures come from separate processes on a shared CPU; this measures the
models in the same process (``models.training.speed``; ``bench/intents.py --speed-rounds``
does the same after its accuracy run).
Usage: python bench/train.py [--work build/training] [--threads 2] [--adapter PATH]
    [--child PATH] [--rounds 3]
For the intent-action models: python bench/train.py --work build/intent-training
    --adapter build/intent-training/export/warden-intent-action.lora.gguf
    --child build/intent-training/export/warden-intent-child.gguf --threads 1
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from models.bundled import bundled_model_path
from models.training.evaluate import Candidate
from models.training.speed import size_and_speed


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
    out = size_and_speed(cands, threads=args.threads, rounds=args.rounds)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
