from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.notify import LogBackend
from delegates.notify_desktop import best_backend

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("dbus-run-session") is None, reason="needs dbus-run-session")
def test_desktop_notifier_sends_over_dbus() -> None:
    """Real D-Bus session and the real desktop-notifier client; the notification server is a
    small stand-in (dbus_probe.py) because no notification daemon is installed here."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-m", "tests.delegates.dbus_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    calls = json.loads(out.stdout.strip().splitlines()[-1])
    assert [c["summary"] for c in calls] == ["3 incoming transfers", "Address poisoning hidden"]
    assert calls[0]["app"] == "Warden" and calls[0]["body"].startswith("0.5 ETH")
    assert [c["urgency"] for c in calls] == [1, 2]  # normal, critical


def test_without_a_session_bus_the_log_is_used(monkeypatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    assert isinstance(best_backend(), LogBackend)
