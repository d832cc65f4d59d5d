"""The teacher: the rule engine of the transaction review labels every generated request.

Its reasoning (what the call does, each finding with its why, the verdict) becomes the
training answer. Imported lazily: the review delegate is a peer package, not a dependency of
the runtime.
"""

from __future__ import annotations

from typing import Any


def label(request: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    """Verdict, findings and the one-line action the rules see in this request."""
    from delegates.tx_review import review_request
    from delegates.tx_review.decode import decode_request
    from delegates.tx_review.facts import Facts
    from delegates.tx_review.summary import describe

    outcome = review_request(request, facts)
    try:
        f = Facts.from_dict(facts)
        action = describe(decode_request(request, f), request, f)
    except Exception:  # the action line is context; the findings are the label
        action = "This request could not be decoded."
    return {
        "verdict": outcome.verdict,
        "findings": [x.to_json() for x in outcome.findings],
        "action": action,
        "summary": outcome.summary,
    }


def codes_of(labels: dict[str, Any]) -> list[str]:
    """Distinct finding codes, in the order the rules raised them."""
    return list(dict.fromkeys(f["code"] for f in labels["findings"]))
