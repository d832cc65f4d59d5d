"""Danger alert: when a transaction review ends in ``danger``, tell the user at once, even if
the request came from a dapp in another window (urgent notifications skip batching)."""

from __future__ import annotations

from typing import Any

from app.events import review_did_finish
from app.notify import Notification
from delegates.runtime.base import Delegate, DelegateContext, On
from delegates.runtime.registry import delegate


@delegate
class DangerAlert(Delegate):
    name = "danger_alert"
    description = "Alerts at once when a transaction review ends in danger."
    triggers = (On(review_did_finish, when=lambda e: e.verdict == "danger"),)

    def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
        if not isinstance(event, review_did_finish):
            return {"summary": "runs after transaction reviews only"}
        # The summary and codes come from the review's rules; shown as data, never followed.
        codes = ", ".join(event.codes[:5])
        ctx.notifier.notify(
            Notification(
                "Dangerous request blocked",
                f"{event.summary[:300]} ({codes})",
                "alert",
                urgent=True,
            )
        )
        return {"summary": f"danger: {codes}", "codes": list(event.codes)}
