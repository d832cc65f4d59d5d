"""Python's garbage collector, run only on the GUI thread.

The cyclic collector runs in whichever thread happens to allocate when a threshold is crossed.
When that is a worker thread and the garbage holds Qt objects (a dialog, a screen's model), Qt
destroys them off the GUI thread and the process crashes (seen in the market screen's worker).
As Anki does, automatic collection is switched off and a timer collects on the GUI thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class MainThreadGarbageCollector(QObject):
    def __init__(
        self, parent: QObject, *, interval_ms: int = 1000, young_every_ticks: int = 3
    ) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.young_every_ticks = young_every_ticks
        self._ticks_since_young = 0
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, as gc would."""
        count0, count1, count2 = gc.get_count()
        self._ticks_since_young += 1
        if count0 > self.threshold[0] or (
            count0 and self._ticks_since_young >= self.young_every_ticks
        ):
            self._ticks_since_young = 0
            gc.collect(0)
            if count1 > self.threshold[1]:
                gc.collect(1)
                if count2 > self.threshold[2]:
                    gc.collect(2)

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()


_installed: MainThreadGarbageCollector | None = None


def install(app: QObject) -> MainThreadGarbageCollector:
    """Once per process: collect garbage on the GUI thread only."""
    global _installed
    if _installed is None:
        _installed = MainThreadGarbageCollector(app)
    return _installed
