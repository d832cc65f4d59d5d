"""The real ``warden review`` over batches of hostile files: no process death, one valid UTF-8
JSON line per file, nothing malformed judged ``safe``, no traceback.

Seeded: the seed is printed (``-s``) and ``WARDEN_FUZZ_SEED`` / ``WARDEN_FUZZ_FILES`` replay or
widen a run. ``bench/review_fuzz.py`` runs the same generator over thousands of files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.delegates.tx_review.fuzz_cases import Mutant, generate

ROOT = Path(__file__).resolve().parents[3]
SEED = int(os.environ.get("WARDEN_FUZZ_SEED", "20250601"))
# a few thousand files per run: about 15 s on a busy two-core machine (limit: two minutes)
FILES = int(os.environ.get("WARDEN_FUZZ_FILES", "3000"))
BATCH = 200


def _review(paths: list[Path]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "warden", "review", "--no-model", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )


def _check_line(path: Path, mutant: Mutant, raw: bytes) -> bool:
    """Check one output line; True when it is an error object."""
    line = json.loads(raw.decode("utf-8"))  # strict: invalid UTF-8 fails here
    if "error" in line:
        assert set(line) == {"file", "error"} and line["file"] == str(path), line
        assert isinstance(line["error"], str) and line["error"]
        return True
    assert set(line) == {"id", "verdict", "findings", "summary"}, line
    assert line["verdict"] in ("safe", "caution", "danger")
    if mutant.malformed:
        assert line["verdict"] != "safe", (mutant.name, path.name, line)
        assert any(f["severity"] in ("caution", "danger") for f in line["findings"]), line
    shown = [line["summary"]] + [f["detail"] for f in line["findings"]]
    for text in shown:
        assert text and all(ch.isprintable() for ch in text), (mutant.name, text)
    return False


def test_review_cli_survives_hostile_files(tmp_path: Path) -> None:
    print(f"fuzz seed {SEED}, {FILES} files")  # replay: WARDEN_FUZZ_SEED=<seed>
    mutants = list(generate(SEED, FILES))
    paths = []
    for i, m in enumerate(mutants):
        p = tmp_path / f"{i:05d}-{m.name}.json"
        p.write_bytes(m.data)
        paths.append(p)
    errors = malformed_safe = 0
    for start in range(0, len(paths), BATCH):
        batch = paths[start : start + BATCH]
        proc = _review(batch)
        assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")[-3000:]
        lines = proc.stdout.splitlines()
        assert len(lines) == len(batch), (proc.returncode, proc.stderr[-2000:])
        batch_errors = 0
        for path, raw in zip(batch, lines, strict=True):
            batch_errors += _check_line(path, mutants[int(path.name[:5])], raw)
        assert proc.returncode == (1 if batch_errors else 0), proc.stderr[-2000:]
        errors += batch_errors
    print(f"{len(paths)} files, {errors} error objects, {malformed_safe} malformed judged safe")
    assert errors < len(paths)  # most files are still reviewed, not refused
