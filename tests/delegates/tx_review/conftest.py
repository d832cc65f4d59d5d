from __future__ import annotations

import json
from pathlib import Path

import pytest

SHARED_CASES = Path(__file__).resolve().parents[3] / ".." / "shared" / "review-cases"
OWN_CASES = Path(__file__).resolve().parent / "cases"


def load_cases(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


@pytest.fixture(scope="session")
def shared_cases() -> list[dict]:
    cases = load_cases(SHARED_CASES)
    assert cases, f"no review cases in {SHARED_CASES}"
    return cases
