"""The application controller: QApplication, theme, the main window, lock and unlock, the tray,
notifications, and the two ways in (``run_gui`` on the user's store, ``run_demo``).

``warden`` (the composition root) builds the store and the services and passes them here as
``AppServices`` or as an ``unlock`` function that turns a password into them.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app import preferences
from app.errors import WardenError
from app.notify import NotificationBackend
from ui import gc_guard, theme
from ui.bridge import EventBridge
from ui.dialogs import install_excepthook
from ui.lock import IdleLock
from ui.main_window import MainWindow
from ui.ops import Op, tasks
from ui.ops import delegates as delegate_ops
from ui.screens.base import ScreenContext
from ui.services import AppServices, LateParts
from ui.tray import CLOSE_QUIT, Notifier, Tray, ask_close_without_tray

if TYPE_CHECKING:
    from app.dapp.listener import ProviderSocket

log = logging.getLogger(__name__)

Unlocker = Callable[[str], AppServices]


def ensure_qapp(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        gc_guard.install(app)
        return app
    QApplication.setApplicationName("Warden")
    QApplication.setOrganizationName("Warden")
    QApplication.setDesktopFileName("warden")
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(argv if argv is not None else sys.argv[:1])
    gc_guard.install(app)
    return app


def ui_settings(config_dir: Path) -> QSettings:
    """Window geometry and other look-and-feel state (nothing personal) in an INI file."""
    config_dir.mkdir(parents=True, exist_ok=True)
    return QSettings(str(config_dir / "ui.ini"), QSettings.Format.IniFormat)


class WardenApp(QObject):
    """Owns the window and decides what locking, closing and notifications do."""

    #: a site asked to connect while locked (from the provider's worker thread)
    dapp_wants_unlock = Signal()

    def __init__(
        self,
        qapp: QApplication,
        *,
        config_dir: Path,
        unlock: Unlocker,
        services: AppServices | None = None,
        notify_fallback: NotificationBackend | None = None,
        unlock_hint: str = "",
        use_tray: bool = True,
        dapp_socket: ProviderSocket | None = None,
    ) -> None:
        super().__init__()
        # The dapp provider's socket, up from start to quit, locked or not, so that a page
        # cannot tell a locked Warden by a port that does not answer (app/dapp/listener.py).
        self.dapp_socket = dapp_socket
        self.qapp = qapp
        self._unlock = unlock
        self.services: AppServices | None = None
        self.dapp_message = ""  # why the dapp provider did not start, if it did not
        self.dapp_approval: Any = None  # the dialogs that answer sites (QtApproval)
        self.ctx: ScreenContext | None = None
        self.bridge: EventBridge | None = None
        self.settings = ui_settings(config_dir)
        theme.apply(qapp)
        theme.follow_system(qapp)
        self.window = MainWindow(self.settings, unlock_hint=unlock_hint)
        self.window.controller = self  # type: ignore[attr-defined]
        self.window.unlock.unlock_requested.connect(self.try_unlock)
        self.window.lock_requested.connect(self.lock)
        self.window.allow_close = self._allow_close
        tasks().busy_changed.append(self.window.set_busy)
        self.idle = IdleLock(self._idle, minutes=0)
        qapp.installEventFilter(self.idle)
        self.tray: Tray | None = None
        if use_tray and Tray.available():
            self.tray = Tray()
            self.tray.open_requested.connect(self.show_window)
            self.tray.lock_requested.connect(self.lock)
            self.tray.quit_requested.connect(self.quit)
            self.tray.pause_toggled.connect(self.pause_delegates)
            self.tray.show()
        self.notifier = Notifier(self.tray.icon if self.tray else None, notify_fallback)
        self.notifier.open_screen.connect(self.open_screen)
        if dapp_socket is not None:
            self._open_dapp_socket(dapp_socket)
        if services is not None:
            self._unlocked(services)
        else:
            self.window.show_locked()

    # -- lock and unlock ------------------------------------------------------------------
    def try_unlock(self, password: str) -> None:
        def failed(exc: BaseException) -> None:
            msg = exc.user_message() if isinstance(exc, WardenError) else "Could not unlock."
            if not isinstance(exc, WardenError):
                log.error("unlock failed", exc_info=exc)
            self.window.unlock.failed(msg)

        Op(lambda: self._unlock(password), lane="store").success(self._unlocked).failure(
            failed
        ).run()

    def _unlocked(self, services: AppServices) -> None:
        self.services = services
        self.bridge = EventBridge(services.bus, self)
        self.bridge.any_event.connect(self.notifier.on_event)
        self._connect_notices(services)
        ctx = ScreenContext(
            services=services,
            bridge=self.bridge,
            navigate=self.open_screen,
            status=lambda m: self.window.statusBar().showMessage(m, 6000),
            window=self.window,
        )
        self.ctx = ctx
        self.window.show_unlocked(ctx)
        self._start_dapp(services)
        for start in services.start_later:
            Op(start, lane="network").success(lambda parts: self._started(services, parts)).run()
        Op(lambda: preferences.get_all(services.store), lane="store").success(
            self.apply_preferences
        ).failure(lambda _e: self.apply_preferences(preferences.defaults())).run()

    def _start_dapp(self, services: AppServices) -> None:
        """The dapp provider on 127.0.0.1 with the app's dialogs; it stops with the services
        (lock, quit). A taken port is said in the status bar; the app runs on without it."""
        host = services.dapp
        if host is None:
            return
        from ui.dapp_approval import QtApproval

        self.dapp_message = ""
        approval = self.dapp_approval = QtApproval(self.window, on_ask=self._dapp_request)

        def start() -> int:
            port = host.start(approval, self.dapp_socket)
            services.closers.append(host.stop)  # locked at once if locked meanwhile
            return port

        def failed(exc: BaseException) -> None:
            msg = exc.user_message() if isinstance(exc, WardenError) else str(exc)
            if not isinstance(exc, WardenError):
                log.error("the dapp provider did not start", exc_info=exc)
            else:
                log.warning("the dapp provider did not start: %s", exc)
            self.dapp_message = msg
            if self.services is services:
                self.window.statusBar().showMessage(msg.replace("\n", " "), 30000)

        Op(start, lane="network").success(
            lambda port: log.info("dapp provider on loopback port %d", port)
        ).failure(failed).run()

    def _open_dapp_socket(self, socket: ProviderSocket) -> None:
        """Listen from start; a site that asks to connect while locked brings the window up
        (a taken port is said again, in the status bar, at unlock)."""
        self.dapp_wants_unlock.connect(self._dapp_unlock_request)
        socket.on_locked_request = self.dapp_wants_unlock.emit
        Op(socket.open, lane="network").failure(
            lambda e: log.warning("the dapp provider did not start: %s", type(e).__name__)
        ).run()

    def _dapp_unlock_request(self) -> None:
        if not self.window.locked:
            return
        if not self.window.isVisible() or self.window.isMinimized():
            from ui.tray import dapp_request_notice

            self.notifier.show(dapp_request_notice(connect_while_locked=True))
        self.show_window()
        self.window.statusBar().showMessage(
            "A site asks to connect: unlock Warden to answer.", 60000
        )

    def close_dapp_socket(self) -> None:
        if self.dapp_socket is not None:
            self.dapp_socket.close()

    def _dapp_request(self) -> None:
        """A site's request while the window is hidden: a tray notice (the dialog brings the
        window to the front)."""
        if not self.window.isVisible() or self.window.isMinimized():
            from ui.tray import dapp_request_notice

            self.notifier.show(dapp_request_notice())

    def apply_preferences(self, values: Mapping[str, Any]) -> None:
        """Put stored preferences (app/preferences.py) into effect: the idle lock, notices."""
        self.idle.set_minutes(float(values["idle_lock_minutes"]))
        self.notifier.enabled = bool(values["notifications"])

    def _connect_notices(self, services: AppServices) -> None:
        if services.notify_sink is not None:
            from ui.tray import TrayBackend

            services.notify_sink.target = TrayBackend(self.notifier)
        self.notifier.events_enabled = services.delegates is None

    def _started(self, services: AppServices, parts: LateParts) -> None:
        """A part that started after the window (the delegates): plug it in and redraw."""
        if services is not self.services or self.ctx is None:
            return  # locked meanwhile: these parts stop with the services they belong to
        self.services = self.ctx.services = services.with_parts(parts)
        self._connect_notices(self.services)
        shell = self.window.shell
        if shell is not None and "delegates" in shell.screens:
            shell.screens["delegates"].refresh()

    def lock(self, *, wait: bool = False) -> None:
        """Forget everything personal: screens destroyed, bridge detached, store closed
        (on the store's worker; ``wait`` closes right here, as quitting does)."""
        if self.window.locked:
            return
        from PySide6.QtWidgets import QDialog

        # Every dialog may show personal data (a review, an error naming an address).
        for dlg in {*self.window.findChildren(QDialog), *QApplication.topLevelWidgets()}:
            if isinstance(dlg, QDialog) and (dlg.isVisible() or dlg.parent() is not None):
                dlg.reject()
                dlg.setParent(None)  # out of the window's tree now, freed soon after
                dlg.deleteLater()
        self.idle.stop()
        if self.bridge is not None:
            self.bridge.detach()
            self.bridge.deleteLater()
            self.bridge = None
        services, self.services, self.ctx = self.services, None, None
        self.window.show_locked()
        if services is not None and wait:
            services.close()
        elif services is not None:
            Op(services.close, lane="store").failure(
                lambda e: log.error("closing the store failed", exc_info=e)
            ).run()

    def _idle(self) -> None:
        log.info("idle timeout: locking")
        self.lock()

    # -- window, tray, quitting -----------------------------------------------------------
    def show_window(self) -> None:
        self.window.show()
        self.window.setWindowState(self.window.windowState() & ~Qt.WindowState.WindowMinimized)
        self.window.raise_()
        self.window.activateWindow()

    def open_screen(self, key: str, **state: Any) -> None:
        self.show_window()
        self.window.open(key, **state)

    def _wants_tray(self) -> bool:
        try:
            return bool(self.settings.value("keep_in_tray", False, type=bool))
        except Exception:
            return False

    def keep_in_tray(self) -> bool:
        return self.tray is not None and self.services is not None and self._wants_tray()

    def _allow_close(self) -> bool | str:
        if self.keep_in_tray():
            return False
        if self.tray is None and self.services is not None and self._wants_tray():
            # the user asked to keep running, and there is nowhere to keep running: say so
            choice = ask_close_without_tray(self.window)
            if choice != CLOSE_QUIT:
                return choice
            self.lock(wait=True)  # a clean quit: delegates and the store closed first
        return True

    def pause_delegates(self, paused: bool) -> None:
        self.notifier.enabled = not paused
        if self.services is not None:
            delegate_ops.pause(self.services, paused).run()

    def quit(self) -> None:
        self.window.allow_close = lambda: True
        self.lock(wait=True)
        self.close_dapp_socket()
        self.window.close()
        self.qapp.quit()


def exec_app(controller: WardenApp, *, minimized: bool = False) -> int:
    install_excepthook()
    if not minimized or controller.tray is None:
        controller.show_window()
    try:
        return int(controller.qapp.exec())
    finally:
        controller.close_dapp_socket()


def _reload_delegates(controller: WardenApp) -> None:
    shell = controller.window.shell
    if shell is not None and "delegates" in shell.screens:
        shell.screens["delegates"].refresh()


def demo_unlocker(demo: Any, password: str) -> Unlocker:
    """The demo's unlock: like a real wallet's, fresh services each time (their delegate
    runtime, schedules and chain watcher started anew), never the ones ``lock()`` closed."""

    def unlock(pw: str) -> AppServices:
        if pw != password:
            from app.errors import WrongPassword

            raise WrongPassword("That is not the demo password.")
        from ui.compose import demo_services

        return demo_services(demo)

    return unlock


def run_demo(
    demo: Any,
    screenshots_dir: Path | str | None = None,
    password: str = "demo",  # noqa: S107
    *,
    sizes: tuple[tuple[int, int], ...] = (),
    themes: tuple[str, ...] = (),
) -> int:
    """Open the window on the demo wallet; with ``screenshots_dir``, save each screen and exit."""
    from ui.compose import demo_services
    from ui.demo import save_screenshots

    if screenshots_dir is not None:
        os.environ.setdefault("WARDEN_THEME", "dark")
    qapp = ensure_qapp()
    from ui.demo import prepare_scenario, warm_up

    prepare_scenario(demo)
    services = demo_services(demo)

    from app.config import default_paths

    controller = WardenApp(
        qapp,
        config_dir=default_paths().config_dir,
        unlock=demo_unlocker(demo, password),
        services=services,
        unlock_hint=f"Demo wallet: the password is “{password}”.",
        use_tray=screenshots_dir is None,
    )
    warm_up(services, on_done=lambda: _reload_delegates(controller))
    if screenshots_dir is not None:
        controller.window.resize(1180, 760)
        controller.show_window()
        result: list[int] = []
        QTimer.singleShot(
            0,
            lambda: result.append(
                save_screenshots(controller, Path(screenshots_dir), sizes, themes)
            ),
        )
        qapp.exec()
        return result[0] if result else 1
    return exec_app(controller)


def run_gui(*, minimized: bool = False) -> int:
    """Open the window on the user's store: the first-run flow if there is none, else the
    unlock screen."""
    from app.config import default_paths
    from app.store import Store
    from ui.compose import user_services

    paths = default_paths().ensure()
    qapp = ensure_qapp()
    theme.apply(qapp)
    plan = None
    if not Store.exists(paths):
        from ui.first_run import FirstRunDialog

        dialog = FirstRunDialog()
        if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
            return 0
        plan = dialog.plan

    def unlock(password: str) -> AppServices:
        return user_services(Store.open(paths, password), paths)

    from app.dapp.listener import RECORD_NAME, ProviderSocket

    socket = ProviderSocket(paths.config_dir / RECORD_NAME)
    controller = WardenApp(qapp, config_dir=paths.config_dir, unlock=unlock, dapp_socket=socket)
    if plan is not None:
        from ui.first_run import create_in_background

        create_in_background(controller, paths, plan)
    return exec_app(controller, minimized=minimized)
