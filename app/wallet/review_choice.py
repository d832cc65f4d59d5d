"""Which review a request gets: the node-backed one whenever the node answers, the store's
facts when it does not, and then the review says what it could not check. The CLI, the app
and the daemon all choose through here, so the same rules apply everywhere."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from app.errors import NetworkError, ReviewRequired
from app.review_types import Reviewer, ReviewOutcome

log = logging.getLogger(__name__)

# What a review without the node cannot know; the user is told exactly this.
LIMITED_CHECKS = (
    "whether the recipient is a contract, and how old it is",
    "the token's name, decimals and your balance of it",
    "a simulation of what the transaction would do",
)


class ChosenReviewer:
    """``review(request) -> (outcome, what could not be checked)``.

    ``node_reviewer`` builds the node-backed reviewer (None when the review package is
    missing: then nothing is reviewed, so nothing can be signed). ``reachable`` asks the node
    for something cheap; when it fails the store's facts review the request.
    """

    def __init__(
        self,
        node_reviewer: Callable[[], Reviewer] | None,
        fallback: Reviewer | None,
        reachable: Callable[[], bool],
    ) -> None:
        self._factory = node_reviewer
        self._fallback = fallback
        self._reachable = reachable
        self._reviewer: Reviewer | None = None

    def _node(self) -> Reviewer | None:
        if self._reviewer is None and self._factory is not None:
            try:
                self._reviewer = self._factory()
            except NetworkError as exc:
                log.info("node-backed review unavailable: %s", type(exc).__name__)
                return None
        return self._reviewer

    def review(self, request: dict[str, Any]) -> tuple[ReviewOutcome, tuple[str, ...]]:
        if self._factory is None and self._fallback is None:
            raise ReviewRequired(
                "The transaction review is not available, so Warden will not send.",
                hint="Install Warden completely (the delegates package) and try again.",
            )
        node = self._node() if self._factory is not None and self._reachable() else None
        if node is not None:
            return node.review(request), ()
        if self._fallback is None:
            raise ReviewRequired(
                "The node cannot be reached and no other review is available.",
                hint="Check the network's RPC address and your connection, then try again.",
            )
        return self._fallback.review(request), LIMITED_CHECKS


def node_answers(client: Callable[[], Any]) -> Callable[[], bool]:
    """A ``reachable`` check: the node tells its latest block number."""

    def check() -> bool:
        try:
            client().block_number()
        except NetworkError:
            return False
        return True

    return check
