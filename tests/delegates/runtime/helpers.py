from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from app.events import block_did_arrive
from app.policy import ProposedAction
from delegates.runtime.base import Capability, Delegate, DelegateContext, Every, On
from delegates.runtime.registry import Registry


def make_registry() -> tuple[Registry, dict[str, Any]]:
    """A registry of small test delegates and the shared state they report into."""
    reg = Registry()
    state: dict[str, Any] = {
        "ticks": 0,
        "blocks": [],
        "release": threading.Event(),
        "started": threading.Event(),
    }

    @dataclass(frozen=True)
    class TickSettings:
        step: int = 1
        label: str = "tick"

    @reg.register
    class Ticker(Delegate):
        name = "ticker"
        description = "counts its runs"
        triggers = (Every(hours=6),)
        settings_type = TickSettings

        def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
            state["ticks"] += settings.step
            return {"summary": f"{settings.label} {state['ticks']}", "ticks": state["ticks"]}

    @reg.register
    class Broken(Delegate):
        name = "broken"
        description = "always raises"

        def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
            raise RuntimeError("boom")

    @reg.register
    class Slow(Delegate):
        name = "slow"
        description = "waits until the test releases it"
        timeout_s = 5.0

        def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
            state["started"].set()
            state["release"].wait(10)
            return {"summary": "done"}

    @reg.register
    class Patient(Delegate):
        name = "patient"
        description = "stops when cancelled"

        def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
            state["started"].set()
            ctx.cancelled.wait(10)
            ctx.check_cancelled()
            return {"summary": "not cancelled"}

    @reg.register
    class BlockCounter(Delegate):
        name = "block_counter"
        description = "records new blocks"
        triggers = (On(block_did_arrive),)

        def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
            assert isinstance(event, block_did_arrive)
            state["blocks"].append(event.number)
            return {"block": event.number}

    @reg.register
    class Reader(Delegate):
        name = "reader"
        description = "read-only, tries to propose anyway"

        def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
            ctx.propose(ProposedAction("transfer", {}, value=1, recipient="0x" + "1" * 40))
            return {}

    @reg.register
    class Payer(Delegate):
        name = "payer"
        description = "proposes a transfer of the amount in its event"
        capability = Capability.PROPOSE

        def run(self, ctx: DelegateContext, settings: Any, event: object | None) -> dict[str, Any]:
            value, recipient = event  # type: ignore[misc]
            pid = ctx.propose(
                ProposedAction("transfer", {"to": recipient}, value=value, recipient=recipient)
            )
            return {"proposal": pid}

    return reg, state
