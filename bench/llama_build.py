"""Benchmark: the portable llama.cpp build against another build (e.g. ``-march=native``), side by
side, through ``models.bench`` (Warden's runtime and raw ``Llama``, each in a fresh process).

The other build is a llama-cpp-python installed into a folder of its own
(``pip install --no-deps --target DIR WHEEL``); its side runs with that folder first on
``PYTHONPATH``. The builds alternate, and so does which side of each goes first. Prints the
medians per build and the ratio portable / other of generation speed.

    .venv/bin/python bench/llama_build.py --other DIR [--reps 5] [--tokens 128] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import bench  # noqa: E402
from models.bundled import BUNDLED_NAME  # noqa: E402


def _system_info(pythonpath: str | None) -> str:
    import subprocess

    env = {**os.environ}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    code = "import llama_cpp; print(llama_cpp.llama_print_system_info().decode())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return out.stdout.strip()


def _one(models_dir: Path, tokens: int, order: tuple[str, ...], pythonpath: str | None):
    saved = os.environ.get("PYTHONPATH")
    try:
        if pythonpath:
            os.environ["PYTHONPATH"] = pythonpath
        return bench.run(models_dir, BUNDLED_NAME, tokens, order)
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", type=Path, required=True, help="folder with the other build")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    other = str(args.other.resolve())
    builds: dict[str, str | None] = {"portable": None, "other": other}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in builds}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.reps):
            names = list(builds) if i % 2 == 0 else list(reversed(builds))
            for name in names:
                order = ("raw", "warden") if i % 2 == 0 else ("warden", "raw")
                runs[name].append(_one(Path(tmp), args.tokens, order, builds[name]))
                print(f"rep {i + 1} {name}: {runs[name][-1]['warden']['gen_tok_s']} tok/s")

    def med(name: str, side: str, key: str) -> float:
        return round(statistics.median(r[side][key] for r in runs[name]), 2)

    out: dict[str, Any] = {"reps": args.reps, "tokens": args.tokens}
    for name, path in builds.items():
        out[name] = {
            "system_info": _system_info(path),
            "warden_gen_tok_s": med(name, "warden", "gen_tok_s"),
            "raw_gen_tok_s": med(name, "raw", "gen_tok_s"),
            "warden_prompt_tok_s": med(name, "warden", "prompt_tok_s"),
            "warden_over_raw": round(statistics.median(r["gen_ratio"] for r in runs[name]), 3),
            "all_warden_gen_tok_s": [r["warden"]["gen_tok_s"] for r in runs[name]],
        }
    out["portable_over_other_gen"] = round(
        out["portable"]["warden_gen_tok_s"] / max(out["other"]["warden_gen_tok_s"], 1e-9), 3
    )
    print(json.dumps(out, indent=None if args.json else 1))


if __name__ == "__main__":
    main()
