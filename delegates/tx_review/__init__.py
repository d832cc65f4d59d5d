"""Transaction review: decode, check and explain every request before it is signed.

Public API (imports stay light: eth_abi loads on the first review, web3 only in
``make_reviewer``):

- ``review_case(case) -> ReviewOutcome``: a case file's request and facts, offline.
- ``review_request(request, facts, *, explainer=None) -> ReviewOutcome``.
- ``make_reviewer(w3, db, ...) -> Reviewer``: gathers facts from the node and the store.
- ``apply_model_opinion(outcome, model_output) -> ReviewOutcome``: the model may rephrase
  and add, never lower the verdict or drop a finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.review_types import ReviewOutcome
    from delegates.tx_review.facts import Facts


def review_case(case: dict[str, Any], *, explainer: Any = None) -> ReviewOutcome:
    from delegates.tx_review.review import review_case as _review_case

    return _review_case(case, explainer=explainer)


def review_request(
    request: dict[str, Any], facts: Facts | dict[str, Any] | None = None, *, explainer: Any = None
) -> ReviewOutcome:
    from delegates.tx_review.review import review_request as _review_request

    return _review_request(request, facts, explainer=explainer)


def make_reviewer(*args: Any, **kwargs: Any) -> Any:
    from delegates.tx_review.node_facts import make_reviewer as _make_reviewer

    return _make_reviewer(*args, **kwargs)


def apply_model_opinion(outcome: ReviewOutcome, model_output: Any) -> ReviewOutcome:
    from delegates.tx_review.explainer import apply_model_opinion as _apply

    return _apply(outcome, model_output)


__all__ = ["apply_model_opinion", "make_reviewer", "review_case", "review_request"]
