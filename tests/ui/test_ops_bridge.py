"""Background operations come back on the GUI thread; core events become Qt signals."""

from __future__ import annotations

import threading

from app import events as ev
from app.errors import InvalidInput
from ui.bridge import EventBridge
from ui.ops import Op, tasks


def test_success_runs_on_the_gui_thread_and_work_does_not(qtbot) -> None:
    main = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    got: list[int] = []

    def done(v: int) -> None:
        seen["callback"] = threading.get_ident()
        got.append(v)

    Op(work).success(done).run()
    qtbot.waitUntil(lambda: got == [42])
    assert seen["worker"] != main
    assert seen["callback"] == main
    qtbot.waitUntil(lambda: not tasks().busy)


def test_failure_is_delivered_with_the_exception(qtbot) -> None:
    errors: list[BaseException] = []

    def bad() -> None:
        raise InvalidInput("nope", hint="try again")

    Op(bad, lane="network").failure(errors.append).run()
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0], InvalidInput)


def test_store_lane_is_serial(qtbot) -> None:
    order: list[int] = []
    lock = threading.Lock()
    running = [0]
    overlap = [False]

    def job(i: int) -> None:
        with lock:
            running[0] += 1
            overlap[0] |= running[0] > 1
        threading.Event().wait(0.01)
        with lock:
            running[0] -= 1
        order.append(i)

    for i in range(5):
        Op(lambda i=i: job(i)).run()
    qtbot.waitUntil(lambda: len(order) == 5)
    assert order == [0, 1, 2, 3, 4]
    assert not overlap[0]


def test_events_from_any_thread_arrive_as_signals_on_the_gui_thread(qtbot) -> None:
    bus = ev.EventBus()
    bridge = EventBridge(bus)
    main = threading.get_ident()
    got: list[tuple[object, int]] = []
    bridge.transfer_did_arrive.connect(lambda e: got.append((e, threading.get_ident())))
    event = ev.transfer_did_arrive(1, "0xa", "0xb", None, 5, "0xhash")
    worker = threading.Thread(target=bus.publish, args=(event,))
    with qtbot.waitSignal(bridge.any_event, timeout=2000):
        worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(got) == 1)
    assert got[0] == (event, main)
    bridge.detach()
    bus.publish(event)
    qtbot.wait(50)
    assert len(got) == 1
