"""``warden delegates ...`` against a real store under a temporary WARDEN_HOME."""

from __future__ import annotations

import json

import pytest

from app.config import default_paths
from app.store import Store
from warden.cli import main

PASSWORD = "correct horse battery staple"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("WARDEN_HOME", str(tmp_path))
    monkeypatch.setenv("WARDEN_PASSWORD", PASSWORD)
    Store.create(default_paths().ensure(), PASSWORD, use_keyring=False).close()
    return tmp_path


def test_list_enable_disable_set_run_runs(home, capsys) -> None:
    assert main(["delegates", "list", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert {"market_analysis", "approval_hygiene", "incoming_watch", "gas_watch"} <= set(rows)
    assert rows["approval_hygiene"]["capability"] == "propose"
    assert rows["approval_hygiene"]["triggers"] == ["cron 0 9 1 * *", "on approval_did_change"]

    assert main(["delegates", "disable", "gas_watch"]) == 0
    assert main(["delegates", "set", "gas_watch", "threshold_gwei=7.5"]) == 0
    capsys.readouterr()
    assert main(["delegates", "list", "--json"]) == 0
    gas = {r["name"]: r for r in json.loads(capsys.readouterr().out)}["gas_watch"]
    assert gas["enabled"] is False and gas["settings"] == {"threshold_gwei": "7.5"}
    assert main(["delegates", "set", "gas_watch", "threshold_gwei=cheap"]) == 2
    assert "must be a float" in capsys.readouterr().err

    assert main(["delegates", "run", "market_analysis", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["outcome"] == "ok" and len(out["output"]["assets"]) == 2
    assert main(["delegates", "runs", "--json"]) == 0
    runs = json.loads(capsys.readouterr().out)
    assert [(r["delegate"], r["outcome"]) for r in runs] == [("market_analysis", "ok")]


def test_unknown_delegate_is_a_clear_error(home, capsys) -> None:
    assert main(["delegates", "enable", "nope"]) == 2
    assert "Known delegates" in capsys.readouterr().err
