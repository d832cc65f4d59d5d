"""Fuzz ``warden review --no-model`` with thousands of hostile case files and print figures.

    .venv/bin/python bench/review_fuzz.py [--files 6000] [--batch 200] [--seed N]

Prints: files, batches, process deaths (a batch that did not print one line per file, or
printed a traceback), malformed files judged safe, error objects, wall time per file through
the CLI, and the slowest file in-process (reading, checks, review and JSON output).
Not a test: tests/delegates/tx_review/test_cli_fuzz.py asserts the same on fewer files.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.delegates.tx_review.fuzz_cases import generate  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=6000)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20250601)
    args = ap.parse_args()
    print(f"seed {args.seed}")
    mutants = list(generate(args.seed, args.files, big_messages=3))
    deaths = malformed_safe = errors = 0
    verdicts: collections.Counter[str] = collections.Counter()
    by_kind: collections.Counter[str] = collections.Counter()
    slowest = (0.0, "")
    over = 0
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, m in enumerate(mutants):
            p = Path(tmp) / f"{i:05d}-{m.name}.json"
            p.write_bytes(m.data)
            paths.append(p)
        started = time.perf_counter()
        batches = 0
        for start in range(0, len(paths), args.batch):
            batch = paths[start : start + args.batch]
            batches += 1
            proc = subprocess.run(
                [sys.executable, "-m", "warden", "review", "--no-model", *map(str, batch)],
                cwd=ROOT,
                capture_output=True,
            )
            lines = proc.stdout.splitlines()
            if len(lines) != len(batch) or b"Traceback" in proc.stderr or proc.returncode > 1:
                deaths += 1
            for path, raw in zip(batch, lines, strict=False):
                try:
                    line = json.loads(raw.decode("utf-8"))
                except ValueError:
                    deaths += 1
                    continue
                m = mutants[int(path.name[:5])]
                by_kind[m.name] += 1
                if "error" in line:
                    errors += 1
                    verdicts["error"] += 1
                    continue
                verdicts[line["verdict"]] += 1
                if m.malformed and line["verdict"] == "safe":
                    malformed_safe += 1
                    print("malformed judged safe:", path.name)
        wall = time.perf_counter() - started
        # in-process: the slowest single file, read, checked, reviewed and written as JSON
        # (imports and first calls warmed up on the public cases first)
        from delegates.tx_review import review_case
        from tests.delegates.tx_review.fuzz_cases import base_cases
        from warden.commands.review import _load

        for case in base_cases():
            json.dumps(review_case(case).to_json())

        for p in paths:
            t = time.perf_counter()
            try:
                json.dumps(review_case(_load(str(p))).to_json(), ensure_ascii=False)
            except Exception:  # noqa: BLE001 - a refused file costs its reading and checks
                pass
            took = time.perf_counter() - t
            over += took > 0.05
            if took > slowest[0]:
                slowest = (took, p.name)
    print(
        f"files {len(paths)}, batches {batches}, deaths {deaths}, "
        f"malformed judged safe {malformed_safe}, error objects {errors}"
    )
    print("verdicts", dict(verdicts))
    print("mutations", dict(by_kind))
    print(
        f"CLI wall {wall:.1f} s, {1000 * wall / len(paths):.2f} ms per file "
        f"(batches of {args.batch}, process start included)"
    )
    print(
        f"slowest file in-process {1000 * slowest[0]:.1f} ms ({slowest[1]}); "
        f"{over} over 50 ms (load, review and JSON output, timed once on a warm process)"
    )
    return 1 if deaths or malformed_safe else 0


if __name__ == "__main__":
    raise SystemExit(main())
