"""The wallet's services for the windows, over ``app.wallet`` and the transaction review.

One network (the chain the window is connected to) at a time; the composition root picks it.
Every function here blocks (node, disk): the screens call them through ``ui.ops.Op``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.errors import InvalidInput, WardenError
from app.events import EventBus
from app.review_types import ReviewOutcome
from app.wallet import accounts, balances, tokens
from app.wallet.amounts import format_amount
from app.wallet.chain import ChainClient
from app.wallet.networks import NetworkInfo
from app.wallet.ports import SessionSource
from app.wallet.requests import Lane, Prepared, RequestPipeline, ReviewSource
from app.wallet.tokens import TokenInfo
from app.wallet.transactions import BuiltTransaction, build_transfer
from ui.backend import Backend, BalanceRow, SendDraft

NATIVE_GAS = 21_000


@dataclass(frozen=True)
class PreparedSend:
    """A stored, reviewed request (``app.wallet.requests``): what the review dialog shows
    and confirming needs. ``limited`` lists what the review could not check."""

    built: BuiltTransaction
    review: ReviewOutcome
    fee_text: str
    request_id: int = 0
    limited: tuple[str, ...] = ()


class WalletServices:
    """The wallet for the windows. Every request that can reach a key goes through
    ``self.requests``, the same lifecycle as the CLI's and the daemon's."""

    def __init__(
        self,
        store: SessionSource,
        client: ChainClient | Callable[[], ChainClient],
        network: NetworkInfo,
        reviewer: ReviewSource,
        bus: EventBus | None = None,
        wait_s: float = 30.0,
    ) -> None:
        self.store = store
        self._client = client
        self.network = network
        self.reviewer = reviewer
        self.bus = bus
        self.wait_s = wait_s
        self.requests = RequestPipeline(store, lambda: self.client, reviewer, source="app", bus=bus)

    @property
    def client(self) -> ChainClient:
        """Connected on first use, so unlocking never waits on the node."""
        if not isinstance(self._client, ChainClient):
            self._client = self._client()
        return self._client

    def _tokens(self) -> list[TokenInfo]:
        with self.store.session() as s:
            return tokens.list_tokens(s, self.network.chain_id)

    def balances(self, address: str) -> list[BalanceRow]:
        found = balances.balances(
            self.client, address, self._tokens(), native_symbol=self.network.native_symbol
        )
        return [
            BalanceRow(
                b.symbol,
                Decimal(b.amount).scaleb(-b.decimals) if b.amount is not None else Decimal(0),
                b.token.address if b.token else None,
                b.decimals,
            )
            for b in found
            if b.amount is not None
        ]

    def _token(self, symbol: str) -> TokenInfo | None:
        if symbol == self.network.native_symbol:
            return None
        for t in self._tokens():
            if t.symbol == symbol:
                return t
        raise InvalidInput(f"{symbol} is not a token of {self.network.name}.")

    def prepare_send(self, draft: SendDraft) -> PreparedSend:
        token = self._token(draft.asset)
        built = build_transfer(
            self.client,
            draft.account,
            draft.recipient,
            format(draft.amount, "f"),
            token=token,
            native_symbol=self.network.native_symbol,
        )
        built = _with_fee_speed(built, draft.fee)
        return self._prepared(self.requests.prepare(built))

    def _prepared(self, p: Prepared) -> PreparedSend:
        if self.bus is not None:
            from app.events import review_did_finish

            outcome = p.review
            self.bus.publish(review_did_finish(outcome.verdict, outcome.codes, outcome.summary))
        fee = format_amount(p.fee_wei, 18, places=6)
        return PreparedSend(
            p.built, p.review, f"{fee} {self.network.native_symbol}", p.request_id, p.limited
        )

    def review_built(self, built: BuiltTransaction) -> PreparedSend:
        return self._prepared(self.requests.prepare(built))

    def prepare_replacement(self, tx_hash: str, cancel: bool) -> PreparedSend:
        """Speed up (or cancel) the pending send ``tx_hash``: the same nonce with bumped fees,
        reviewed like a send; confirming it goes through ``sign_and_send``/``send_steps``."""
        from app.wallet import replace

        original = replace.find_original(self.store, self.client, tx_hash)
        kind = replace.CANCEL if cancel else replace.SPEEDUP
        built = replace.replacement(self.client, original, kind)
        return self._prepared(self.requests.prepare(built, kind=kind))

    def prepare_proposal(self, proposal_id: int) -> PreparedSend:
        """Build and review the transaction a delegate proposed, exactly like a send; a
        proposal approved again (another window, after a crash) is never signed twice."""
        return self._prepared(self.requests.prepare_proposal(proposal_id))

    def sign_and_send(self, prepared: PreparedSend, confirmation: str | None) -> str:
        """The user's yes, then sign, broadcast, record and wait (briefly) for the receipt."""
        p = Prepared(prepared.request_id, prepared.built, prepared.review, prepared.limited)
        self.requests.confirm(p, confirmation)
        sent = self.requests.send_confirmed(prepared.request_id, wait_s=self.wait_s)
        if self.bus is not None and sent.status != "pending":
            from app.events import transaction_did_confirm

            self.bus.publish(
                transaction_did_confirm(self.network.chain_id, sent.tx_hash, sent.status)
            )
        return sent.tx_hash

    def send_steps(
        self, prepared: PreparedSend, confirmation: str | None
    ) -> list[tuple[Lane, Callable[[Any], Any]]]:
        """``sign_and_send`` as steps, each with its lane: store writes on the store worker,
        node calls on the network pool. The last step's result is the transaction hash."""
        p = Prepared(prepared.request_id, prepared.built, prepared.review, prepared.limited)
        rid, req = prepared.request_id, self.requests
        return [
            ("store", lambda _: req.confirm(p, confirmation)),
            ("network", lambda _: req.pending_nonce(rid)),
            ("store", lambda pending: req.sign(rid, pending)),
            ("network", lambda _: req.broadcast(rid)),
            ("store", lambda _: req.mark_sent(rid)),
            ("network", lambda _: req.track(rid, self.wait_s).tx_hash),
        ]

    def cancel(self, prepared: PreparedSend) -> None:
        """The user closed the review without signing."""
        self.requests.reject(prepared.request_id)

    def reject_proposal(self, proposal_id: int) -> None:
        self.requests.reject_proposal(proposal_id)

    def max_amount(self, address: str, asset: str) -> Decimal:
        token = self._token(asset)
        if token is not None:
            from app.wallet import erc20

            held = erc20.balance_of(self.client, token.address, address)
            return Decimal(held).scaleb(-token.decimals)
        fees = self.client.fees()
        spare = self.client.balance(address) - NATIVE_GAS * fees.max_fee_per_gas
        return Decimal(max(spare, 0)).scaleb(-18)

    def derive_account(self, name: str) -> accounts.AccountInfo:
        with self.store.session() as s:
            return accounts.derive_next(s, name=name or None)


