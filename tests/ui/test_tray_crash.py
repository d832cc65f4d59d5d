"""Notifications (routing, batching, click to open), autostart, and the crash dialog."""

from __future__ import annotations

from app import events as ev
from app.notify import Notification, RecordingBackend
from ui import autostart
from ui.dialogs import CrashDialog, crash_report
from ui.tray import Notice, Notifier, TrayBackend, notice_for


def test_events_map_to_notices_without_amounts() -> None:
    n = notice_for(ev.transfer_did_arrive(1, "0xa", "0xb", None, 123456789, "0xh"))
    assert n is not None and n.screen == "wallet" and "123456789" not in n.body
    assert notice_for(ev.price_did_cross("ETH", 2100.0, 2000.0, "up")).screen == "market"  # type: ignore[union-attr]
    assert notice_for(ev.review_did_finish("safe", (), "")) is None
    assert notice_for(ev.review_did_finish("danger", ("x",), "bad")).kind == "review"  # type: ignore[union-attr]
    assert notice_for(ev.block_did_arrive(1, 5)) is None


def test_bursts_are_batched_and_go_to_the_port_without_a_tray(qtbot) -> None:
    port = RecordingBackend()
    n = Notifier(None, port, batch_ms=50)
    for i in range(3):
        n.on_event(ev.transfer_did_arrive(1, "0xa", "0xb", None, i, f"0x{i}"))
    n.on_event(ev.price_did_cross("ETH", 1.0, 2.0, "down"))
    qtbot.waitUntil(lambda: len(port.shown) == 2, timeout=2000)
    titles = sorted(x.title for x in port.shown)
    assert titles == ["Incoming transfers", "Price alert"]
    assert "3 new" in next(x.body for x in port.shown if x.title == "Incoming transfers")


def test_clicking_a_notification_opens_its_screen(qtbot) -> None:
    n = Notifier(None, RecordingBackend())
    n.show(Notice("Price alert", "ETH", "market", "price"))
    with qtbot.waitSignal(n.open_screen, timeout=1000) as sig:
        n._clicked()
    assert sig.args == ["market"]


def test_delegate_notifications_reach_the_same_notifier(qtbot) -> None:
    port = RecordingBackend()
    n = Notifier(None, port)
    TrayBackend(n).show(Notification("Market alert", "RSI 75", "alert"))
    qtbot.waitUntil(lambda: len(port.shown) == 1, timeout=2000)
    assert n.sent[-1].screen == "market"


def test_autostart_is_a_desktop_file(tmp_path) -> None:
    assert not autostart.is_enabled()
    autostart.set_enabled(True)
    text = autostart.autostart_file().read_text()
    assert "warden gui --minimized" in text and str(tmp_path) in str(autostart.autostart_file())
    autostart.set_enabled(False)
    assert not autostart.is_enabled()


def test_crash_report_is_copyable_and_redacts_keys(qtbot) -> None:
    key = "0x" + "ab" * 32
    try:
        raise RuntimeError(f"private key {key} leaked")
    except RuntimeError as exc:
        report = crash_report(type(exc), exc, exc.__traceback__)
    assert "RuntimeError" in report and "test_tray_crash.py" in report
    assert key not in report and "ab" * 32 not in report
    d = CrashDialog(report)
    qtbot.addWidget(d)
    d.copy()
    from PySide6.QtWidgets import QApplication

    assert QApplication.clipboard().text() == report


def test_tray_menu_actions_emit_their_signals(qtbot) -> None:
    """The menu works without a system tray (offscreen has none; the icon is just not shown)."""
    from ui.tray import Tray

    tray = Tray()
    labels = [a.text() for a in tray.menu.actions() if a.text()]
    assert labels == ["Open Warden", "Pause delegates", "Lock", "Quit"]
    with qtbot.waitSignal(tray.pause_toggled) as paused:
        tray.pause_action.trigger()
    assert paused.args == [True] and "paused" in tray.icon.toolTip()
    with qtbot.waitSignal(tray.lock_requested):
        tray.lock_action.trigger()
    with qtbot.waitSignal(tray.open_requested):
        tray.open_action.trigger()


def test_pausing_delegates_pauses_their_schedules_and_notices(qtbot, controller, services) -> None:
    svc = services.delegates
    controller.pause_delegates(True)
    qtbot.waitUntil(lambda: svc.paused, timeout=5000)
    assert not controller.notifier.enabled
    controller.pause_delegates(False)
    qtbot.waitUntil(lambda: not svc.paused, timeout=5000)
    assert controller.notifier.enabled
