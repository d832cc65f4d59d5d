"""``warden daemon``: one line per run as it ends, where notifications go, and no replay of
old runs on exit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.config import Paths
from app.store import Store
from app.store.schema import DelegateRun
from warden.cli import main


@pytest.mark.slow
def test_daemon_on_the_demo_chain_notices_an_incoming_transfer(monkeypatch, capsys) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)  # no notification service
    code = main(
        ["daemon", "--demo", "--demo-transfer-after", "0.5", "--duration", "3", "--poll", "0.5"]
    )
    assert code == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "notifications are printed on this terminal" in out
    runs = [line for line in lines if line.startswith("run #")]
    assert any(
        "incoming_watch [on transfer_did_arrive] ok: received 0.25 ETH from" in r for r in runs
    ), out
    assert any(line.startswith("notice: Incoming transfer: ") for line in lines), out
    # Runs are printed as they end; on exit only a count follows them.
    assert lines[-1].startswith(f"warden daemon: stopped after {len(runs)} run(s)"), out
    assert lines.index(runs[-1]) < len(lines) - 1


def test_daemon_does_not_print_old_runs_as_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path))
    monkeypatch.setenv("WARDEN_PASSWORD", "pw-for-daemon-tests")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    paths = Paths(*(tmp_path / d for d in ("data", "config", "cache", "logs")))
    store = Store.create(paths, "pw-for-daemon-tests", use_keyring=False)
    with store.session() as s:
        for _ in range(3):
            s.add(
                DelegateRun(
                    delegate="gas_watch",
                    trigger="every 10 minutes",
                    started_at=datetime(2025, 1, 1, tzinfo=UTC),
                    outcome="ok",
                    error="an old run from last year",
                )
            )
    store.close()
    assert main(["daemon", "--duration", "1"]) == 0
    out = capsys.readouterr().out
    assert "an old run from last year" not in out and "run #1 " not in out, out
    assert "stopped after 0 run(s)" in out
