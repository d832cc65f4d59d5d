"""Delegates, their runs and their proposals. A proposal is approved through the same request
lifecycle as a send (``ui.ops.send.sign_and_send``): signed at most once, from any window."""

from __future__ import annotations

from typing import Any

from app.proposals import pending_proposals
from app.rows import DelegateRow, ProposalRow, RunRow
from app.wallet.services import PreparedSend
from delegates.runtime import service as delegates_service
from ui.ops.core import Op
from ui.services import AppServices, require


def delegate_rows(sv: AppServices) -> list[DelegateRow]:
    """The delegates, from the running runner or, without one, from the store (store lane)."""
    if sv.delegates is not None:
        return list(sv.delegates.list())
    return delegates_service.stored_delegates(sv.store)


def store_settings(sv: AppServices, name: str, settings: dict[str, Any]) -> None:
    """Save a delegate's settings through the runner (checked, rescheduled) or the store."""
    if sv.delegates is not None:
        sv.delegates.save_settings(name, settings)
    else:
        delegates_service.store_delegate_setting(sv.store, name, settings=settings)


def load(sv: AppServices) -> Op[list[DelegateRow]]:
    return Op(lambda: delegate_rows(sv), lane="store")


def set_enabled(sv: AppServices, name: str, enabled: bool) -> Op[None]:
    def work() -> None:
        if sv.delegates is not None:
            sv.delegates.set_enabled(name, enabled)
        else:
            delegates_service.store_delegate_setting(sv.store, name, enabled=enabled)

    return Op(work, lane="store")


def save_settings(sv: AppServices, name: str, settings: dict[str, Any]) -> Op[None]:
    return Op(lambda: store_settings(sv, name, settings), lane="store")


def run(sv: AppServices, name: str) -> Op[RunRow]:
    """Run a delegate now (it may ask the node: the network pool; it writes its run through
    the runner's own sessions)."""
    return Op(lambda: require(sv.delegates, "The delegates").run_now(name), lane="network")


def runs(sv: AppServices, name: str | None = None, limit: int = 50) -> Op[list[RunRow]]:
    return Op(lambda: delegates_service.list_runs(sv.store, name, limit), lane="store")


def proposals(sv: AppServices) -> Op[list[ProposalRow]]:
    return Op(lambda: pending_proposals(sv.store), lane="store")


def review_proposal(sv: AppServices, proposal_id: int) -> Op[PreparedSend]:
    """Build and review the transaction a proposal stands for, exactly like a send."""
    return Op(
        lambda: require(sv.wallet, "The wallet").prepare_proposal(proposal_id), lane="network"
    )


def reject_proposal(sv: AppServices, proposal_id: int) -> Op[None]:
    """The user's no to a delegate's proposal (and to its open request, if any)."""
    return Op(lambda: require(sv.wallet, "The wallet").reject_proposal(proposal_id), lane="store")


def pause(sv: AppServices, paused: bool) -> Op[None]:
    """Pause the delegates' schedules (runs already going finish)."""

    def work() -> None:
        if sv.delegates is not None:
            sv.delegates.pause(paused)

    return Op(work, lane="store")
