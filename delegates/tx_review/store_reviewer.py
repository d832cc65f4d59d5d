"""The review with only what the store knows, for when the node cannot be reached: the same
stored facts as the node-backed review (``app.wallet.stored_facts``: only what the user's own
key sent counts as a past counterparty). Unknown facts stay unknown, and
``app.wallet.review_choice`` marks such a review as limited."""

from __future__ import annotations

from typing import Any

from app.review_types import ReviewOutcome
from app.wallet.ports import SessionSource


class StoreReviewer:
    def __init__(
        self, store: SessionSource, native_symbol: str = "ETH", chain_id: int | None = None
    ) -> None:
        self.store = store
        self.native_symbol = native_symbol
        self.chain_id = chain_id  # None: the chain the request names

    def facts(self, request: dict[str, Any]) -> dict[str, Any]:
        from app.wallet.stored_facts import stored_facts
        from delegates.tx_review.facts import norm, to_int

        asked = request if isinstance(request, dict) else {}
        named = asked.get("chain_id")
        chain = self.chain_id
        if chain is None and not isinstance(named, bool):
            chain = to_int(named)
        found = stored_facts(self.store, user=norm(asked.get("from")), chain_id=chain)
        return {**found.as_dict(), "native_symbol": self.native_symbol}

    def review(self, request: dict[str, Any]) -> ReviewOutcome:
        from delegates.tx_review import review_request

        return review_request(request, self.facts(request))
