"""The request pipeline with the real review plugged in, for the CLI and the daemon."""

from __future__ import annotations

from typing import Any

from app.wallet.ports import SessionSource
from app.wallet.requests import RequestPipeline
from app.wallet.review_choice import ChosenReviewer


def review_source(
    store: SessionSource, client: Any, native_symbol: str = "ETH", chain_id: int | None = None
) -> ChosenReviewer:
    try:
        from delegates.tx_review.review_source import review_source as real
    except ImportError:  # the review package is missing: nothing is reviewed, nothing signed
        return ChosenReviewer(None, None, lambda: False)
    return real(store, client, native_symbol, chain_id)


def make_pipeline(
    store: SessionSource,
    client: Any,
    *,
    native_symbol: str = "ETH",
    chain_id: int | None = None,
    source: str = "cli",
) -> RequestPipeline:
    chosen = review_source(store, client, native_symbol, chain_id)
    return RequestPipeline(store, client, chosen, source=source)
