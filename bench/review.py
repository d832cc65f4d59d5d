"""Review timings: in-process time per case, and the cold ``warden review --no-model`` CLI.

    .venv/bin/python bench/review.py [--rounds N]

Prints the median and p99 per case in-process (after one warm-up pass), the cold CLI time
over all example cases and over 100 files (the cases replicated into a temporary folder),
and a bare ``python -c pass`` start beside them as the baseline.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "review-cases"
OWN = ROOT / "tests" / "delegates" / "tx_review" / "cases"


def _cases() -> list[tuple[Path, dict]]:
    files = sorted(SHARED.glob("*.json")) + sorted(OWN.glob("*.json"))
    return [(p, json.loads(p.read_text(encoding="utf-8"))) for p in files]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def in_process(rounds: int) -> None:
    sys.path.insert(0, str(ROOT))
    from delegates.tx_review import review_case

    cases = _cases()
    for _, c in cases:  # warm-up: imports and the selector table load once
        review_case(c)
    times: list[float] = []
    cpu0 = time.process_time()
    for _ in range(rounds):
        for _, c in cases:
            t0 = time.perf_counter()
            review_case(c)
            times.append((time.perf_counter() - t0) * 1000)
    cpu_ms = (time.process_time() - cpu0) * 1000 / (rounds * len(cases))
    print(f"in-process: {len(cases)} cases x {rounds} rounds (load average {_load()})")
    print(
        f"  median {statistics.median(times):.3f} ms/case   p99 {_percentile(times, 0.99):.3f} ms"
        f"   max {max(times):.3f} ms"
    )
    print(f"  mean CPU time {cpu_ms:.3f} ms/case (wall p99 above it is time spent descheduled)")


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "n/a"


def _cold(args: list[str], repeat: int = 3) -> float:
    best = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
        best.append(time.perf_counter() - t0)
    return statistics.median(best)


def cold_cli() -> None:
    py = sys.executable
    shared = sorted(str(p) for p in SHARED.glob("*.json"))
    base = _cold([py, "-c", "pass"])
    all_cases = _cold([py, "-m", "warden", "review", "--no-model", *shared])
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(100):
            src = Path(shared[i % len(shared)])
            dst = Path(tmp) / f"{i:03d}-{src.name}"
            shutil.copyfile(src, dst)
            files.append(str(dst))
        hundred = _cold([py, "-m", "warden", "review", "--no-model", *files])
    print("cold CLI (median of 3 runs):")
    print(f"  python -c pass (baseline)          {base:.3f} s")
    print(
        f"  warden review --no-model, {len(shared)} files  {all_cases:.3f} s"
        f"  ({all_cases / base:.1f}x baseline)"
    )
    print(
        f"  warden review --no-model, 100 files {hundred:.3f} s  ({hundred / base:.1f}x baseline)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    in_process(args.rounds)
    cold_cli()


if __name__ == "__main__":
    main()
