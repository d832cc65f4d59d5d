"""Lock pauses, unlock resumes: after three lock/unlock cycles the delegates still run, by
hand (Delegates -> Run now) and on a new block, in the demo and on the user's own store.
Every wait is on a signal or a state, never a fixed timer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import wait_idle

PASSWORD = "demo password"


def _cycle(qtbot, controller, password: str, times: int = 3) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        closed = controller.services
        controller.lock()
        assert controller.window.locked
        screen = controller.window.unlock
        screen.password.setText(password)
        screen._submit()
        qtbot.waitUntil(lambda: not controller.window.locked, timeout=60000)
        assert controller.services is not closed  # never the services that lock() closed
        wait_idle(qtbot)


def _run_now(qtbot, controller, name: str) -> Any:  # type: ignore[no-untyped-def]
    screen = controller.window.open("delegates")
    wait_idle(qtbot)
    screen.list.setCurrentRow([r.name for r in screen.rows].index(name))
    with qtbot.waitSignal(
        controller.bridge.delegate_did_run,
        timeout=60000,
        check_params_cb=lambda e: e.delegate == name,
    ) as ran:
        qtbot.mouseClick(screen.run_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert "Something failed" not in screen.error.text()
    assert screen.error.isHidden()
    return ran.args[0]


def test_demo_delegates_run_after_three_lock_unlock_cycles(qtbot, qapp, demo, tmp_path) -> None:
    from ui.app import WardenApp, demo_unlocker
    from ui.compose import demo_services

    c = WardenApp(
        qapp,
        config_dir=tmp_path / "config",
        unlock=demo_unlocker(demo, PASSWORD),
        services=demo_services(demo),
        use_tray=False,
    )
    try:
        c.show_window()
        wait_idle(qtbot)
        _cycle(qtbot, c, PASSWORD)
        manual = _run_now(qtbot, c, "gas_watch")
        assert manual.outcome == "ok"
        # A new block on the demo chain reaches Gas watch through the fresh watcher.
        watcher = c.services.chain_watcher
        qtbot.waitUntil(lambda: watcher.last_block is not None, timeout=30000)
        w3 = demo.w3
        with qtbot.waitSignal(
            c.bridge.delegate_did_run,
            timeout=60000,
            check_params_cb=lambda e: e.delegate == "gas_watch" and e.run_id > manual.run_id,
        ) as fired:
            w3.eth.send_transaction(
                {"from": w3.eth.accounts[1], "to": w3.eth.accounts[2], "value": 1}
            )
        assert fired.args[0].outcome == "ok"
    finally:
        c.lock(wait=True)
        c.window.allow_close = lambda: True
        c.window.close()


def test_a_real_wallets_delegates_run_after_three_lock_unlock_cycles(qtbot, qapp) -> None:
    from app.config import default_paths
    from app.events import block_did_arrive
    from app.store import Store
    from app.wallet.onboarding import WalletPlan, create_wallet
    from ui.app import WardenApp
    from ui.compose import user_services

    paths = default_paths().ensure()
    watched = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"
    create_wallet(paths, WalletPlan("watch", watched, "a long password")).store.close()
    c = WardenApp(
        qapp,
        config_dir=paths.config_dir,
        unlock=lambda pw: user_services(Store.open(paths, pw), paths),
        use_tray=False,
    )
    try:
        c.show_window()
        screen = c.window.unlock
        screen.password.setText("a long password")
        screen._submit()
        qtbot.waitUntil(lambda: not c.window.locked, timeout=60000)
        # The delegates start after the window shows (no node here: they run chain-less).
        qtbot.waitUntil(lambda: c.services.delegates is not None, timeout=60000)
        for _ in range(3):
            _cycle(qtbot, c, "a long password", times=1)
            qtbot.waitUntil(lambda: c.services.delegates is not None, timeout=60000)
        manual = _run_now(qtbot, c, "gas_watch")
        assert manual.outcome == "ok"
        with qtbot.waitSignal(
            c.bridge.delegate_did_run,
            timeout=60000,
            check_params_cb=lambda e: e.delegate == "gas_watch" and e.run_id > manual.run_id,
        ) as fired:
            c.services.bus.publish(block_did_arrive(chain_id=1, number=1, base_fee_wei=10**9))
        assert fired.args[0].outcome == "ok"
    finally:
        c.lock(wait=True)
        c.window.allow_close = lambda: True
        c.window.close()
