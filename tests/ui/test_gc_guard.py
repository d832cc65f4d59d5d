"""Automatic garbage collection is off while the app runs; the GUI thread's timer collects."""

from __future__ import annotations

import gc


def test_collection_happens_on_the_gui_thread(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    from ui import gc_guard

    guard = gc_guard.install(qapp)
    assert gc.isenabled() is False

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    collected: list[bool] = []
    import weakref

    for _ in range(guard.threshold[0] + 50):
        obj = Cycle()
    ref = weakref.ref(obj, lambda _r: collected.append(True))
    del obj
    # other threads freeing objects lower the count again: the guard still collects within
    # young_every_ticks ticks (a second each), whatever the count says
    qtbot.waitUntil(lambda: bool(collected), timeout=15000)
    assert ref() is None
