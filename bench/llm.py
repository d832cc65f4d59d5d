"""Benchmark: the bundled model through Warden's runtime and through raw ``llama_cpp.Llama``.

Both sides run in the same invocation, alternating which goes first, each in a fresh process,
with the same prompt, settings and token count (see ``models.bench``). Prints the medians and
the ratio of generation speeds, against the targets: Warden >= 95 % of raw generation speed,
resident memory with the model loaded < 400 MB.

    .venv/bin/python bench/llm.py [--reps 5] [--tokens 128] [--model NAME] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import bench  # noqa: E402
from models.bundled import BUNDLED_NAME  # noqa: E402

KEYS = ("load_s", "prompt_tok_s", "gen_tok_s", "rss_mb")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--model", default=BUNDLED_NAME)
    parser.add_argument("--models-dir", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        models_dir = args.models_dir or Path(tmp)
        runs = []
        for i in range(args.reps):
            order = ("raw", "warden") if i % 2 == 0 else ("warden", "raw")
            runs.append(bench.run(models_dir, args.model, args.tokens, order))
            print(f"rep {i + 1}: gen_ratio {runs[-1]['gen_ratio']}", file=sys.stderr)

    medians = {
        side: {k: round(statistics.median(r[side][k] for r in runs), 3) for k in KEYS}
        for side in ("warden", "raw")
    }
    ratio = round(statistics.median(r["gen_ratio"] for r in runs), 3)
    out = {
        "model": runs[0]["model"],
        "reps": args.reps,
        "tokens": args.tokens,
        "settings": runs[0]["settings"],
        "warden": medians["warden"],
        "raw": medians["raw"],
        "gen_ratio": ratio,
        "targets": {
            "gen_ratio>=0.95": ratio >= 0.95,
            "rss_mb<400": medians["warden"]["rss_mb"] < 400,
        },
    }
    if args.json:
        print(json.dumps(out))
        return
    print(f"model {out['model']}, {args.reps} reps x {args.tokens} tokens, {out['settings']}")
    print(f"{'':8}{'load s':>9}{'prompt tok/s':>14}{'gen tok/s':>11}{'RSS MB':>9}")
    for side in ("warden", "raw"):
        m = medians[side]
        print(
            f"{side:8}{m['load_s']:9.3f}{m['prompt_tok_s']:14.1f}{m['gen_tok_s']:11.1f}"
            f"{m['rss_mb']:9.1f}"
        )
    print(f"median generation ratio warden/raw: {ratio}  targets: {out['targets']}")


if __name__ == "__main__":
    main()
