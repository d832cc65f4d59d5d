"""The review pipeline: decode, apply the rules, take the verdict, write the summary."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.review_types import VERDICT_RANK, Finding, ReviewOutcome, Verdict, request_digest
from delegates.tx_review.decode import decode_request
from delegates.tx_review.decode.model import Decoded
from delegates.tx_review.facts import Facts
from delegates.tx_review.fmt import plain
from delegates.tx_review.rules import evaluate
from delegates.tx_review.signed_text import what_is_signed
from delegates.tx_review.summary import summarize

_VERDICTS: tuple[Verdict, ...] = ("safe", "caution", "danger")
MAX_DETAIL = 600
MAX_SUMMARY = 2000
MAX_ID = 200
_HEADLINE_FALLBACK = "Read the warnings below before you sign."


def verdict_of(findings: list[Finding] | tuple[Finding, ...]) -> Verdict:
    """At least as severe as the most severe finding; info findings leave it safe."""
    rank = max((VERDICT_RANK.get(f.severity, 1) for f in findings), default=0)
    return _VERDICTS[rank]


def _safe_digest(request: Any) -> str:
    try:
        return request_digest(request if isinstance(request, dict) else {"params": request})
    except Exception:  # an unhashable request still gets an outcome
        return ""


def review_request(
    request: dict[str, Any],
    facts: Facts | dict[str, Any] | None = None,
    *,
    explainer: Any = None,
    simulation: dict[str, Any] | None = None,
    case_id: str | None = None,
) -> ReviewOutcome:
    """Review one request against the facts. Never raises for any input."""
    digest = _safe_digest(request)
    try:
        f = Facts.from_dict(facts) if not isinstance(facts, Facts) else facts
        if not isinstance(request, dict):
            raise TypeError("request is not an object")
        dec = decode_request(request, f)
        findings = evaluate(request, f, dec)
        if simulation:
            from delegates.tx_review.simulate import simulation_findings

            findings.extend(simulation_findings(simulation, request, f, dec))
        verdict = verdict_of(findings)
        summary = summarize(verdict, findings, dec, request, f)
        decoded = dec.as_dict()
        decoded["signed"] = what_is_signed(request, f, dec)
        if simulation:
            from delegates.tx_review.simulate import describe_changes, shown_changes

            said = describe_changes(simulation, f)
            summary = f"{summary} {said}"
            simulation = {**simulation, "said": said, **shown_changes(simulation, f)}
        outcome = ReviewOutcome(
            verdict=verdict,
            findings=tuple(findings),
            summary=summary,
            request_digest=digest,
            id=case_id,
            decoded=decoded,
            simulation=simulation,
        )
    except Exception as exc:  # fail closed: a bug or hostile input is never "safe"
        outcome = _failed(digest, case_id, exc)
    # The model explains safe outcomes only. Measured on held-out cases (issue 13), its
    # caution and danger explanations were rejected by the guard (9 of 10) or repeated the
    # template word for word, for 4 s per review: the template says those, at once.
    if explainer is not None and outcome.verdict == "safe":
        from delegates.tx_review.explainer import explain_with

        outcome = explain_with(explainer, outcome, request)
    return _shown_clean(outcome)


def _shown_clean(outcome: ReviewOutcome) -> ReviewOutcome:
    """What the user reads carries request text only as inert data: no control or bidi
    characters, no line breaks, bounded length (whatever a decoder or the model wrote)."""
    findings = tuple(
        Finding(f.code, f.severity, plain(f.detail, MAX_DETAIL) or f.code) for f in outcome.findings
    )
    summary = plain(outcome.summary, MAX_SUMMARY) or _HEADLINE_FALLBACK
    return replace(outcome, findings=findings, summary=summary, id=_clean_id(outcome.id))


def _clean_id(case_id: str | None) -> str | None:
    if case_id is None:
        return None
    return case_id.encode("utf-8", "replace").decode("utf-8")[:MAX_ID]


def _failed(digest: str, case_id: str | None, exc: Exception) -> ReviewOutcome:
    finding = Finding(
        "undecodable_request",
        "caution",
        f"Warden could not review this request ({type(exc).__name__}); treat it as unknown.",
    )
    return ReviewOutcome(
        verdict="caution",
        findings=(finding,),
        summary="Read the warnings below before you sign. Warden could not read this request, "
        "so it cannot say what signing it would do.",
        request_digest=digest,
        id=case_id,
        decoded=Decoded().as_dict(),
    )


def review_case(case: dict[str, Any], *, explainer: Any = None) -> ReviewOutcome:
    """Review a case file's request with its facts (offline); ``expected`` is ignored."""
    case_id = case.get("id") if isinstance(case, dict) else None
    request = case.get("request") if isinstance(case, dict) else None
    facts = case.get("facts") if isinstance(case, dict) else None
    return review_request(
        request if isinstance(request, dict) else {},
        facts if isinstance(facts, dict) else {},
        explainer=explainer,
        case_id=case_id if isinstance(case_id, str) else None,
    )
