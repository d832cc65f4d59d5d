"""The review with only what the store knows (address book, the user's own past sends, the
blocklist, trusted origins): for when the node cannot be reached. Unknown facts stay unknown,
and ``app.wallet.review_choice`` marks such a review as limited."""

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
        self.chain_id = chain_id

    def review(self, request: dict[str, Any]) -> ReviewOutcome:
        from delegates.tx_review import review_request
        from delegates.tx_review.facts import norm
        from delegates.tx_review.node_facts import NodeReviewer

        # The same stored facts as the node-backed review (only the user's own sends count).
        reader = NodeReviewer.__new__(NodeReviewer)
        reader.db, reader.chain_id = self.store, self.chain_id
        facts: dict[str, Any] = reader.store_facts(norm(request.get("from")))
        facts["native_symbol"] = self.native_symbol
        return review_request(request, facts)
