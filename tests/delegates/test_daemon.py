"""``warden daemon --demo``: the incoming watch fires when a transfer arrives on the demo chain."""

from __future__ import annotations

import pytest

from warden.cli import main


@pytest.mark.slow
def test_daemon_on_the_demo_chain_notices_an_incoming_transfer(monkeypatch, capsys) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)  # notifications to the log
    code = main(
        ["daemon", "--demo", "--demo-transfer-after", "0.5", "--duration", "3", "--poll", "0.5"]
    )
    assert code == 0
    out = capsys.readouterr().out
    runs = [line for line in out.splitlines() if line.startswith("run #")]
    assert any(
        "incoming_watch [on transfer_did_arrive] ok: received 0.25 ETH from" in r for r in runs
    ), out
