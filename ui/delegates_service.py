"""The Delegates screen's view of the delegate runtime (``delegates.runtime``)."""

from __future__ import annotations

import dataclasses
from typing import Any

from delegates.runtime.settings_form import describe
from ui.backend import DelegateRow, RunRow


def _defaults(settings_type: type) -> dict[str, Any]:
    if not dataclasses.is_dataclass(settings_type):
        return {}
    out: dict[str, Any] = {}
    for f in dataclasses.fields(settings_type):
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in out.items()}


class DelegatesService:
    """List, switch, configure and run delegates through a ``Runner`` (and its runtime)."""

    def __init__(self, runner: Any, runtime: Any = None) -> None:
        self.runner = runner
        self.runtime = runtime
        self.paused = False

    def list(self) -> list[DelegateRow]:
        rows = []
        for cls in self.runner.registry:
            enabled, stored = self.runner.setting_row(cls.name)
            settings = {**_defaults(cls.settings_type), **stored}
            rows.append(
                DelegateRow(
                    name=cls.name,
                    description=cls.description,
                    enabled=enabled,
                    triggers=tuple(t.label() for t in cls.triggers),
                    settings=settings,
                    may_propose=getattr(cls.capability, "value", "") == "propose",
                    fields=describe(cls.settings_type, stored),
                )
            )
        return rows

    def set_enabled(self, name: str, enabled: bool) -> None:
        if self.runtime is not None:
            self.runtime.set_enabled(name, enabled)
        else:
            self.runner.set_enabled(name, enabled)

    def save_settings(self, name: str, settings: dict[str, Any]) -> None:
        self.runner.update_settings(name, settings)

    def run_now(self, name: str) -> RunRow:
        result = self.runner.run(name, trigger="manual", force=True)
        output = result.output or {}
        message = result.error or str(output.get("message") or output.get("summary") or "")
        return RunRow(result.run_id, name, "manual", None, None, result.outcome, message)

    def pause(self, paused: bool) -> None:
        """Pause the schedules (runs already going finish); events still reach the screens."""
        self.paused = paused
        scheduler = getattr(getattr(self.runtime, "schedules", None), "scheduler", None)
        if scheduler is not None and getattr(scheduler, "running", False):
            if paused:
                scheduler.pause()
            else:
                scheduler.resume()