def _with_fee_speed(built: BuiltTransaction, speed: str) -> BuiltTransaction:
    """A higher or lower tip than the node suggests; the cap moves by the same amount."""
    tip = built.max_priority_fee_per_gas
    new_tip = {"fast": tip * 2, "slow": max(tip // 2, 1)}.get(speed, tip)
    if new_tip == tip:
        return built
    return dataclasses.replace(
        built,
        max_priority_fee_per_gas=new_tip,
        max_fee_per_gas=max(built.max_fee_per_gas + new_tip - tip, new_tip),
    )


def wallet_backend(
    store: Any,
    client: ChainClient | Callable[[], ChainClient],
    network: NetworkInfo,
    *,
    reviewer: Any = None,
    bus: EventBus | None = None,
    extra: dict[str, Any] | None = None,
    on_close: Callable[[], None] | None = None,
) -> Backend:
    """A ``Backend`` with the wallet services for one network plugged in."""
    bus = bus or EventBus()
    holder: list[WalletServices] = []
    wallet = WalletServices(
        store,
        client,
        network,
        reviewer or _review_source(store, lambda: holder[0].client, network),
        bus,
    )
    holder.append(wallet)
    services: dict[str, Any] = {
        "wallet": wallet,
        "balances": wallet.balances,
        "prepare_send": wallet.prepare_send,
        "sign_and_send": wallet.sign_and_send,
        "max_amount": wallet.max_amount,
        "prepare_proposal": wallet.prepare_proposal,
        "prepare_replacement": wallet.prepare_replacement,
        "reject_proposal": wallet.reject_proposal,
        "restore": None,
    }
    services.update(extra or {})
    return Backend(store, bus, chain_id=network.chain_id, services=services, on_close=on_close)


def _review_source(
    store: Any, client: Callable[[], ChainClient], network: NetworkInfo
) -> ReviewSource:
    """The same review as the CLI's: node-backed when the node answers, limited otherwise."""
    try:
        from delegates.tx_review.review_source import review_source
    except ImportError:  # the review package is missing: nothing is reviewed, nothing signed
        from app.wallet.review_choice import ChosenReviewer

        return ChosenReviewer(None, None, lambda: False)
    return review_source(store, client, network.native_symbol, network.chain_id)


__all__ = ["PreparedSend", "WalletServices", "WardenError", "wallet_backend"]
