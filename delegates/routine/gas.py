"""Gas watch: tells the user when the base fee drops below their threshold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.events import block_did_arrive
from app.notify import Notification
from delegates.runtime.base import Delegate, DelegateContext, On
from delegates.runtime.registry import delegate


@dataclass(frozen=True)
class GasSettings:
    threshold_gwei: float = 10.0


@delegate
class GasWatch(Delegate):
    name = "gas_watch"
    description = "Notifies when the network's base fee drops below your threshold."
    triggers = (On(block_did_arrive, when=lambda e: e.base_fee_wei is not None),)
    settings_type = GasSettings

    def __init__(self) -> None:
        self.below = False  # notify on the way down only, not on every cheap block

    def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
        if not isinstance(event, block_did_arrive) or event.base_fee_wei is None:
            return {"summary": "runs on new blocks only"}
        gwei = event.base_fee_wei / 1e9
        below = gwei < settings.threshold_gwei
        notified = below and not self.below
        self.below = below
        if notified:
            ctx.notifier.notify(
                Notification(
                    "Gas is cheap",
                    f"The base fee is {gwei:.2f} gwei, "
                    f"below your {settings.threshold_gwei:g} gwei.",
                    "gas",
                )
            )
        return {
            "summary": f"base fee {gwei:.2f} gwei",
            "base_fee_gwei": round(gwei, 4),
            "block": event.number,
            "notified": notified,
        }
