"""A locked app shows nothing personal; unlock and idle lock; the first-run flow."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from tests.ui.conftest import wait_idle


def _visible_text(root: QWidget) -> str:
    parts = []
    for w in [root, *root.findChildren(QWidget)]:  # every widget, shown or not
        if isinstance(w, QLabel | QLineEdit):
            parts.append(w.text())
        if isinstance(w, QComboBox):
            parts += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            for r in range(m.rowCount(QModelIndex())):
                c = 0
                while m.index(r, c).isValid():
                    parts.append(str(m.index(r, c).data() or ""))
                    c += 1
    parts.append(root.windowTitle())
    return "\n".join(parts)


def test_locked_app_shows_nothing_personal(qtbot, controller, demo) -> None:
    win = controller.window
    for key in ("wallet", "send", "delegates"):
        win.open(key)
        wait_idle(qtbot)
    personal = [demo.accounts[0].address, "Demo main", "Alice (demo)", "dUSD"]
    unlocked = _visible_text(win)
    assert any(p in unlocked for p in personal)  # the check can fail
    from app.errors import InvalidInput
    from ui.dialogs import show_error

    show_error(None, InvalidInput(f"Problem with {demo.accounts[0].address}"))
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()
        ),
        timeout=2000,
    )
    controller.lock()
    qtbot.wait(50)
    assert win.locked and win.shell is None
    locked = _visible_text(win)
    for p in personal:
        assert p not in locked
    assert "Warden is locked" in locked
    assert not any(
        isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_unlock_wrong_then_right_password(qtbot, controller) -> None:
    controller.lock()
    screen = controller.window.unlock
    screen.password.setText("guess")
    screen._submit()
    qtbot.waitUntil(lambda: screen.error.isVisible(), timeout=5000)
    assert "not the password" in screen.error.text()
    assert controller.window.locked
    screen.password.setText("demo password")
    screen._submit()
    qtbot.waitUntil(lambda: not controller.window.locked, timeout=5000)


def test_idle_lock_locks_after_the_timeout(qtbot, controller) -> None:
    assert not controller.window.locked
    wait_idle(qtbot)  # the stored idle setting has been applied; now shorten it
    controller.idle.set_minutes(0.002)  # about 120 ms
    qtbot.waitUntil(lambda: controller.window.locked, timeout=5000)


def test_first_run_create_asks_words_back_then_creates_the_store(qtbot, tmp_path) -> None:
    from eth_account import Account as EthAccount

    from app.config import default_paths
    from app.store import Store
    from app.wallet.onboarding import create_wallet
    from ui.first_run import FirstRunDialog

    d = FirstRunDialog()
    qtbot.addWidget(d)
    d._next()  # create mode
    assert d.phrase_grid.isVisibleTo(d)
    d._next()  # phrase shown -> check page
    words = d.new_phrase.words
    positions = d.new_phrase.check_positions
    for pos, edit in zip(positions, d.check_edits, strict=True):
        edit.setText("wrong")
    d._next()
    assert "does not match" in d.error.text()
    for pos, edit in zip(positions, d.check_edits, strict=True):
        edit.setText(words[pos])
    d._next()
    d.pw1.setText("short")
    d.pw2.setText("short")
    d._next()
    assert "at least 8" in d.error.text()
    d.pw1.setText("correct horse battery")
    d.pw2.setText("correct horse batterx")
    d._next()
    assert "differ" in d.error.text()
    d.pw2.setText("correct horse battery")
    d._next()
    for box in d.net_boxes:
        box.setChecked(False)
    d._next()
    assert "at least one network" in d.error.text()
    d.net_boxes[0].setChecked(True)
    d.net_boxes[1].setChecked(True)  # Base too
    with qtbot.waitSignal(d.accepted, timeout=1000):
        d._next()
    assert d.plan is not None
    assert d.plan.mode == "create" and d.plan.networks == ("Ethereum", "Base")
    assert d.plan.use_keyring  # the default, as before
    paths = default_paths().ensure()
    store = create_wallet(paths, d.plan).store
    try:
        from app import preferences
        from app.wallet import accounts

        with store.session() as s:
            rows = accounts.list_accounts(s)
        assert [r.kind for r in rows] == ["hd"]
        assert rows[0].address == EthAccount.from_mnemonic(" ".join(words)).address
        assert preferences.get(store, "network.current") == "Ethereum"
    finally:
        store.close()
    assert Store.open(paths, "correct horse battery").verify_password("correct horse battery")


def test_first_run_import_key_refuses_a_bad_key(qtbot) -> None:
    from ui.first_run import FirstRunDialog

    d = FirstRunDialog()
    qtbot.addWidget(d)
    d.modes.button(2).setChecked(True)  # import a private key
    d._next()
    assert d.secret_edit.isVisibleTo(d) and not d.phrase_grid.isVisibleTo(d)
    d.secret_edit.setPlainText("0x1234")
    d._next()
    assert "64 hex digits" in d.error.text()
    d.secret_edit.setPlainText("0x" + "1" * 64)
    d._next()
    assert d.pages.currentIndex() == 3  # straight to the password (no words to check)


def test_the_users_own_store_unlocks_and_a_dead_node_is_a_message(qtbot, tmp_path) -> None:
    """``warden gui``'s path: a store on disk, the window locked, the password typed; the
    chosen network has no node here, which the wallet screen says, without a traceback."""
    from app.config import default_paths
    from app.store import Store
    from app.wallet.demo import DEMO_PHRASE
    from app.wallet.onboarding import WalletPlan, create_wallet
    from ui.app import WardenApp, ensure_qapp
    from ui.compose import user_services

    paths = default_paths().ensure()
    create_wallet(
        paths, WalletPlan("phrase", DEMO_PHRASE, "a long password", ["Demo"])
    ).store.close()
    c = WardenApp(
        ensure_qapp(),
        config_dir=paths.config_dir,
        unlock=lambda pw: user_services(Store.open(paths, pw), paths),
        use_tray=False,
    )
    try:
        c.show_window()
        assert c.window.locked
        screen = c.window.unlock
        screen.password.setText("wrong password")
        screen._submit()
        qtbot.waitUntil(lambda: screen.error.isVisible(), timeout=20000)
        assert "password" in screen.error.text().lower()
        screen.password.setText("a long password")
        screen._submit()
        qtbot.waitUntil(lambda: not c.window.locked, timeout=20000)
        wallet = c.window.shell.screens["wallet"]
        wait_idle(qtbot)
        assert wallet.account_box.currentText() == "Main"
        assert "demo chain" in wallet.error.text()
        assert wallet.total.text() == "—"
    finally:
        c.lock(wait=True)  # stops the delegates started after unlock and closes the store
        c.window.allow_close = lambda: True
        c.window.close()


def test_settings_backup_and_password_change_on_a_real_store(qtbot, tmp_path) -> None:
    from app.config import default_paths
    from app.events import EventBus
    from app.store import Store
    from app.wallet import accounts
    from app.wallet.onboarding import WalletPlan, create_wallet
    from tests.ui.conftest import _unlock  # noqa: F401 - fixture helpers live there
    from ui.app import WardenApp, ensure_qapp
    from ui.services import AppServices

    paths = default_paths().ensure()
    watched = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"
    store = create_wallet(paths, WalletPlan("watch", watched, "first password")).store
    services = AppServices(store, EventBus())
    services.closers.last.append(store.close)
    c = WardenApp(
        ensure_qapp(),
        config_dir=paths.config_dir,
        unlock=lambda pw: services,
        services=services,
        use_tray=False,
    )
    try:
        st = c.window.open("settings")
        wait_idle(qtbot)
        out = tmp_path / "backup.wbk"
        st.export_backup(out, "backup password")
        wait_idle(qtbot)
        assert out.exists() and watched.encode() not in out.read_bytes()
        st.old_pw.setText("first password")
        st.new_pw.setText("second password")
        st.new_pw2.setText("second passwore")
        st._change_password()
        assert "differ" in st.pw_error.text()
        st.new_pw2.setText("second password")
        st._change_password()
        wait_idle(qtbot)
        assert st.pw_error.isHidden()
    finally:
        c.lock(wait=True)
        c.window.allow_close = lambda: True
        c.window.close()
    reopened = Store.open(paths, "second password")
    try:
        with reopened.session() as s:
            assert accounts.list_accounts(s)[0].address == watched
    finally:
        reopened.close()


def test_window_geometry_is_remembered(qtbot, tmp_path) -> None:
    from ui.app import ui_settings
    from ui.main_window import MainWindow

    settings = ui_settings(tmp_path / "cfg")
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.resize(950, 640)
    w.show()
    w.close()
    settings.sync()
    again = MainWindow(ui_settings(tmp_path / "cfg"))
    qtbot.addWidget(again)
    # The offscreen screen is 800 px wide, so Qt clamps the restored width to the window's
    # minimum; the height (default 760) shows the stored geometry was used.
    assert again.height() == 640


def test_first_run_creates_the_store_in_the_background(qtbot) -> None:
    """After the first-run dialog the window shows at once, busy, while the store is created
    on the store's worker; then the wallet opens on the new account."""
    from app.config import default_paths
    from app.store import Store
    from app.wallet.onboarding import WalletPlan
    from ui.app import WardenApp, ensure_qapp
    from ui.compose import user_services
    from ui.first_run import create_in_background

    paths = default_paths().ensure()
    watched = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"
    c = WardenApp(
        ensure_qapp(),
        config_dir=paths.config_dir,
        unlock=lambda pw: user_services(Store.open(paths, pw), paths),
        use_tray=False,
    )
    try:
        c.show_window()
        create_in_background(c, paths, WalletPlan("watch", watched, "a long password", ["Demo"]))
        assert c.window.locked and not c.window.unlock.busy.isHidden()
        qtbot.waitUntil(lambda: not c.window.locked, timeout=30000)
        wait_idle(qtbot)
        wallet = c.window.shell.screens["wallet"]
        assert wallet.address.text() == watched
        assert not wallet.send_button.isEnabled()  # watch-only cannot send
    finally:
        c.lock(wait=True)
        c.window.allow_close = lambda: True
        c.window.close()
