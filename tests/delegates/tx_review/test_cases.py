"""Every example case (shared, and our own variants) gets its expected verdict and findings."""

from __future__ import annotations

import pytest

from app.review_types import VERDICT_RANK
from delegates.tx_review import review_case
from tests.delegates.tx_review.conftest import OWN_CASES, SHARED_CASES, load_cases

CASES = load_cases(SHARED_CASES) + load_cases(OWN_CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_reproduces_expected_outcome(case: dict) -> None:
    outcome = review_case(case)
    expected = case["expected"]
    assert outcome.verdict == expected["verdict"], outcome.to_json()
    missing = set(expected["findings"]) - set(outcome.codes)
    assert not missing, outcome.to_json()
    assert outcome.id == case["id"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_verdict_at_least_most_severe_finding(case: dict) -> None:
    outcome = review_case(case)
    worst = max((VERDICT_RANK[f.severity] for f in outcome.findings), default=0)
    assert VERDICT_RANK[outcome.verdict] >= worst
    assert outcome.summary
    for f in outcome.findings:
        assert f.detail and f.severity in ("info", "caution", "danger")


def test_both_case_sets_are_present() -> None:
    assert len(load_cases(SHARED_CASES)) >= 26
    assert len(load_cases(OWN_CASES)) >= 15


def test_expected_is_ignored() -> None:
    """The review reads request and facts only: a lying ``expected`` changes nothing."""
    case = next(c for c in CASES if c["expected"]["verdict"] == "danger")
    forged = dict(case, expected={"verdict": "safe", "findings": []})
    assert review_case(forged).to_json() == review_case(case).to_json()


def test_details_use_human_units() -> None:
    case = next(c for c in load_cases(SHARED_CASES) if c["id"].startswith("approve-exact-young"))
    detail = review_case(case).findings[0].detail
    assert "500 USDC" in detail and "0x1cBf8aa6a1eFe021ce3e40C5E5d77e3aa4CF1165" in detail
