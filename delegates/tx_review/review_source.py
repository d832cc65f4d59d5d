"""The review every request gets, for the CLI, the daemon and the app alike: the node-backed
review whenever the node answers, the store's facts when it does not (and then the review says
what it could not check; see ``app.wallet.review_choice``)."""

from __future__ import annotations

from typing import Any

from app.wallet.chain import ChainClient
from app.wallet.ports import SessionSource
from app.wallet.review_choice import ChosenReviewer, node_answers
from delegates.tx_review.node_facts import make_reviewer
from delegates.tx_review.store_reviewer import StoreReviewer


def review_source(
    store: SessionSource,
    client: ChainClient | Any,
    native_symbol: str = "ETH",
    chain_id: int | None = None,
    **node_options: Any,
) -> ChosenReviewer:
    """``client`` is a ChainClient or a function that connects one (on first use)."""

    def connected() -> ChainClient:
        return client if isinstance(client, ChainClient) else client()

    def node_reviewer() -> Any:
        c = connected()
        return make_reviewer(
            c, store, chain_id=c.chain_id, native_symbol=native_symbol, **node_options
        )

    return ChosenReviewer(
        node_reviewer, StoreReviewer(store, native_symbol, chain_id), node_answers(connected)
    )
