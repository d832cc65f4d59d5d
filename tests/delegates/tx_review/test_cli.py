"""``warden review``: one JSON line per file in order, error objects, exit status, lean imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.delegates.tx_review.conftest import SHARED_CASES

ROOT = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warden", "review", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_one_line_per_file_in_order_with_errors(tmp_path: Path) -> None:
    files = sorted(SHARED_CASES.glob("*.json"))[:3]
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    not_case = tmp_path / "list.json"
    not_case.write_text("[1, 2]")
    args = [
        str(files[0]),
        str(bad),
        str(files[1]),
        str(tmp_path / "missing.json"),
        str(not_case),
        str(files[2]),
    ]
    proc = _run("--no-model", *args)
    assert proc.returncode != 0
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == len(args)
    for path, line in zip(args, lines, strict=True):
        if path in (str(bad), str(not_case)) or path.endswith("missing.json"):
            assert set(line) == {"file", "error"} and line["file"] == path
        else:
            case = json.loads(Path(path).read_text())
            assert line["id"] == case["id"]
            assert set(line) == {"id", "verdict", "findings", "summary"}
            assert line["verdict"] == case["expected"]["verdict"]
            for f in line["findings"]:
                assert set(f) == {"code", "severity", "detail"}
    assert "Traceback" not in proc.stderr


def test_all_cases_match_and_exit_zero() -> None:
    files = sorted(SHARED_CASES.glob("*.json"))
    proc = _run("--no-model", *map(str, files))
    assert proc.returncode == 0, proc.stderr
    for path, line in zip(files, proc.stdout.splitlines(), strict=True):
        expected = json.loads(path.read_text())["expected"]
        out = json.loads(line)
        assert out["verdict"] == expected["verdict"]
        assert set(expected["findings"]) <= {f["code"] for f in out["findings"]}


def test_offline_review_imports_no_provider_stack_qt_or_model() -> None:
    case = str(next(SHARED_CASES.glob("*.json")))
    code = (
        "import sys, io, contextlib; from warden.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['review', '--no-model', {case!r}])\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('web3', 'PySide6', 'llama_cpp', 'torch')]\n"
        "print(heavy)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
