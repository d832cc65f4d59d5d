"""The README's pictures of a dapp connecting: the connect prompt and a site's request in the
review dialog, taken from the real path (the provider the app started, a request over its
socket, the app's own dialogs) on the demo wallet.

    xvfb-run -a python -m ui.dapp_screenshots docs/screenshots   # or QT_QPA_PLATFORM=offscreen
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QDialog

SITE = "https://app.example-swap.org"
FRESH_SPENDER = "0x00000000000000000000000000000000DeaDBeef"
CONNECT_PNG = "dapp-connect.png"
REQUEST_PNG = "dapp-request-review.png"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(port: int, token: str, method: str, params: list[Any]) -> Any:
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params, "origin": SITE}
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/",
        json.dumps(body).encode(),
        {"Content-Type": "application/json", "X-Warden-Token": token},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=300) as resp:  # noqa: S310 - loopback only
        return json.loads(resp.read())


def _wait(app: QApplication, condition: Any, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the dapp screenshots waited too long")
        app.processEvents()
        time.sleep(0.02)


def permit(chain_id: int, token: str, owner: str) -> dict[str, Any]:
    """An unlimited EIP-2612 permit to a fresh address: what a drainer site asks to sign."""
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Permit": [
                {"name": "owner", "type": "address"},
                {"name": "spender", "type": "address"},
                {"name": "value", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ],
        },
        "primaryType": "Permit",
        "domain": {
            "name": "Demo Dollar",
            "version": "1",
            "chainId": chain_id,
            "verifyingContract": token,
        },
        "message": {
            "owner": owner,
            "spender": FRESH_SPENDER,
            "value": str(2**256 - 1),
            "nonce": 0,
            "deadline": 4102444800,
        },
    }


def save_dapp_screenshots(controller: Any, directory: Path) -> list[Path]:
    """With ``controller`` (a ``WardenApp`` on the demo) unlocked: connect a site through the
    prompt, then grab its permit request in the review dialog (rejected afterwards)."""
    from app.dapp.permissions import Permissions
    from ui.services import require

    app, services = controller.qapp, controller.services
    host = require(services.dapp, "The dapp provider")
    directory.mkdir(parents=True, exist_ok=True)
    _wait(app, lambda: host.port is not None or bool(controller.dapp_message))
    if host.port is None:
        raise RuntimeError(controller.dapp_message)
    port, token = host.port, Permissions(services.store).pairing_token()
    wallet = require(services.wallet, "The wallet")
    owner = wallet.accounts()[0].address
    dusd = next(t for t in wallet._tokens() if t.symbol == "dUSD")
    approval = controller.dapp_approval
    written: list[Path] = []

    def ask(method: str, params: list[Any], out: dict[str, Any]) -> threading.Thread:
        t = threading.Thread(target=lambda: out.update(answer=_post(port, token, method, params)))
        t.start()
        return t

    def grab(name: str, size: tuple[int, int] | None = None) -> QDialog:
        _wait(app, lambda: bool(approval.open_dialogs))
        dialog: QDialog = approval.open_dialogs[0]
        dialog.resize(*(size or (max(dialog.width(), 620), dialog.height())))
        for _ in range(20):
            app.processEvents()
        path = directory / name
        if not dialog.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)
        return dialog

    connected: dict[str, Any] = {}
    thread = ask("eth_requestAccounts", [], connected)
    grab(CONNECT_PNG).accept()
    _wait(app, lambda: not thread.is_alive())
    signed: dict[str, Any] = {}
    data = json.dumps(permit(wallet.network.chain_id, dusd.address, owner))
    thread = ask("eth_signTypedData_v4", [owner, data], signed)
    grab(REQUEST_PNG, (660, 760)).reject()
    _wait(app, lambda: not thread.is_alive())
    if signed.get("answer", {}).get("error", {}).get("code") != 4001:
        raise RuntimeError("the site's request was not refused after Reject")
    Permissions(services.store).revoke(SITE)
    return written


def main(argv: list[str]) -> int:
    os.environ.setdefault("WARDEN_THEME", "dark")
    from app import preferences
    from app.wallet.demo import build_demo
    from ui.app import WardenApp, ensure_qapp
    from ui.compose import demo_services
    from ui.demo import prepare_scenario

    directory = Path(argv[0] if argv else "docs/screenshots")
    qapp = ensure_qapp()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("WARDEN_HOME", str(Path(tmp) / "home"))
        demo = build_demo(Path(tmp) / "demo")
        try:
            prepare_scenario(demo)
            preferences.set(demo.store, "dapp.port", free_port())
            controller = WardenApp(
                qapp,
                config_dir=Path(tmp) / "config",
                unlock=lambda _pw: demo_services(demo),
                services=demo_services(demo),
                use_tray=False,
            )
            controller.window.resize(1180, 760)
            controller.show_window()
            for path in save_dapp_screenshots(controller, directory):
                print(path)
            controller.quit()
        finally:
            demo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
