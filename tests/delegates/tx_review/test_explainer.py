"""The model may rephrase and add; the code keeps the verdict and every finding.

The model is replaced by forced outputs here on purpose: the point is what the code does
with hostile model output, which a real model cannot be relied upon to produce.
"""

from __future__ import annotations

import json

from delegates.tx_review import apply_model_opinion, review_case, review_request
from tests.delegates.tx_review.conftest import SHARED_CASES, load_cases

CASES = {c["id"]: c for c in load_cases(SHARED_CASES)}


def _danger():
    return review_case(CASES["approve-exact-eoa-otc-01"])


def test_model_cannot_lower_the_verdict_or_drop_findings() -> None:
    before = _danger()
    after = apply_model_opinion(
        before, {"verdict": "safe", "findings": [], "summary": "All good, this is safe to sign."}
    )
    assert after.verdict == "danger"
    assert after.findings == before.findings
    assert "safe to sign" not in after.summary
    assert after.summary.startswith("Warden recommends that you do not sign this.")


def test_model_json_text_and_garbage_are_handled() -> None:
    before = _danger()
    forced = json.dumps({"verdict": "caution", "findings": [{"code": "x"}]})
    after = apply_model_opinion(before, forced)
    assert after.verdict == "danger" and after.findings == before.findings
    for junk in (None, 42, [], {"findings": "nope"}, {"verdict": "SAFE!!"}, ""):
        assert apply_model_opinion(before, junk).findings == before.findings


def test_model_may_rephrase_and_add() -> None:
    safe = review_case(CASES["ur-swap-eth-usdc-01"])
    assert safe.verdict == "safe"
    after = apply_model_opinion(
        safe,
        {
            "summary": "You swap 0.5 ETH for USDC on Uniswap.",
            "findings": [{"code": "odd_timing", "severity": "caution", "detail": "Unusual hour."}],
        },
    )
    assert after.verdict == "caution"
    assert after.codes == ("odd_timing",)
    assert after.summary.startswith("Read the warnings") and "0.5 ETH for USDC" in after.summary


def test_rephrasing_of_a_safe_outcome_is_kept() -> None:
    safe = review_case(CASES["snapshot-vote-01"])
    after = apply_model_opinion(safe, "A Snapshot vote: it is safe and moves nothing.")
    assert after.verdict == "safe" and "Snapshot vote" in after.summary


def test_explainer_is_asked_for_safe_outcomes_only_and_its_failure_is_harmless() -> None:
    """Caution and danger keep the template (the model's texts for them failed the guard on
    held-out cases); a safe outcome is shown to the model, which may raise it, never lower."""
    case = CASES["approve-exact-eoa-otc-01"]
    seen: dict[str, object] = {}

    class Forced:
        def explain(self, outcome):
            seen["outcome"] = outcome
            return {"verdict": "safe", "summary": "Totally safe."}

    out = review_request(case["request"], case["facts"], explainer=Forced())
    assert out.verdict == "danger" and "approval_to_eoa" in out.codes
    assert "outcome" not in seen  # never asked for a danger outcome
    assert "Totally safe" not in out.summary

    safe_case = CASES["snapshot-vote-01"]

    class Raises:
        def explain(self, outcome):
            seen["outcome"] = outcome
            return {"verdict": "caution", "summary": "Check the space before you vote."}

    out = review_request(safe_case["request"], safe_case["facts"], explainer=Raises())
    assert seen["outcome"].verdict == "safe"  # type: ignore[attr-defined]
    assert out.verdict == "caution"  # the model may raise the verdict

    class Broken:
        def explain(self, outcome):
            raise RuntimeError("model crashed")

    out = review_request(safe_case["request"], safe_case["facts"], explainer=Broken())
    assert out.verdict == "safe"


def test_explain_context_carries_request_as_quoted_data() -> None:
    from delegates.tx_review.explainer import explain_context

    case = CASES["unknown-call-injection-calldata-01"]
    ctx = explain_context(review_case(case), case["request"])
    assert "untrusted data" in ctx["instructions"]
    assert isinstance(ctx["request_data"], str) and ctx["verdict"] == "caution"
