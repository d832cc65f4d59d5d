"""The port through which the provider asks the user: the app implements it with dialogs
(``ui/dapp_approval.py``), the headless provider with a terminal prompt or a policy.

The provider never decides for the user: a request is signed only after ``review`` answers
yes for exactly the review it was shown, and danger needs the typed confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from app.review_types import ReviewOutcome


@dataclass(frozen=True)
class Decision:
    """The user's answer to a review: ``approved`` and, for danger, the typed words."""

    approved: bool
    confirmation: str | None = None


@dataclass(frozen=True)
class SigningPrompt:
    """What the user is asked to approve: a transaction or a message from ``origin``."""

    origin: str
    kind: str  # "transaction" | "message"
    request: dict[str, Any]  # the EIP-1193 request as reviewed
    review: ReviewOutcome
    limited: tuple[str, ...] = ()
    lookalike: str | None = None  # a trusted origin this one imitates, if any


class ApprovalPort(Protocol):
    def connect(self, origin: str, accounts: list[str], lookalike: str | None) -> list[str]:
        """The accounts the user connects ``origin`` to; empty for no."""
        ...

    def review(self, prompt: SigningPrompt) -> Decision:
        """The user's answer to a reviewed signing request."""
        ...

    def switch_chain(self, origin: str, chain_id: int, name: str) -> bool:
        """Whether the user lets ``origin`` switch to ``name`` (``chain_id``)."""
        ...

    def add_chain(self, origin: str, chain_id: int, name: str, rpc_url: str, symbol: str) -> bool:
        """Whether the user lets ``origin`` add the network ``name`` (``chain_id``, its node at
        ``rpc_url``) and switch to it."""
        ...
