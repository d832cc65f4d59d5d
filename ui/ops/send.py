"""A send: balances and the review on the network pool; every store write of the request
lifecycle (``app.wallet.requests``) on the store worker, through ``run_steps``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from app.rows import AccountRow, BalanceRow, ContactRow, SendDraft
from app.wallet.services import PreparedSend
from ui.ops import accounts, contacts, history
from ui.ops.core import Op, run_steps
from ui.services import AppServices, require

#: accounts, contacts, USD prices, addresses the wallet has dealt with before
SendForm = tuple[list[AccountRow], list[ContactRow], dict[str, Decimal], list[str]]


def load_form(sv: AppServices) -> Op[SendForm]:
    def work() -> SendForm:
        known = [r.counterparty for r in history.rows(sv) if not r.hidden and r.counterparty]
        prices = sv.wallet.prices() if sv.wallet is not None else {}
        return accounts._rows(sv), contacts._rows(sv), prices, known

    return Op(work, lane="store")


def balances(sv: AppServices, address: str) -> Op[list[BalanceRow]]:
    return Op(lambda: require(sv.wallet, "The wallet").balances(address), lane="network")


def max_amount(sv: AppServices, address: str, asset: str) -> Op[Decimal]:
    return Op(lambda: require(sv.wallet, "The wallet").max_amount(address, asset), lane="network")


def prepare(sv: AppServices, draft: SendDraft) -> Op[PreparedSend]:
    """Build and review (the node answers on the network pool); the request is stored."""
    return Op(lambda: require(sv.wallet, "The wallet").prepare_send(draft), lane="network")


def sign_and_send(
    sv: AppServices,
    prepared: PreparedSend,
    confirmation: str | None,
    *,
    success: Callable[[str], Any],
    failure: Callable[[BaseException], Any],
) -> None:
    """Confirm, sign, broadcast, record and track, each step on its lane (store writes on the
    store worker); ``success`` gets the transaction hash."""
    try:
        steps = require(sv.wallet, "The wallet").send_steps(prepared, confirmation)
    except Exception as exc:  # no wallet: say so like any other failure
        failure(exc)
        return
    run_steps(steps, success=success, failure=failure)


def cancel(sv: AppServices, prepared: Any) -> Op[None]:
    """The review was closed without signing: the request is rejected."""

    def work() -> None:
        if sv.wallet is not None and getattr(prepared, "request_id", None):
            sv.wallet.cancel(prepared)

    return Op(work, lane="store")
