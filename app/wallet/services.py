"""The wallet for a front end, over ``app.wallet`` and the request lifecycle.

One network (the chain the window is connected to) at a time; the composition root picks it
and plugs in the reviewer. Every method blocks (node, disk): the windows call them through
``ui.ops``, which puts store writes on the store worker and node calls on the network pool.
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
from app.rows import AccountRow, BalanceRow, HistoryRow, SendDraft
from app.wallet import accounts as wallet_accounts
from app.wallet import balances, history_view, tokens
from app.wallet.amounts import format_amount
from app.wallet.chain import ChainClient
from app.wallet.networks import NetworkInfo
from app.wallet.ports import SessionSource
from app.wallet.prices import PriceSource, usd_prices
from app.wallet.requests import Lane, Prepared, RequestPipeline, ReviewSource
from app.wallet.tokens import TokenInfo
from app.wallet.transactions import BuiltTransaction, build_transfer

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
        *,
        prices: PriceSource | None = None,
    ) -> None:
        self.store = store
        self.price_source = prices
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

    @property
    def chain_id(self) -> int:
        return self.network.chain_id

    def prices(self) -> dict[str, Decimal]:
        """USD per symbol (``app.wallet.prices``)."""
        return usd_prices(self.store, self.price_source)

    def balances(self, address: str) -> list[BalanceRow]:
        """What ``address`` holds on this network (node), valued in USD where a price is known."""
        found = balances.balances(
            self.client, address, self._tokens(), native_symbol=self.network.native_symbol
        )
        prices = self.prices()
        out = []
        for b in found:
            if b.amount is None:
                continue
            amount = Decimal(b.amount).scaleb(-b.decimals)
            fiat = amount * prices[b.symbol] if b.symbol in prices else None
            out.append(
                BalanceRow(b.symbol, amount, b.token.address if b.token else None, b.decimals, fiat)
            )
        return out

    def accounts(self) -> list[AccountRow]:
        with self.store.session() as s:
            return [AccountRow(a.address, a.name, a.kind) for a in wallet_accounts.list_accounts(s)]

    def history(self, account: str | None = None, limit: int = 500) -> list[HistoryRow]:
        """This network's history (``app.wallet.history_view``), newest first."""
        return history_view.history_rows(
            self.store, chain_id=self.chain_id, account=account, limit=limit
        )

    def holdings(self) -> dict[str, Decimal]:
        """Amount per symbol over all accounts; an account the node cannot answer for is
        left out."""
        out: dict[str, Decimal] = {}
        for acc in self.accounts():
            try:
                rows = self.balances(acc.address)
            except WardenError:
                continue
            for b in rows:
                out[b.symbol] = out.get(b.symbol, Decimal(0)) + b.amount
        return out

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
        # The pipeline announces transaction_did_confirm on the bus when the receipt comes.
        return self.requests.send_confirmed(prepared.request_id, wait_s=self.wait_s).tx_hash

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

    def derive_account(self, name: str) -> wallet_accounts.AccountInfo:
        with self.store.session() as s:
            return wallet_accounts.derive_next(s, name=name or None)


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


__all__ = ["PreparedSend", "WalletServices"]
