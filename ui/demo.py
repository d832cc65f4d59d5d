"""The window on the demo wallet (``warden demo``), and ``--screenshots``: each main screen
saved as a PNG on the demo data."""

from __future__ import annotations

import logging
import time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication, QWidget

from app.events import EventBus
from ui.backend import Backend
from ui.ops import tasks

if TYPE_CHECKING:
    from ui.app import WardenApp

log = logging.getLogger(__name__)

SCREENSHOTS = (
    ("wallet", "wallet.png"),
    ("delegates", "delegates.png"),
    ("market", "market.png"),
    ("assistant", "assistant.png"),
    ("models", "models.png"),
    ("settings", "settings.png"),
)
DEMO_QUESTION = "What is in my wallet?"


def _recorded_prices() -> dict[str, Decimal]:
    from delegates.market.candles import recorded

    out = {"dUSD": Decimal(1)}
    for sym in ("ETH", "BTC"):
        try:
            out[sym] = Decimal(str(round(float(recorded(f"{sym}/USD").close[-1]), 2)))
        except Exception:  # recorded data missing: no dollar value, not a crash
            log.warning("no recorded %s price", sym)
    return out


def backend_from_demo(demo: Any, bus: EventBus | None = None) -> Backend:
    """Plug the demo's store, chain and the optional parts that start into a ``Backend``."""
    from ui.services import wallet_backend

    bus = bus or EventBus()
    extra: dict[str, Any] = {}
    prices = _recorded_prices()
    extra["prices"] = lambda: prices
    reviewer = None
    try:
        from delegates.tx_review import make_reviewer

        reviewer = make_reviewer(demo.w3, demo.store)
    except Exception as exc:  # the store-facts reviewer still reviews every request
        log.info("node-backed reviewer unavailable (%s); using store facts", exc)
    extra.update(optional_services(demo.store, bus, demo.directory / "models", demo.client))
    return wallet_backend(
        demo.store, demo.client, demo.network, reviewer=reviewer, bus=bus, extra=extra
    )


def optional_services(store: Any, bus: EventBus, models_dir: Path, chain: Any) -> dict[str, Any]:
    """Model catalog, assistant and delegates: each one that starts is plugged in."""
    out: dict[str, Any] = {}
    try:
        from models.catalog import Catalog

        out["catalog"] = Catalog(models_dir)
    except Exception as exc:
        log.warning("model catalog unavailable: %s", exc)
    if "catalog" in out:
        try:
            from ui.assistant_service import AssistantService

            out["assistant"] = AssistantService(out["catalog"], store)
        except Exception as exc:
            log.warning("assistant unavailable: %s", exc)
    try:
        import delegates
        from app.notify import LogBackend, Notifier
        from delegates.runtime.registry import REGISTRY
        from delegates.runtime.runner import Runner
        from ui.delegates_service import DelegatesService

        delegates.load_builtin()
        runner = Runner(REGISTRY, store, bus, Notifier(LogBackend()), chain=chain)
        out["delegates"] = DelegatesService(runner)
    except Exception as exc:
        log.warning("delegates unavailable: %s", exc)
    return out


def wait_idle(app: QApplication, timeout: float = 20.0, settle: float = 0.3) -> None:
    """Process events until no background work is pending (or ``timeout``)."""
    end = time.monotonic() + timeout
    quiet_since: float | None = None
    while time.monotonic() < end:
        app.processEvents()
        if tasks().busy:
            quiet_since = None
        else:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= settle:
                return
        time.sleep(0.02)


def _grab(widget: QWidget, path: Path) -> None:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")


def dangerous_approval(backend: Backend) -> tuple[Any, str]:
    """A review of an unlimited approval of the demo dollar token to a fresh personal address:
    the kind of request a drainer site asks for."""
    from eth_abi import encode

    from app.wallet.transactions import BuiltTransaction

    wallet = backend.service("wallet")
    sender = backend.accounts()[0].address
    token = next(t for t in wallet._tokens() if t.symbol == "dUSD")
    spender = "0x00000000000000000000000000000000DeaDBeef"
    data = bytes.fromhex("095ea7b3") + encode(["address", "uint256"], [spender, 2**256 - 1])
    fees = wallet.client.fees()
    built = BuiltTransaction(
        chain_id=wallet.network.chain_id,
        sender=sender,
        to=token.address,
        value=0,
        data=data,
        gas=60_000,
        max_fee_per_gas=fees.max_fee_per_gas,
        max_priority_fee_per_gas=fees.max_priority_fee_per_gas,
        recipient=spender,
        amount=0,
        token=token,
        origin="https://dusd-airdrop-claim.example",
    )
    prepared = wallet.review_built(built)
    action = f"Approve {spender} to spend all your dUSD (asked by dusd-airdrop-claim.example)"
    return prepared, action


def save_screenshots(controller: WardenApp, directory: Path) -> int:
    """Open each screen on the demo data, save it, then the review dialog; quit. 0 if all
    files were written."""
    from ui.review_dialog import ReviewDialog

    app = controller.qapp
    directory.mkdir(parents=True, exist_ok=True)
    window = controller.window
    backend = controller.backend
    written = 0
    try:
        wait_idle(app)
        for key, name in SCREENSHOTS:
            screen = window.open(key)
            wait_idle(app)
            if key == "assistant" and screen is not None and backend is not None:
                _ask_demo_question(app, screen)
            _grab(window, directory / name)
            written += 1
        window.open("send")
        wait_idle(app)
        if backend is not None:
            prepared, action = dangerous_approval(backend)
            dialog = ReviewDialog(
                prepared.review, action=action, parent=window, sign_label="Sign approval"
            )
            dialog.resize(660, 760)
            dialog.show()
            dialog.typed.setFocus()
            wait_idle(app, settle=0.2)
            _grab(dialog, directory / "send-review.png")
            written += 1
            dialog.reject()
    except Exception:
        log.exception("screenshots failed")
    finally:
        controller.quit()
    return 0 if written == len(SCREENSHOTS) + 1 else 1


def _ask_demo_question(app: QApplication, screen: Any) -> None:
    """Ask the assistant one question and wait (bounded) for the streamed answer."""
    screen.input.setText(DEMO_QUESTION)
    screen.send()
    end = time.monotonic() + 60
    while screen.reply is not None and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.03)
    wait_idle(app, timeout=5)
