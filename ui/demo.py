"""The window on the demo wallet (``warden demo``), and ``--screenshots``: each main screen
saved as a PNG on the demo data."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtWidgets import QApplication, QWidget

from ui.main_window import MainWindow
from ui.ops import tasks
from ui.services import AppServices

log = logging.getLogger(__name__)


class ScreenshotHost(Protocol):
    """What the screenshots drive (``ui.app.WardenApp`` is one): stated here, so that this
    module sits below the controller that runs the demo."""

    qapp: QApplication
    window: MainWindow
    services: AppServices | None

    def quit(self) -> None: ...


SCREENSHOTS = (
    ("wallet", "wallet.png"),
    ("delegates", "delegates.png"),
    ("market", "market.png"),
    ("assistant", "assistant.png"),
    ("models", "models.png"),
    ("settings", "settings.png"),
)
DEMO_QUESTIONS = ("How much ETH do I have?", "send 0.1 ETH to alice")


def ask_model() -> bool:
    """Screenshots ask the bundled model one question; ``WARDEN_SCREENSHOTS_ASK=0`` skips it
    (the screenshot test on a busy machine)."""
    return os.environ.get("WARDEN_SCREENSHOTS_ASK", "1") != "0"


def prepare_scenario(demo: Any) -> None:
    """Past activity that gives the delegates something to find: months ago the demo user
    granted an unlimited dUSD allowance to a personal address (a classic phishing result).
    Signed with the public demo phrase, on the demo chain only."""
    from eth_abi import encode

    from app.wallet.demo import send_as_demo_user

    w3 = demo.w3
    token = next(t for t in demo.tokens if t.symbol == "dUSD")
    spender = str(w3.eth.accounts[7])
    data = bytes.fromhex("095ea7b3") + encode(["address", "uint256"], [spender, 2**256 - 1])
    send_as_demo_user(w3, 0, token.address, data=data)


def warm_up(services: AppServices, on_done: Any = None) -> None:
    """Run each delegate once in the background, so the demo opens with runs and proposals."""
    from ui.ops import Op

    svc = services.delegates
    if svc is None:
        return

    def work() -> None:
        for row in svc.list():
            svc.run_now(row.name)

    op = Op(work, lane="network").failure(lambda e: log.warning("demo warm-up: %s", e))
    if on_done is not None:
        op.success(lambda _r: on_done())
    op.run()


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


def dangerous_approval(services: AppServices) -> tuple[Any, str]:
    """A review of an unlimited approval of the demo dollar token to a fresh personal address:
    the kind of request a drainer site asks for."""
    from eth_abi import encode

    from app.wallet.transactions import BuiltTransaction
    from ui.services import require

    wallet = require(services.wallet, "The wallet")
    sender = wallet.accounts()[0].address
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


def save_screenshots(
    controller: ScreenshotHost,
    directory: Path,
    sizes: tuple[tuple[int, int], ...] = (),
    themes: tuple[str, ...] = (),
) -> int:
    """Open each screen on the demo data, save it, then the review dialog; quit. 0 if all
    files were written. With ``sizes`` and/or ``themes``, every screen is also saved at each
    window size in each theme, into ``DIR/<theme>-<W>x<H>/``."""
    from ui.review_dialog import ReviewDialog

    app = controller.qapp
    directory.mkdir(parents=True, exist_ok=True)
    window = controller.window
    services = controller.services
    written = 0
    try:
        wait_idle(app)
        if sizes or themes:  # a failure here leaves ``written`` short: the result is 1
            _save_variants(controller, directory, sizes, themes)
        for key, name in SCREENSHOTS:
            screen = window.open(key)
            wait_idle(app)
            if key == "assistant" and screen is not None and ask_model():
                _ask_demo_question(app, screen)
            _grab(window, directory / name)
            written += 1
        window.open("send")
        wait_idle(app)
        if services is not None:
            prepared, action = dangerous_approval(services)
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


def _save_variants(
    controller: ScreenshotHost,
    directory: Path,
    sizes: tuple[tuple[int, int], ...],
    themes: tuple[str, ...],
) -> None:
    """Every screen at each size in each theme; the window and theme are put back as they
    were afterwards."""
    from ui import theme

    app, window = controller.qapp, controller.window
    before_size, before_dark = window.size(), theme.current() is theme.DARK
    for name in themes or ("dark" if before_dark else "light",):
        theme.apply(app, dark=name == "dark")
        for width, height in sizes or ((before_size.width(), before_size.height()),):
            window.resize(width, height)
            folder = directory / f"{name}-{width}x{height}"
            folder.mkdir(parents=True, exist_ok=True)
            for key, file in SCREENSHOTS:
                window.open(key)
                wait_idle(app, settle=0.1)
                _grab(window, folder / file)
    theme.apply(app, dark=before_dark)
    window.resize(before_size)
    wait_idle(app)


def _ask_demo_question(app: QApplication, screen: Any) -> None:
    """Ask the assistant a question and give it an order; wait (bounded) for each answer."""
    for text in DEMO_QUESTIONS:
        screen.input.setText(text)
        screen.send()
        end = time.monotonic() + 60
        while screen.busy and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.03)
        wait_idle(app, timeout=5)
