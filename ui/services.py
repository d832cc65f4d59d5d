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
from app.wallet import accounts, balances, sender, tokens
from app.wallet.amounts import format_amount
from app.wallet.chain import ChainClient
from app.wallet.networks import NetworkInfo
from app.wallet.ports import SessionSource
from app.wallet.tokens import TokenInfo
from app.wallet.transactions import BuiltTransaction, build_transfer
from ui.backend import Backend, BalanceRow, SendDraft

NATIVE_GAS = 21_000


@dataclass(frozen=True)
class PreparedSend:
    """A built transaction and its review: what the review dialog shows and signing needs."""

    built: BuiltTransaction
    review: ReviewOutcome
    fee_text: str


class StoreReviewer:
    """Reviews with the facts the store knows, for when the node-backed reviewer is not
    available: the same stored facts as that reviewer (``app.wallet.stored_facts``: only what
    the user's own key sent counts as a past counterparty). Unknown facts stay unknown."""

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


class WalletServices:
    def __init__(
        self,
        store: SessionSource,
        client: ChainClient | Callable[[], ChainClient],
        network: NetworkInfo,
        reviewer: Any,
        bus: EventBus | None = None,
        wait_s: float = 30.0,
    ) -> None:
        self.store = store
        self._client = client
        self.network = network
        self.reviewer = reviewer
        self.bus = bus
        self.wait_s = wait_s

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
        outcome = self.reviewer.review(built.request())
        if self.bus is not None:
            from app.events import review_did_finish

            self.bus.publish(review_did_finish(outcome.verdict, outcome.codes, outcome.summary))
        fee = format_amount(built.gas * built.max_fee_per_gas, 18, places=6)
        return PreparedSend(built, outcome, f"{fee} {self.network.native_symbol}")

    def review_built(self, built: BuiltTransaction) -> PreparedSend:
        outcome = self.reviewer.review(built.request())
        fee = format_amount(built.gas * built.max_fee_per_gas, 18, places=6)
        return PreparedSend(built, outcome, f"{fee} {self.network.native_symbol}")

    def prepare_proposal(self, proposal_id: int) -> PreparedSend:
        """Build and review the transaction a delegate proposed, exactly like a send."""
        from app.store.schema import Proposal
        from app.wallet.addresses import validate_address

        with self.store.session() as s:
            row = s.get(Proposal, proposal_id)
            if row is None or row.status != "pending":
                raise InvalidInput(f"Proposal {proposal_id} is no longer waiting.")
            tx = dict(row.payload.get("tx") or {})
        if not tx.get("to") or not tx.get("from"):
            raise InvalidInput("This proposal carries no transaction to sign.")
        sender = validate_address(str(tx["from"]), what="sender address")
        to = validate_address(str(tx["to"]), what="contract address")
        data = bytes.fromhex(str(tx.get("data") or "0x").removeprefix("0x"))
        value = int(tx.get("value") or 0)
        fees = self.client.fees()
        estimate = self.client.estimate_gas(
            {"from": sender, "to": to, "value": value, "data": data}
        )
        built = BuiltTransaction(
            chain_id=self.client.chain_id,
            sender=sender,
            to=to,
            value=value,
            data=data,
            gas=int(estimate * 1.2),
            max_fee_per_gas=fees.max_fee_per_gas,
            max_priority_fee_per_gas=fees.max_priority_fee_per_gas,
            recipient=to,
            amount=0,
        )
        return self.review_built(built)

    def sign_and_send(self, prepared: PreparedSend, confirmation: str | None) -> str:
        result = sender.send(
            self.store,
            self.client,
            prepared.built,
            prepared.review,
            danger_confirmation=confirmation,
            bus=self.bus,
            wait_s=self.wait_s,
        )
        return result.tx_hash

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
    wallet = WalletServices(
        store, client, network, reviewer or StoreReviewer(store, network.native_symbol), bus
    )
    services: dict[str, Any] = {
        "wallet": wallet,
        "balances": wallet.balances,
        "prepare_send": wallet.prepare_send,
        "sign_and_send": wallet.sign_and_send,
        "max_amount": wallet.max_amount,
        "prepare_proposal": wallet.prepare_proposal,
        "restore": None,
    }
    services.update(extra or {})
    return Backend(store, bus, chain_id=network.chain_id, services=services, on_close=on_close)


__all__ = ["PreparedSend", "StoreReviewer", "WalletServices", "WardenError", "wallet_backend"]


class LazyReviewer:
    """The node-backed reviewer, built on first review (it needs the node); until it can be
    built, reviews fall back to the store's facts rather than failing."""

    def __init__(self, factory: Callable[[], Any], fallback: Any = None) -> None:
        self._factory = factory
        self._fallback = fallback
        self._reviewer: Any = None

    def review(self, request: dict[str, Any]) -> ReviewOutcome:
        if self._reviewer is None:
            self._reviewer = self._factory()
        outcome: ReviewOutcome = self._reviewer.review(request)
        return outcome
