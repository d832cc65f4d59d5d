"""The delegate runtime as a front end sees it: list, switch, configure and run delegates, and
their past runs. Without a running runtime (it did not start) the stored settings still show
and can be changed."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select

from app.rows import DelegateRow, RunRow
from app.store import schema as s
from app.wallet.ports import SessionSource
from delegates.runtime.settings_form import describe


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


def list_runs(store: SessionSource, name: str | None = None, limit: int = 50) -> list[RunRow]:
    """The latest runs (of one delegate, or all), newest first."""
    with store.session() as ses:
        q = select(s.DelegateRun).order_by(s.DelegateRun.id.desc()).limit(limit)
        if name:
            q = q.where(s.DelegateRun.delegate == name)
        out = []
        for r in ses.scalars(q):
            msg = r.error or ""
            if not msg and isinstance(r.output, dict):
                msg = str(r.output.get("message") or r.output.get("summary") or "")
            out.append(
                RunRow(r.id, r.delegate, r.trigger, r.started_at, r.ended_at, r.outcome, msg)
            )
        return out


def stored_delegates(store: SessionSource) -> list[DelegateRow]:
    """The delegates' stored settings, when the runtime is not running."""
    with store.session() as ses:
        return [
            DelegateRow(d.name, "", d.enabled, (), dict(d.settings or {}))
            for d in ses.scalars(select(s.DelegateSetting).order_by(s.DelegateSetting.name))
        ]


def store_delegate_setting(
    store: SessionSource,
    name: str,
    *,
    enabled: bool | None = None,
    settings: dict[str, Any] | None = None,
) -> None:
    """Switch or configure a delegate in the store alone (the runtime is not running)."""
    with store.session() as ses:
        row = ses.get(s.DelegateSetting, name)
        if row is None:
            row = s.DelegateSetting(name=name, enabled=True, settings={})
            ses.add(row)
        if enabled is not None:
            row.enabled = enabled
        if settings is not None:
            row.settings = dict(settings)
