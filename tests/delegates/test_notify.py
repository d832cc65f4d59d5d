from __future__ import annotations

from app.notify import Notification, Notifier, RecordingBackend


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_transfers_within_the_window_become_one_notification() -> None:
    clock, shown = Clock(), RecordingBackend()
    n = Notifier(shown, clock=clock, batch_window=10, max_per_minute=10)
    for i in range(3):
        n.notify(Notification("Incoming transfer", f"{i} ETH from 0xabc", "transfer"))
        clock.t += 2
    assert shown.shown == []  # still inside the window
    n.notify(Notification("Market alert", "BTC RSI 25", "alert"))  # not batched: at once
    assert [x.title for x in shown.shown] == ["Market alert"]
    clock.t += 10
    assert n.pump() == 1
    batched = shown.shown[-1]
    assert batched.title == "3 incoming transfers"
    assert batched.body.splitlines() == [f"Incoming transfer: {i} ETH from 0xabc" for i in range(3)]
    n.notify(Notification("Incoming transfer", "late", "transfer"))
    clock.t += 11
    n.pump()
    assert shown.shown[-1].body == "late"  # a lone transfer is shown as it is


def test_rate_limit_merges_the_rest_and_loses_nothing() -> None:
    clock, shown = Clock(), RecordingBackend()
    n = Notifier(shown, clock=clock, batch_window=0, max_per_minute=2)
    for i in range(5):
        n.notify(Notification(f"alert {i}", "", "alert"))
    assert [x.title for x in shown.shown] == ["alert 0", "alert 1"]
    clock.t += 61
    n.pump()
    assert [x.title for x in shown.shown] == ["alert 0", "alert 1", "alert 2", "2 updates"]
    assert shown.shown[3].body.splitlines() == ["alert 3", "alert 4"]


def test_a_failing_backend_does_not_lose_the_notifier() -> None:
    class Broken:
        def show(self, notification):
            raise OSError("no D-Bus")

    n = Notifier(Broken(), batch_window=0)
    n.notify(Notification("x", "y"))  # logged instead, no exception
    n.stop()
