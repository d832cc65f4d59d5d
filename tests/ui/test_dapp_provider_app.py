"""The app starts the dapp provider on 127.0.0.1 when it unlocks (port from the ``dapp.port``
preference) and stops it on lock, or, given its socket (as ``run_gui`` gives it), keeps the
socket up from start to quit and answers as for a site that is not connected while locked;
a taken port is a clear message and the app runs on; a
site's request while the window is hidden brings it up and notifies from the tray. All real:
the demo's store and chain, the aiohttp server, the Qt window and dialogs."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest

from app import preferences
from tests.ui.conftest import wait_idle

ORIGIN = "https://dapp.example"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(port: int, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Warden-Token"] = token
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/", json.dumps(body).encode(), headers, method="POST"
    )
    with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - loopback only
        return json.loads(resp.read())  # type: ignore[no-any-return]


def _app(qapp, services, tmp_path):  # type: ignore[no-untyped-def]
    from ui.app import WardenApp

    return WardenApp(
        qapp,
        config_dir=tmp_path / "config",
        unlock=lambda pw: services,
        services=services,
        use_tray=False,
    )


def _close(c) -> None:  # type: ignore[no-untyped-def]
    c.lock(wait=True)
    c.window.allow_close = lambda: True
    c.window.close()
    c.window.deleteLater()


def test_provider_started_by_the_app_answers_chain_id_and_stops_on_lock(
    qtbot, qapp, demo, services, tmp_path
) -> None:
    port = _free_port()
    preferences.set(demo.store, "dapp.port", port)
    services.dapp.stop()  # an earlier window over the shared demo may have started it
    c = _app(qapp, services, tmp_path)
    try:
        c.show_window()
        host = services.dapp
        qtbot.waitUntil(lambda: host.port is not None, timeout=30000)
        assert host.port == port
        answer = _post(port, {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"})
        assert answer["result"] == hex(demo.network.chain_id)
        c.lock(wait=True)
        assert host.port is None
        with pytest.raises(urllib.error.URLError):
            _post(port, {"jsonrpc": "2.0", "id": 2, "method": "eth_chainId"})
    finally:
        _close(c)


def test_a_taken_port_is_a_clear_message_and_the_app_runs_on(
    qtbot, qapp, demo, services, tmp_path
) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = int(held.getsockname()[1])
        preferences.set(demo.store, "dapp.port", port)
        services.dapp.stop()  # an earlier window over the shared demo may have started it
        c = _app(qapp, services, tmp_path)
        try:
            c.show_window()
            qtbot.waitUntil(lambda: bool(c.dapp_message), timeout=30000)
            assert f"Port {port}" in c.dapp_message and "taken" in c.dapp_message
            assert "Settings" in c.dapp_message  # what to do next
            assert "taken" in c.window.statusBar().currentMessage()
            assert services.dapp.port is None
            assert not c.window.locked
            c.window.open("wallet")  # the rest of the app still works
            wait_idle(qtbot)
        finally:
            _close(c)


def test_a_request_while_hidden_brings_the_window_up_and_notifies(
    qtbot, qapp, demo, services, tmp_path
) -> None:
    from app.dapp.permissions import Permissions
    from ui.dapp_approval import ConnectDialog

    port = _free_port()
    preferences.set(demo.store, "dapp.port", port)
    token = Permissions(demo.store).pairing_token()
    services.dapp.stop()  # an earlier window over the shared demo may have started it
    c = _app(qapp, services, tmp_path)
    try:
        assert not c.window.isVisible()
        qtbot.waitUntil(lambda: services.dapp.port == port, timeout=30000)
        out: dict[str, Any] = {}
        body = {"jsonrpc": "2.0", "id": 3, "method": "eth_requestAccounts", "origin": ORIGIN}
        asking = threading.Thread(
            target=lambda: out.setdefault("answer", _post(port, body, token)), daemon=True
        )
        asking.start()
        qtbot.waitUntil(lambda: bool(c.dapp_approval.open_dialogs), timeout=30000)
        dialog = c.dapp_approval.open_dialogs[0]
        assert isinstance(dialog, ConnectDialog)
        assert c.window.isVisible()  # brought to the front
        assert [n.kind for n in c.notifier.sent] == ["dapp"]
        assert ORIGIN not in c.notifier.sent[0].body  # nothing about the site in the tray
        dialog.reject()
        qtbot.waitUntil(lambda: "answer" in out, timeout=30000)
        assert out["answer"]["error"]["code"] == 4001
        assert Permissions(demo.store).get(ORIGIN) is None
    finally:
        _close(c)


def test_with_its_socket_the_app_answers_while_locked_and_a_connect_asks_to_unlock(
    qtbot, qapp, demo, demo_services, tmp_path
) -> None:
    """The app as ``run_gui`` builds it: the socket opens at start, before any unlock, stays
    up on lock, and a site's connect request while locked brings the window up; after the
    unlock the usual connect prompt opens."""
    import dataclasses

    from app.dapp.listener import ProviderSocket, SocketRecord, write_record
    from app.dapp.permissions import Permissions
    from ui.app import WardenApp
    from ui.dapp_approval import ConnectDialog
    from ui.services import Closers

    port = _free_port()
    preferences.set(demo.store, "dapp.port", port)
    token = Permissions(demo.store).pairing_token()
    demo_services.dapp.stop()  # an earlier window over the shared demo may have started it
    record = tmp_path / "config" / "dapp-provider.json"
    write_record(record, SocketRecord(port=port))  # a first start: only the port is known
    socket = ProviderSocket(record, unlock_wait_s=120)

    def unlock(_pw: str) -> Any:
        return dataclasses.replace(demo_services, closers=Closers())

    c = WardenApp(
        qapp, config_dir=tmp_path / "config", unlock=unlock, use_tray=False, dapp_socket=socket
    )
    chain = {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}
    try:
        qtbot.waitUntil(lambda: socket.port == port, timeout=30000)
        assert c.window.locked
        assert _post(port, chain)["result"] == "0x1"  # before any unlock: the default chain
        c.try_unlock("demo")
        qtbot.waitUntil(lambda: demo_services.dapp.port == port, timeout=30000)
        unlocked = _post(port, chain)
        assert unlocked["result"] == hex(demo.network.chain_id)
        c.lock(wait=True)
        assert socket.port == port and _post(port, chain) == unlocked  # up, and the same
        c.window.hide()

        out: dict[str, Any] = {}
        body = {"jsonrpc": "2.0", "id": 3, "method": "eth_requestAccounts", "origin": ORIGIN}
        asking = threading.Thread(
            target=lambda: out.setdefault("answer", _post(port, body, token)), daemon=True
        )
        asking.start()
        qtbot.waitUntil(c.window.isVisible, timeout=30000)  # brought up to be unlocked
        assert "unlock" in c.window.statusBar().currentMessage()
        assert "Unlock Warden to answer" in c.notifier.sent[-1].body  # not "a connected site"
        assert "answer" not in out
        c.try_unlock("demo")
        qtbot.waitUntil(lambda: bool(c.dapp_approval.open_dialogs), timeout=30000)
        dialog = c.dapp_approval.open_dialogs[0]
        assert isinstance(dialog, ConnectDialog)
        dialog.reject()
        qtbot.waitUntil(lambda: "answer" in out, timeout=30000)
        assert out["answer"]["error"]["code"] == 4001
    finally:
        _close(c)
        socket.close()
